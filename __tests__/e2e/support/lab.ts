/**
 * The lab of Docker hosts (`npm run lab`, issue 20) as the two-engine suites use it: brought up, read, and torn down.
 *
 * What this expects of the lab, as issue 20 specifies it: `npm run --silent lab -- up` prints on stdout
 * `export DOCKER_HOST=tcp://<manager>:2376`, `export DOCKER_TLS_VERIFY=1` and `export DOCKER_CERT_PATH=<folder>`, and
 * each node's address on stderr; every node's engine listens on `tcp://<address>:2376` with TLS, and the client
 * certificate in DOCKER_CERT_PATH opens each; the first node is the swarm's manager, the others its workers.
 * `npm run lab -- down` removes it all. What the lab does not answer this way fails the suite with what was missing.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { PROJECT_ROOT } from './cdktf';
import { assertSucceeded, run } from './process';

/** Why the lab cannot be used from this checkout, or undefined when `npm run lab` exists. */
export function labMissing(): string | undefined {
  const scripts = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')).scripts ?? {};
  return scripts.lab === undefined
    ? 'npm run lab does not exist in this checkout (the lab of Docker hosts comes with issue 20, branch wt-lab)'
    : undefined;
}

/** One engine of the lab. */
export interface LabNode {
  readonly address: string;
  /** `tcp://<address>:2376` */
  readonly host: string;
}

export interface Lab {
  readonly manager: LabNode;
  readonly workers: LabNode[];
  /** ca.pem, cert.pem and key.pem of the client. */
  readonly certPath: string;
}

const IPV4 = /\b(\d{1,3}(?:\.\d{1,3}){3})\b/g;

/** `npm run lab -- up`, read as this file's header says. */
export async function labUp(): Promise<Lab> {
  const up = assertSucceeded(await run('npm', ['run', '--silent', 'lab', '--', 'up'], { cwd: PROJECT_ROOT, timeoutMs: 600_000 }));
  const exports = new Map(
    [...up.stdout.matchAll(/^export ([A-Z_]+)=(?:"([^"]*)"|'([^']*)'|(\S*))$/gm)].map((m) => [m[1], m[2] ?? m[3] ?? m[4]]),
  );
  const managerHost = exports.get('DOCKER_HOST');
  const certPath = exports.get('DOCKER_CERT_PATH');
  if (!managerHost || !certPath) {
    throw new Error(`npm run lab -- up printed no DOCKER_HOST or DOCKER_CERT_PATH export on stdout:\n${up.stdout}`);
  }
  const managerAddress = /^tcp:\/\/([^:]+):\d+$/.exec(managerHost)?.[1];
  if (!managerAddress) throw new Error(`npm run lab -- up exported DOCKER_HOST=${managerHost}, not tcp://<address>:<port>`);
  const addresses = [...new Set([...up.stderr.matchAll(IPV4)].map((m) => m[1]))].filter((a) => a !== managerAddress);
  const node = (address: string): LabNode => ({ address, host: `tcp://${address}:2376` });
  return { manager: { address: managerAddress, host: managerHost }, workers: addresses.map(node), certPath };
}

/** `npm run lab -- down`. */
export async function labDown(): Promise<void> {
  assertSucceeded(await run('npm', ['run', '--silent', 'lab', '--', 'down'], { cwd: PROJECT_ROOT, timeoutMs: 300_000 }));
}

/** The environment the docker CLI reaches `node` with. */
export function nodeEnv(lab: Lab, node: LabNode): NodeJS.ProcessEnv {
  return { ...process.env, DOCKER_HOST: node.host, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: lab.certPath };
}

/** `docker <args>` against one node, bounded in time; never throws. */
export function nodeDocker(lab: Lab, node: LabNode, args: string[], timeoutMs = 30_000): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync('docker', args, { encoding: 'utf8', timeout: timeoutMs, env: nodeEnv(lab, node), maxBuffer: 16 * 1024 * 1024 });
  return { code: result.status, stdout: (result.stdout ?? '').trim(), stderr: (result.stderr ?? '') + (result.error ? String(result.error) : '') };
}

/** Copies an image of the local engine onto `node` (`docker save | docker load`): the lab's nodes pull nothing. */
export function loadImage(lab: Lab, node: LabNode, image: string): void {
  // `docker save` talks to the local engine, whatever DOCKER_HOST this process was given.
  const { DOCKER_HOST: _host, DOCKER_TLS_VERIFY: _verify, DOCKER_CERT_PATH: _certs, ...local } = process.env;
  const script = 'docker save "$1" | DOCKER_HOST="$2" DOCKER_TLS_VERIFY=1 DOCKER_CERT_PATH="$3" docker load';
  const result = spawnSync('bash', ['-o', 'pipefail', '-c', script, 'load', image, node.host, lab.certPath], { encoding: 'utf8', timeout: 300_000, env: local });
  if (result.status !== 0) throw new Error(`could not load ${image} onto ${node.host}: ${result.stderr}`);
}
