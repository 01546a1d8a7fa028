/**
 * The lab (`npm run lab`, ops/lab/lab.sh) for the deploy tier: whether it can run here, its nodes' engines over TLS,
 * and where a swarm's tasks run. `npm run --silent lab -- up` prints `export DOCKER_HOST=tcp://<manager>:2376`,
 * `DOCKER_TLS_VERIFY=1` and `DOCKER_CERT_PATH=<folder>` on stdout; node I listens on tcp://<subnet>.(10+I):2376.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { PROJECT_ROOT } from './cdktf';
import { DockerResult } from './docker';
import { assertSucceeded, run } from './process';

export const LAB_SCRIPT = path.join(PROJECT_ROOT, 'ops', 'lab', 'lab.sh');
export const LAB_DIR = '/var/lib/docker-lab';

/** The three variables `npm run lab -- up` prints for the manager. */
export interface LabEnvironment {
  readonly DOCKER_HOST: string;
  readonly DOCKER_TLS_VERIFY: string;
  readonly DOCKER_CERT_PATH: string;
}

/** `export NAME=VALUE` lines, as `eval` would read them. */
export function parseExports(stdout: string): LabEnvironment {
  const values = Object.fromEntries([...stdout.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
  for (const name of ['DOCKER_HOST', 'DOCKER_TLS_VERIFY', 'DOCKER_CERT_PATH']) {
    if (!values[name]) throw new Error(`npm run lab -- up printed no ${name}:\n${stdout}`);
  }
  return values as unknown as LabEnvironment;
}

/** What keeps the lab from running here (the preflight's reason), or nothing. */
export function labLacks(): string[] {
  if (labIsUp()) return [`a lab is up already (${LAB_DIR}); the suite brings up its own: npm run lab -- down first`];
  const result = spawnSync('bash', [LAB_SCRIPT, 'preflight'], { encoding: 'utf8', timeout: 300_000, stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status === 0) return [];
  const reason = (result.stderr || String(result.error)).trim().split('\n').pop();
  return [`the lab cannot run on this machine: ${reason}`];
}

/** Whether anything of a lab is on this machine: its switch namespace or its state folder. */
export function labIsUp(): boolean {
  const namespaces = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  return /^dlab-/m.test(namespaces) || fs.existsSync(LAB_DIR);
}

/** What of a lab is left on this machine: namespaces, the root link, cgroup folders, the state folder, processes. */
export function labLeftovers(): string[] {
  const left: string[] = [];
  const namespaces = (spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '').split('\n').filter((n) => n.startsWith('dlab-'));
  left.push(...namespaces.map((n) => `namespace ${n.split(' ')[0]}`));
  if (spawnSync('ip', ['link', 'show', 'dlab0'], { stdio: 'ignore' }).status === 0) left.push('link dlab0');
  for (const hierarchy of fs.readdirSync('/sys/fs/cgroup')) {
    try {
      left.push(...fs.readdirSync(`/sys/fs/cgroup/${hierarchy}`).filter((d) => d.startsWith('dlab-node')).map((d) => `cgroup ${hierarchy}/${d}`));
    } catch {
      // not a folder
    }
  }
  if (fs.existsSync(LAB_DIR)) left.push(`folder ${LAB_DIR}`);
  for (const pid of fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(LAB_DIR)) left.push(`process ${pid}`);
    } catch {
      // gone meanwhile
    }
  }
  return left;
}

/** A node of the lab: its number, its address and its engine (tcp with the lab's client certificate). */
export interface LabNode {
  readonly index: number;
  readonly name: string;
  readonly address: string;
  /** `tcp://<address>:2376` */
  readonly host: string;
}

export function labNodes(count: number, subnetPrefix = '10.77.0'): LabNode[] {
  return Array.from({ length: count }, (_, i) => {
    const address = `${subnetPrefix}.${11 + i}`;
    return { index: i + 1, name: `dlab-node${i + 1}`, address, host: `tcp://${address}:2376` };
  });
}

/** `docker <args>` against a node's engine, with the lab's TLS material; bounded, never throws. */
export function onNode(env: LabEnvironment, node: LabNode, args: string[], timeoutMs = 30_000): DockerResult {
  const result = spawnSync('docker', args, {
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, ...env, DOCKER_HOST: node.host },
  });
  return { code: result.status, stdout: result.stdout ?? '', stderr: (result.stderr ?? '') + (result.error ? String(result.error) : '') };
}

export function onNodeOk(env: LabEnvironment, node: LabNode, args: string[], timeoutMs = 30_000): string {
  const result = onNode(env, node, args, timeoutMs);
  if (result.code !== 0) throw new Error(`docker ${args.join(' ')} on ${node.name} failed (${result.code}): ${result.stderr.trim()}`);
  return result.stdout.trim();
}

/** Service name -> the nodes its running tasks are on (tasks that should run and whose node is not down). */
export function placement(env: LabEnvironment, manager: LabNode, services: readonly string[]): Record<string, string[]> {
  const down = new Set(
    onNodeOk(env, manager, ['node', 'ls', '--format', '{{.Hostname}} {{.Status}}'])
      .split('\n')
      .filter((line) => !line.endsWith(' Ready'))
      .map((line) => line.split(' ')[0]),
  );
  const where: Record<string, string[]> = {};
  for (const service of services) {
    const tasks = onNode(env, manager, ['service', 'ps', service, '--filter', 'desired-state=running', '--format', '{{.Node}} {{.CurrentState}}']);
    where[service] = tasks.stdout
      .split('\n')
      .filter((line) => / Running /.test(`${line} `) && !down.has(line.split(' ')[0]))
      .map((line) => line.split(' ')[0])
      .sort();
  }
  return where;
}

/** Why the lab cannot be used here, or undefined. */
export function labMissing(): string | undefined {
  const lacks = labLacks();
  return lacks.length > 0 ? lacks.join('; ') : undefined;
}

/** A lab that is up: its environment for the manager, the manager and the workers. */
export interface Lab {
  readonly env: LabEnvironment;
  readonly manager: LabNode;
  readonly workers: LabNode[];
  /** ca.pem, cert.pem and key.pem of the client. */
  readonly certPath: string;
}

/** `npm run lab -- up` with the default three nodes. */
export async function labUp(count = 3): Promise<Lab> {
  const up = assertSucceeded(await run('npm', ['run', '--silent', 'lab', '--', 'up', String(count)], { cwd: PROJECT_ROOT, timeoutMs: 600_000 }));
  const env = parseExports(up.stdout);
  const [manager, ...workers] = labNodes(count);
  if (env.DOCKER_HOST !== manager.host) throw new Error(`npm run lab -- up exported DOCKER_HOST=${env.DOCKER_HOST}, expected ${manager.host}`);
  return { env, manager, workers, certPath: env.DOCKER_CERT_PATH };
}

/** `npm run lab -- down`. */
export async function labDown(): Promise<void> {
  assertSucceeded(await run('npm', ['run', '--silent', 'lab', '--', 'down'], { cwd: PROJECT_ROOT, timeoutMs: 300_000 }));
}

/** `docker <args>` against one node with its output trimmed; bounded, never throws. */
export function nodeDocker(lab: Lab, node: LabNode, args: string[], timeoutMs = 30_000): DockerResult {
  const result = onNode(lab.env, node, args, timeoutMs);
  return { ...result, stdout: result.stdout.trim() };
}

/** Copies an image of the local engine onto `node` (`docker save | docker load`): the lab's nodes pull nothing. */
export function loadImage(lab: Lab, node: LabNode, image: string): void {
  // `docker save` talks to the local engine, whatever DOCKER_HOST this process was given.
  const { DOCKER_HOST: _host, DOCKER_TLS_VERIFY: _verify, DOCKER_CERT_PATH: _certs, ...local } = process.env;
  const script = 'docker save "$1" | DOCKER_HOST="$2" DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$3" docker load';
  const result = spawnSync('bash', ['-o', 'pipefail', '-c', script, 'load', image, node.host, lab.certPath], { encoding: 'utf8', timeout: 300_000, env: local });
  if (result.status !== 0) throw new Error(`could not load ${image} onto ${node.host}: ${result.stderr}`);
}
