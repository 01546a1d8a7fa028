/**
 * ops/engine/swarm-init.sh, the main job's Swarm step, against a fake docker: a swarm where there is none on this
 * machine's engine, a remote engine in none refused, and the data node labelled once, on the node Terraform talks to.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fakeDocker } from '../fake-docker';

const SCRIPT = path.resolve(__dirname, '..', '..', '..', 'ops', 'engine', 'swarm-init.sh');
let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swarm-init-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The manager node `n1` of a swarm; `labelled` lists the nodes that carry the data label. */
const manager = (labelled: string): [string, string][] => [
  ['info --format \\{\\{\\.Swarm\\.LocalNodeState', 'active'],
  ['info --format \\{\\{\\.Swarm\\.ControlAvailable', 'true'],
  ['info --format \\{\\{\\.Swarm\\.NodeID', 'n1'],
  ['node ls -q --filter node.label=voting-app.data=true', labelled],
  ['node inspect --format \\{\\{\\.Description\\.Hostname\\}\\} n1', 'dlab-node1'],
  ['node update --label-add voting-app.data=true n1', 'n1'],
];

function swarmInit(action: string, answers: [string, string][], env: Record<string, string> = {}) {
  const docker = fakeDocker(dir, answers);
  const result = spawnSync('bash', [SCRIPT, action], {
    env: { PATH: `${docker.bin}:${process.env.PATH}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  return { code: result.status, stderr: result.stderr, calls: docker.calls() };
}

const DATA = { VOTING_APP_DATA_NODE_LABEL: 'voting-app.data=true' };

test('deploy: the node Terraform talks to gets the data label when no node has it, and says so', () => {
  const run = swarmInit('deploy', manager(''), { ...DATA, DOCKER_HOST: 'tcp://10.77.0.11:2376' });
  expect(run.stderr).toBe(
    'voting-app: labelling this node (dlab-node1) voting-app.data=true: db and redis run where db\'s volume is created, on the node Terraform talks to\n',
  );
  expect(run.code).toBe(0);
  expect(run.calls).toContain('tcp://10.77.0.11:2376 docker node update --label-add voting-app.data=true n1');
});

test('deploy: a label already on that node is left as it is; diff never labels', () => {
  expect(swarmInit('deploy', manager('n1'), DATA)).toMatchObject({ code: 0, stderr: '' });
  const diff = swarmInit('diff', manager(''), DATA);
  expect(diff).toMatchObject({ code: 0, stderr: '' });
  expect(diff.calls.some((c) => c.includes('node update'))).toBe(false);
});

test('deploy: the label on another node is refused, with the fix', () => {
  const run = swarmInit('deploy', manager('n2'), DATA);
  expect(run.code).toBe(1);
  expect(run.stderr).toBe(
    'voting-app: node(s) n2 carry voting-app.data=true, but Terraform talks to node n1, where db\'s volume is created; ' +
      'move the label (docker node update --label-rm voting-app.data <node>) or point DOCKER_HOST at that node\n',
  );
});

test('a remote engine in no swarm is refused; this machine\'s engine becomes a single-node swarm', () => {
  const inactive: [string, string][] = [['info --format \\{\\{\\.Swarm\\.LocalNodeState', 'inactive'], ['swarm init', 'ok']];
  const remote = swarmInit('deploy', inactive, { DOCKER_HOST: 'tcp://10.77.0.11:2376' });
  expect(remote.code).toBe(1);
  expect(remote.stderr).toBe(
    'voting-app: the engine at DOCKER_HOST=tcp://10.77.0.11:2376 is in no swarm (state: inactive); make it a manager ' +
      '(docker swarm init --advertise-addr <its address>), or unset DOCKER_HOST to deploy on this machine\'s engine\n',
  );
  const local = swarmInit('deploy', inactive);
  expect(local.code).toBe(0);
  expect(local.calls).toContain('local docker swarm init --advertise-addr 127.0.0.1');
});
