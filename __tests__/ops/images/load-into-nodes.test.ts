/**
 * ops/images/load-into-nodes.sh against a fake docker: the nodes come from the swarm, each node's engine is its swarm
 * address at DOCKER_HOST's port, and only a node that lacks an image (by ID) gets `docker save | docker load`.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fakeDocker } from '../fake-docker';

const SCRIPT = path.resolve(__dirname, '..', '..', '..', 'ops', 'images', 'load-into-nodes.sh');
const IMAGE = 'voting-app-local/vote:local';
let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'load-into-nodes-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const SWARM: [string, string][] = [
  ['^local docker image inspect --format \\{\\{\\.Id\\}\\} voting-app-local/vote:local$', 'sha256:v1'],
  ['^local docker image inspect', '!Error: No such image'],
  ['^tcp://10.77.0.11:2376 docker info --format', 'n1'],
  ['docker node ls -q', 'n1\nn2\nn3'],
  ['docker node inspect', 'n1 dlab-node1 ready 10.77.0.11\nn2 dlab-node2 ready 10.77.0.12\nn3 dlab-node3 down 10.77.0.13'],
  ['^tcp://10.77.0.11:2376 docker image inspect', 'sha256:v1'],
  ['^tcp://10.77.0.12:2376 docker image inspect', 'sha256:old'],
  ['^local docker save', 'a tar'],
  ['docker load', 'Loaded image: voting-app-local/vote:local'],
];

function load(images: string[], env: Record<string, string>, answers = SWARM) {
  const docker = fakeDocker(dir, answers);
  const result = spawnSync('bash', [SCRIPT, ...images], {
    env: { PATH: `${docker.bin}:${process.env.PATH}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  return { code: result.status, stderr: result.stderr, calls: docker.calls() };
}

test('each ready node gets what it lacks or holds in another version; the manager through DOCKER_HOST; a down node is named', () => {
  const run = load([IMAGE], { DOCKER_HOST: 'tcp://10.77.0.11:2376' });
  expect(run.code).toBe(0);
  const lines = run.stderr.split('\n').filter(Boolean).map((l) => l.replace(/ in \d+s$/, ' in Ns')).sort();
  expect(lines).toEqual([
    'images: dlab-node1 (tcp://10.77.0.11:2376): has all 1 images',
    'images: dlab-node2 (tcp://10.77.0.12:2376): loaded voting-app-local/vote:local in Ns',
    'images: dlab-node3: skipped, the node is down',
  ]);
  // The two ends of one pipe, in either order.
  expect(run.calls.filter((c) => / (save|load) /.test(`${c} `)).sort()).toEqual(['local docker save voting-app-local/vote:local', 'tcp://10.77.0.12:2376 docker load -q']);
});

test('refused: an engine not reached over tcp, an image this machine does not have', () => {
  const local = load([IMAGE], {});
  expect(local.code).toBe(1);
  expect(local.stderr).toBe('images: DOCKER_HOST= is not tcp://HOST:PORT: images are copied to the nodes of a swarm reached over tcp (with TLS)\n');
  const missing = load(['voting-app-local/db:local'], { DOCKER_HOST: 'tcp://10.77.0.11:2376' });
  expect(missing.code).toBe(1);
  expect(missing.stderr).toBe("images: voting-app-local/db:local is not on this machine's engine; build it first (npm run images:local)\n");
});

test('an engine in no swarm gets the images itself', () => {
  const alone: [string, string][] = [
    ['^local docker image inspect', 'sha256:v1'],
    ['docker info --format', ''],
    ['^tcp://10.77.0.11:2376 docker image inspect', '!Error: No such image'],
    ['^local docker save', 'a tar'],
    ['docker load', 'Loaded image: voting-app-local/vote:local'],
  ];
  const run = load([IMAGE], { DOCKER_HOST: 'tcp://10.77.0.11:2376' }, alone);
  expect(run.code).toBe(0);
  expect(run.stderr.replace(/ in \d+s\n$/, ' in Ns\n')).toBe('images: the engine (tcp://10.77.0.11:2376): loaded voting-app-local/vote:local in Ns\n');
});
