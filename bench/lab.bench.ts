/**
 * How long it takes to bring the voting app up across the nodes of a swarm, and down again, two ways in one run on
 * the same nodes, images and topology (docs/bench.md, "On the lab"):
 *   (a) npm-deploy   `VOTING_APP_IMAGES=local VOTING_APP_ORCHESTRATOR=swarm npm run deploy`, then `npm run destroy`,
 *                    in its own output folder and state
 *   (b) stack        `docker stack deploy` of the same stack in the form of upstream's docker-stack.yml, generated
 *                    from the synthesized Swarm stack (bench/topology.ts `stackFile`), then `docker stack rm`
 * Up is timed from the start until the command exited and vote answered HTTP 200 on port 5000 of one of the nodes
 * (host mode publishes on the node that runs the task); then one vote must show up on 5001 (not timed). Down is timed
 * until the command exited and the manager holds none of the app's services, networks, secret or volume
 * (`docker stack rm` returns before Swarm removed them, and leaves the volume: the bench removes it, timed).
 *
 *   eval "$(npm run --silent lab -- up)"    # the lab's manager in DOCKER_HOST (docs/lab.md); or any swarm over TLS
 *   npm run bench:lab                       # BENCH_ROUNDS=3 by default; needs npm run images:local
 *
 * Never part of `npm test` or CI. The images are copied into every node before the first round, so neither method
 * pays for it; the data node (the manager) is labelled voting-app.data=true, as the main job does.
 */
import { spawnSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_PROVIDER_MIRROR, writeCliConfig } from '../ops/terraform/cli-config';
import { measure, Measured } from './measure';
import { answers, castOneVote, checked, log, median, seconds as s, sh, sleep } from './support';
import { stackFile } from './topology';

const ROOT = path.resolve(__dirname, '..', '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MIRROR = process.env.TF_PROVIDER_MIRROR ?? DEFAULT_PROVIDER_MIRROR;
const STACK = 'vappbench';
const DATA_LABEL = 'voting-app.data=true';
const NO_IPVS_LABEL = 'cdktf-docker-networking.ipvs=false';
const SERVICES = ['vote', 'result', 'worker', 'redis', 'db'];
const NETWORKS = ['frontend-network', 'backend-network'];
const UP_TIMEOUT_MS = 300_000;

type MethodName = 'npm-deploy' | 'stack';

interface Round {
  readonly method: MethodName;
  readonly round: number;
  readonly upMs: number;
  readonly commandMs: number;
  readonly downMs: number;
}

const docker = (...args: string[]) => sh('docker', args);
const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

/** What of the app is on the swarm now: services of either method, its networks, secret and volume. */
function occupied(): string[] {
  const services = lines(docker('service', 'ls', '--format', '{{.Name}}').out).filter((n) => SERVICES.includes(n) || n.startsWith(`${STACK}_`));
  const networks = lines(docker('network', 'ls', '--format', '{{.Name}}').out).filter((n) => NETWORKS.includes(n));
  return [
    ...services.map((n) => `service ${n}`),
    ...networks.map((n) => `network ${n}`),
    ...(docker('secret', 'inspect', 'db-password').code === 0 ? ['secret db-password'] : []),
    ...(docker('volume', 'inspect', 'db-data').code === 0 ? ['volume db-data'] : []),
  ];
}

/** The first of `urls` that answers, polled every 100 ms until `deadline`. */
async function firstAnswering(urls: string[], deadline: number): Promise<{ url: string; at: number } | undefined> {
  while (Date.now() < deadline) {
    for (const url of urls) if ((await answers(url)) !== undefined) return { url, at: Date.now() };
    await sleep(100);
  }
  return undefined;
}

/** Waits (bounded) until the manager holds nothing of the app; returns when it did. */
async function gone(deadline: number): Promise<number> {
  for (;;) {
    const left = occupied();
    if (left.length === 0) return Date.now();
    if (Date.now() > deadline) throw new Error(`still on the swarm: ${left.join(', ')}`);
    // docker stack rm leaves the volume; it can go once db's container is gone.
    if (left.length === 1 && left[0] === 'volume db-data') docker('volume', 'rm', 'db-data');
    await sleep(100);
  }
}

interface Method {
  readonly name: MethodName;
  up(): Promise<Measured>;
  down(): Promise<Measured>;
}

async function runOnce(method: Method, round: number, voteUrls: string[], resultUrls: string[]): Promise<Round> {
  const taken = occupied();
  if (taken.length > 0) throw new Error(`before ${method.name} round ${round}: still on the swarm: ${taken.join(', ')}`);
  const started = Date.now();
  const watching = firstAnswering(voteUrls, started + UP_TIMEOUT_MS);
  const up = checked(`${method.name} up`, await method.up());
  const vote = await watching;
  if (!vote) throw new Error(`${method.name}: vote never answered on port 5000 of any node`);
  const upMs = Math.max(started + up.ms, vote.at) - started;
  const result = await firstAnswering(resultUrls, Date.now() + 60_000);
  if (!result) throw new Error('result never answered on port 5001 of any node within 60 s');
  await castOneVote(vote.url, result.url, 30_000);
  const downStarted = Date.now();
  checked(`${method.name} down`, await method.down());
  const downMs = (await gone(downStarted + UP_TIMEOUT_MS)) - downStarted;
  log(`${method.name} round ${round}: up ${s(upMs)} s (command ${s(up.ms)} s), down ${s(downMs)} s`);
  return { method: method.name, round, upMs, commandMs: up.ms, downMs };
}

/** One row a method, medians over the rounds, set against `docker stack deploy` of the same run. */
function table(rounds: Round[]): string {
  const med = (m: MethodName, pick: (r: Round) => number) => median(rounds.filter((r) => r.method === m).map(pick));
  const out = ['| method | rounds | up s | up / stack | teardown s | teardown / stack | up command s |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |'];
  for (const m of ['npm-deploy', 'stack'] as MethodName[]) {
    const n = rounds.filter((r) => r.method === m).length;
    if (n === 0) continue;
    out.push(
      `| ${m} | ${n} | ${s(med(m, (r) => r.upMs))} | ${(med(m, (r) => r.upMs) / med('stack', (r) => r.upMs)).toFixed(2)} | ` +
        `${s(med(m, (r) => r.downMs))} | ${(med(m, (r) => r.downMs) / med('stack', (r) => r.downMs)).toFixed(2)} | ${s(med(m, (r) => r.commandMs))} |`,
    );
  }
  return out.join('\n');
}

async function main(): Promise<void> {
  if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error(`BENCH_ROUNDS=${process.env.BENCH_ROUNDS} is not a whole number >= 1`);
  if (!/^tcp:\/\//.test(process.env.DOCKER_HOST ?? '')) {
    throw new Error('DOCKER_HOST is not a tcp:// swarm manager; bring up the lab first: eval "$(npm run --silent lab -- up)"');
  }
  const self = docker('info', '--format', '{{.Swarm.NodeID}} {{.Swarm.ControlAvailable}}').out.trim().split(' ');
  if (self[1] !== 'true') throw new Error(`the engine at ${process.env.DOCKER_HOST} is not a swarm manager`);
  const addresses = lines(docker('node', 'inspect', '--format', '{{.Status.Addr}}', ...lines(docker('node', 'ls', '-q').out)).out);
  const voteUrls = addresses.map((a) => `http://${a}:5000/`);
  const resultUrls = addresses.map((a) => `http://${a}:5001/results.json`);
  const taken = occupied();
  if (taken.length > 0) throw new Error(`the voting app is on the swarm already: ${taken.join(', ')}; npm run destroy first`);

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-lab-'));
  fs.chmodSync(work, 0o755);
  const password = `bench-${randomBytes(18).toString('base64url')}`;
  const passwordFile = path.join(work, 'db-password');
  fs.writeFileSync(passwordFile, password, { mode: 0o600 });
  const hostMode = lines(docker('info', '--format', '{{range .Labels}}{{println .}}{{end}}').out).includes(NO_IPVS_LABEL);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CHECKPOINT_DISABLE: '1',
    TF_CLI_CONFIG_FILE: writeCliConfig(path.join(work, 'terraform.tfrc'), MIRROR),
    TF_VAR_db_password: password,
    VOTING_APP_IMAGES: 'local',
    VOTING_APP_ORCHESTRATOR: 'swarm',
    VOTING_APP_SEGMENTATION: 'shared-backend',
    ...(hostMode ? { VOTING_APP_SWARM_PUBLISH: 'host' } : {}),
    CDKTF_STATE_DIR: path.join(work, 'state'),
    CDKTF_OUTDIR: path.join(work, 'cdktf.out'),
    FORCE_COLOR: '0',
  };
  fs.mkdirSync(env.CDKTF_STATE_DIR!, { recursive: true });
  try {
    // The images in every node, and the data node labelled, before anything is timed.
    const images = lines(sh('bash', [path.join(ROOT, 'ops/images/build-local-images.sh'), '--list']).out);
    const load = sh('bash', [path.join(ROOT, 'ops/images/load-into-nodes.sh'), ...images], { timeoutMs: 900_000 });
    if (load.code !== 0) throw new Error(`copying the images into the nodes failed:\n${load.out}`);
    docker('node', 'update', '--label-add', DATA_LABEL, self[0]);

    // The stack file from the stack the main job synthesizes with the same settings.
    const synthDir = path.join(work, 'synth');
    const synth = spawnSync('node', [path.join(ROOT, 'dist', 'main.js')], {
      env: { ...env, CDKTF_OUTDIR: synthDir, CDKTF_STATE_DIR: '', VOTING_APP_DATA_NODE_LABEL: DATA_LABEL },
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (synth.status !== 0) throw new Error(`synth failed: ${synth.stderr}`);
    const stackYml = path.join(work, 'docker-stack.yml');
    const json = JSON.parse(fs.readFileSync(path.join(synthDir, 'stacks', 'voting-app', 'cdk.tf.json'), 'utf8'));
    fs.writeFileSync(stackYml, JSON.stringify(stackFile(json, passwordFile), null, 2));

    const npm = (action: string) => measure('npm', ['run', '--silent', action], { cwd: ROOT, env, timeoutMs: UP_TIMEOUT_MS });
    const methods: Method[] = [
      { name: 'npm-deploy', up: () => npm('deploy'), down: () => npm('destroy') },
      {
        name: 'stack',
        up: () => measure('docker', ['stack', 'deploy', '--resolve-image', 'never', '-c', stackYml, STACK], { timeoutMs: UP_TIMEOUT_MS }),
        down: () => measure('docker', ['stack', 'rm', STACK], { timeoutMs: UP_TIMEOUT_MS }),
      },
    ];
    const versions = {
      docker: docker('version', '--format', '{{.Server.Version}}').out.trim(),
      nodes: addresses.length,
      terraform: sh('terraform', ['version']).out.split('\n')[0],
    };
    log(`rounds ${ROUNDS} on ${addresses.length} nodes (${addresses.join(', ')}), work folder ${work}; ${JSON.stringify(versions)}`);
    const rounds: Round[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      for (const method of methods) {
        try {
          rounds.push(await runOnce(method, round, voteUrls, resultUrls));
        } catch (err) {
          log(`${method.name} round ${round} failed; cleaning up`);
          if (method.name === 'npm-deploy') await npm('destroy');
          else docker('stack', 'rm', STACK);
          throw err;
        }
      }
    }
    const out = table(rounds);
    const when = new Date().toISOString();
    const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.release()}`;
    process.stdout.write(
      `\nvoting-app across ${addresses.length} swarm nodes, ${ROUNDS} rounds, ${when}\nmachine: ${machine}\nversions: ${JSON.stringify(versions)}\n` +
        `medians over the rounds; ratios from this run\n\n${out}\n\n`,
    );
    const resultsDir = path.join(ROOT, 'bench', 'results');
    fs.mkdirSync(resultsDir, { recursive: true });
    fs.writeFileSync(path.join(resultsDir, `lab-${when.replace(/[:.]/g, '-')}.json`), JSON.stringify({ when, machine, versions, rounds, table: out }, null, 2));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: FAILED: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
