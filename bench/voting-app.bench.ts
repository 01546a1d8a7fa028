/**
 * How long it takes to bring the voting app up, four ways, in one run on the same engine, images and topology:
 *   (a) npm-deploy `npm run deploy` (ops/main-job/voting-app.sh and ops/main-job/main-job.ts: in-process synth,
 *                  Terraform driven directly), in its own output folder and state
 *   (b) cdktf      `cdktf deploy voting-app` (synth + init + plan + apply)
 *   (c) compose    `docker-compose up -d` with a compose file generated from the synthesized stack
 *   (d) docker-run the tutorial's `docker network create` / `docker run` commands (the baseline)
 * Each is timed from its start until it has exited and vote answers HTTP 200 on 127.0.0.1:5000; then one vote is
 * cast and must show up on 127.0.0.1:5001 (not timed: it proves the method built a working app); for the two
 * Terraform methods a no-op diff is timed (`npm run diff`, `cdktf diff`) and must report no changes; then it is
 * torn down (`npm run destroy`, `cdktf destroy`, `docker-compose down`, `docker rm -f` + `docker network rm`),
 * timed separately.
 *
 *   npm run bench                 # BENCH_ROUNDS=3 by default; needs the local images (npm run images:local)
 *
 * Never part of `npm test` or CI. Talks to 127.0.0.1 and the containers it creates; waits only for its own
 * things, bounded; removes only what carries its label or its Terraform state. Results also go to bench/results/.
 */
import { spawnSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_PROVIDER_MIRROR, writeCliConfig } from '../ops/terraform/cli-config';
import { measure, Measured } from './measure';
import { answers, castOneVote, checked, log, median, seconds as s, sh, sleep } from './support';
import { BENCH_LABEL, composeFile, dockerRunScript, topologyFromStack } from './topology';

const ROOT = path.resolve(__dirname, '..', '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MIRROR = process.env.TF_PROVIDER_MIRROR ?? DEFAULT_PROVIDER_MIRROR;
const VOTE_URL = 'http://127.0.0.1:5000/';
const RESULT_URL = 'http://127.0.0.1:5001/results.json';
const NAMES = ['vote', 'result', 'worker', 'redis', 'db'];
const NETWORKS = ['frontend-network', 'backend-network'];
const IMAGES = ['vote', 'result', 'worker', 'redis', 'db', 'toolbox'].map((r) => `voting-app-local/${r}:local`);
const COMPOSE_PROJECT = 'vappbench';
/** Upper bounds: the images are local, so minutes mean something hangs. */
const UP_TIMEOUT_MS = 300_000;
const DOWN_TIMEOUT_MS = 300_000;
const WAIT_FOR_ENGINE_MS = Number(process.env.BENCH_WAIT_SECONDS ?? 300) * 1000;

type MethodName = 'npm-deploy' | 'cdktf' | 'compose' | 'docker-run';
const METHODS: MethodName[] = ['npm-deploy', 'cdktf', 'compose', 'docker-run'];

interface Round {
  readonly method: MethodName;
  readonly round: number;
  /** Start until the command exited and vote answered. */
  readonly upMs: number;
  /** The command alone. */
  readonly commandMs: number;
  readonly downMs: number;
  /** A diff right after the bring-up, which must find no changes (Terraform methods only). */
  readonly diffMs?: number;
  readonly maxRssKib?: number;
  readonly peakTreeRssKib: number;
}


function docker(...args: string[]): { code: number | null; out: string } {
  return sh('docker', args);
}

/** What of the app's names and host ports is taken on the engine now. */
function occupied(): string[] {
  const taken = [
    ...NAMES.filter((n) => docker('container', 'inspect', n).code === 0).map((n) => `container ${n}`),
    ...NETWORKS.filter((n) => docker('network', 'inspect', n).code === 0).map((n) => `network ${n}`),
  ];
  const ports = docker('ps', '--format', '{{.Names}} {{.Ports}}').out;
  for (const port of [5000, 5001]) if (ports.includes(`:${port}->`)) taken.push(`host port ${port}`);
  return taken;
}

/** Polls vote every 100 ms from `started` on; resolves with the time it first answered, or undefined at the deadline. */
function watchVote(deadline: number): { first: Promise<number | undefined>; stop: () => void } {
  let stopped = false;
  const first = (async () => {
    while (!stopped && Date.now() < deadline) {
      if ((await answers(VOTE_URL)) !== undefined) return Date.now();
      await sleep(100);
    }
    return undefined;
  })();
  return { first, stop: () => (stopped = true) };
}

interface Method {
  readonly name: MethodName;
  up(): Promise<Measured>;
  down(): Promise<Measured>;
  /** A plan against what up() built; its output must say there is nothing to change. */
  diff?(): Promise<Measured>;
  /** Last resort after a failure: removes what this method created, nothing else. */
  forceCleanup(): Promise<void>;
}

/** Removes the containers and networks that carry the bench label with this value (what a method created). */
function removeLabelled(value: string): void {
  const filter = `label=${BENCH_LABEL}=${value}`;
  const containers = docker('ps', '-aq', '--filter', filter).out.split('\n').filter(Boolean);
  if (containers.length > 0) docker('rm', '-f', ...containers);
  const networks = docker('network', 'ls', '-q', '--filter', filter).out.split('\n').filter(Boolean);
  if (networks.length > 0) docker('network', 'rm', ...networks);
}

function setUp(work: string, password: string): { methods: Method[]; synthMs: number } {
  const passwordFile = path.join(work, 'secrets', 'db-password');
  fs.mkdirSync(path.dirname(passwordFile), { recursive: true, mode: 0o755 });
  // Readable by the services' own users (postgres 999, app 10001), like the file Terraform uploads.
  fs.writeFileSync(passwordFile, password, { mode: 0o644 });

  // (a) cdktf, with the environment ops/main-job/voting-app.sh gives it, in its own folder and state.
  const cdktfDir = path.join(work, 'cdktf');
  fs.mkdirSync(path.join(cdktfDir, 'state'), { recursive: true });
  const cdktfJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8'));
  cdktfJson.app = `node "${path.join(ROOT, 'dist', 'main.js')}"`;
  fs.writeFileSync(path.join(cdktfDir, 'cdktf.json'), JSON.stringify(cdktfJson, null, 2));
  const tfrc = writeCliConfig(path.join(cdktfDir, 'terraform.tfrc'), MIRROR);
  const cdktfEnv = {
    ...process.env,
    CHECKPOINT_DISABLE: '1',
    TF_CLI_CONFIG_FILE: tfrc,
    TF_VAR_db_password: password,
    VOTING_APP_IMAGES: 'local',
    VOTING_APP_SEGMENTATION: 'shared-backend',
    CDKTF_STATE_DIR: path.join(cdktfDir, 'state'),
    FORCE_COLOR: '0',
  };
  const cdktfBin = path.join(ROOT, 'node_modules', '.bin', 'cdktf');
  const cdktf = (...args: string[]) =>
    measure(cdktfBin, [...args, 'voting-app', '--auto-approve', '--skip-provider-lock'], {
      cwd: cdktfDir,
      env: cdktfEnv,
      timeoutMs: UP_TIMEOUT_MS,
    });

  // The topology the other two methods build, read from the stack cdktf synthesizes.
  const synthDir = path.join(work, 'synth');
  const synthStarted = Date.now();
  const synth = spawnSync('node', [path.join(ROOT, 'dist', 'main.js')], {
    env: { ...cdktfEnv, CDKTF_OUTDIR: synthDir, CDKTF_STATE_DIR: '' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (synth.status !== 0) throw new Error(`synth failed: ${synth.stderr}`);
  const synthMs = Date.now() - synthStarted;
  const topology = topologyFromStack(JSON.parse(fs.readFileSync(path.join(synthDir, 'stacks', 'voting-app', 'cdk.tf.json'), 'utf8')));

  // (b) docker-compose
  const composeJson = path.join(work, 'compose', 'docker-compose.yml');
  fs.mkdirSync(path.dirname(composeJson), { recursive: true });
  fs.writeFileSync(composeJson, JSON.stringify(composeFile(topology, passwordFile), null, 2));
  const compose = (...args: string[]) =>
    measure('docker-compose', ['--ansi', 'never', '-p', COMPOSE_PROJECT, '-f', composeJson, ...args], {
      env: { ...process.env, COMPOSE_INTERACTIVE_NO_CLI: '1' },
      timeoutMs: UP_TIMEOUT_MS,
    });
  const config = sh('docker-compose', ['-f', composeJson, 'config', '-q']);
  if (config.code !== 0) throw new Error(`docker-compose rejects the generated file ${composeJson}: ${config.out}`);

  // (c) docker run
  const script = path.join(work, 'docker-run', 'up.sh');
  fs.mkdirSync(path.dirname(script), { recursive: true });
  fs.writeFileSync(script, dockerRunScript(topology, passwordFile));
  const downScript = path.join(work, 'docker-run', 'down.sh');
  fs.writeFileSync(
    downScript,
    `docker rm -f ${[...topology.services].reverse().map((s) => s.name).join(' ')} >/dev/null\n` +
      `docker network rm ${topology.networks.join(' ')} >/dev/null\n` +
      (topology.volumes.length > 0 ? `docker volume rm ${topology.volumes.join(' ')} >/dev/null\n` : ''),
  );

  // (a) npm run deploy|diff|destroy, as a user runs them, with their own output folder and state (the user's
  // cdktf.out and terraform.voting-app.tfstate stay untouched) and the same provider mirror config.
  const npmDir = path.join(work, 'npm');
  fs.mkdirSync(path.join(npmDir, 'state'), { recursive: true });
  const npmEnv = {
    ...cdktfEnv,
    CDKTF_STATE_DIR: path.join(npmDir, 'state'),
    CDKTF_OUTDIR: path.join(npmDir, 'cdktf.out'),
  };
  const npm = (action: string) => measure('npm', ['run', '--silent', action], { cwd: ROOT, env: npmEnv, timeoutMs: UP_TIMEOUT_MS });

  const methods: Method[] = [
    {
      name: 'npm-deploy',
      up: () => npm('deploy'),
      diff: () => npm('diff'),
      down: () => npm('destroy'),
      forceCleanup: async () => {
        await npm('destroy');
      },
    },
    {
      name: 'cdktf',
      up: () => cdktf('deploy'),
      diff: () => measure(cdktfBin, ['diff', 'voting-app', '--skip-provider-lock'], { cwd: cdktfDir, env: cdktfEnv, timeoutMs: UP_TIMEOUT_MS }),
      down: () => cdktf('destroy'),
      forceCleanup: async () => {
        await cdktf('destroy');
      },
    },
    {
      name: 'compose',
      up: () => compose('up', '-d'),
      down: () => compose('down', '--volumes', '--timeout', '10'),
      forceCleanup: async () => {
        await compose('down', '--volumes', '--timeout', '5');
        removeLabelled('compose');
      },
    },
    {
      name: 'docker-run',
      up: () => measure('bash', [script], { timeoutMs: UP_TIMEOUT_MS }),
      down: () => measure('bash', [downScript], { timeoutMs: DOWN_TIMEOUT_MS }),
      forceCleanup: async () => removeLabelled('docker-run'),
    },
  ];
  return { methods, synthMs };
}

async function runOnce(method: Method, round: number): Promise<Round> {
  const taken = occupied();
  if (taken.length > 0) throw new Error(`before ${method.name} round ${round}: still taken: ${taken.join(', ')}`);
  const started = Date.now();
  const watcher = watchVote(started + UP_TIMEOUT_MS);
  let up: Measured;
  try {
    up = checked(`${method.name} up`, await method.up());
  } catch (err) {
    watcher.stop();
    throw err;
  }
  const answeredAt = await watcher.first;
  watcher.stop();
  if (answeredAt === undefined) throw new Error(`${method.name}: vote never answered on 5000`);
  const upMs = Math.max(started + up.ms, answeredAt) - started;
  await castOneVote(VOTE_URL, RESULT_URL, 20_000);
  let diffMs: number | undefined;
  if (method.diff) {
    const diff = checked(`${method.name} diff`, await method.diff());
    if (!/No changes\. Your infrastructure matches the configuration/.test(diff.output)) {
      throw new Error(`${method.name}: the diff right after the bring-up is not empty:\n${diff.output.split('\n').slice(-40).join('\n')}`);
    }
    diffMs = diff.ms;
  }
  const down = checked(`${method.name} down`, await method.down());
  const left = occupied();
  if (left.length > 0) throw new Error(`${method.name} down left ${left.join(', ')}`);
  const diffText = diffMs === undefined ? '' : `, no-op diff ${s(diffMs)} s`;
  log(`${method.name} round ${round}: up ${s(upMs)} s (command ${s(up.ms)} s)${diffText}, down ${s(down.ms)} s`);
  return {
    method: method.name,
    round,
    upMs,
    commandMs: up.ms,
    downMs: down.ms,
    diffMs,
    maxRssKib: up.maxRssKib,
    peakTreeRssKib: up.peakTreeRssKib,
  };
}

const mib = (kib?: number) => (kib === undefined ? 'n/a' : String(Math.round(kib / 1024)));
/**
 * One row per method: medians over the rounds, each set against docker-run and compose from the same run; the
 * no-op diff also against the method's own bring-up (the target is at most 0.5).
 */
function table(rounds: Round[]): string {
  const of = (m: MethodName) => rounds.filter((r) => r.method === m);
  const med = (m: MethodName, pick: (r: Round) => number | undefined) => {
    const xs = of(m).map(pick).filter((x): x is number => x !== undefined);
    return xs.length > 0 ? median(xs) : undefined;
  };
  const ratio = (a?: number, b?: number) => (a === undefined || b === undefined ? '-' : (a / b).toFixed(2));
  const secs = (ms?: number) => (ms === undefined ? '-' : s(ms));
  const up = (m: MethodName) => med(m, (r) => r.upMs);
  const down = (m: MethodName) => med(m, (r) => r.downMs);
  const header =
    '| method | rounds | up s | up / docker-run | up / compose | teardown s | teardown / docker-run | teardown / compose | ' +
    'no-op diff s | diff / own up | up command s | peak RSS largest process MiB | peak RSS tree MiB |';
  const lines = [header, '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'];
  for (const m of METHODS) {
    const rs = of(m);
    if (rs.length === 0) continue;
    const diff = med(m, (r) => r.diffMs);
    lines.push(
      `| ${m} | ${rs.length} | ${secs(up(m))} | ${ratio(up(m), up('docker-run'))} | ${ratio(up(m), up('compose'))} | ` +
        `${secs(down(m))} | ${ratio(down(m), down('docker-run'))} | ${ratio(down(m), down('compose'))} | ` +
        `${secs(diff)} | ${ratio(diff, up(m))} | ${secs(med(m, (r) => r.commandMs))} | ` +
        `${mib(Math.max(...rs.map((r) => r.maxRssKib ?? 0)) || undefined)} | ${mib(Math.max(...rs.map((r) => r.peakTreeRssKib)))} |`,
    );
  }
  return lines.join('\n');
}

function ensureTools(): void {
  const missing = [
    ...(sh('docker-compose', ['version']).code === 0 ? [] : ['docker-compose']),
    ...(fs.existsSync('/usr/bin/time') ? [] : ['time']),
  ];
  if (missing.length === 0) return;
  log(`installing ${missing.join(' ')} with apt-get`);
  const r = spawnSync('apt-get', ['install', '-y', '-qq', ...missing], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (r.status !== 0) throw new Error(`apt-get install ${missing.join(' ')} failed: ${r.stderr}`);
}

async function main(): Promise<void> {
  if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error(`BENCH_ROUNDS=${process.env.BENCH_ROUNDS} is not a whole number >= 1`);
  ensureTools();
  const missingImages = IMAGES.filter((image) => docker('image', 'inspect', image).code !== 0);
  if (missingImages.length > 0) throw new Error(`images missing: ${missingImages.join(', ')}; run npm run images:local`);

  // Someone else's voting app (npm run deploy, the deploy tier) holds the same names and ports: wait, bounded.
  const deadline = Date.now() + WAIT_FOR_ENGINE_MS;
  let taken = occupied();
  while (taken.length > 0 && Date.now() < deadline) {
    log(`waiting for ${taken.join(', ')} to go away (up to ${WAIT_FOR_ENGINE_MS / 1000} s)`);
    await sleep(5_000);
    taken = occupied();
  }
  if (taken.length > 0) throw new Error(`the voting app's names or ports are taken: ${taken.join(', ')}; not touching them`);

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-voting-app-'));
  fs.chmodSync(work, 0o755);
  const password = `bench-${randomBytes(18).toString('base64url')}`;
  const { methods, synthMs } = setUp(work, password);
  const rounds: Round[] = [];
  const versions = {
    docker: sh('docker', ['version', '--format', '{{.Server.Version}}']).out.trim(),
    compose: sh('docker-compose', ['version', '--short']).out.trim(),
    terraform: sh('terraform', ['version']).out.split('\n')[0],
    cdktf: sh(path.join(ROOT, 'node_modules', '.bin', 'cdktf'), ['--version']).out.split('\n')[0].trim(),
  };
  log(`rounds ${ROUNDS}, work folder ${work}; ${JSON.stringify(versions)}`);
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      for (const method of methods) {
        try {
          rounds.push(await runOnce(method, round));
        } catch (err) {
          log(`${method.name} round ${round} failed; cleaning up what it created`);
          await method.forceCleanup();
          throw err;
        }
      }
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }

  const out = table(rounds);
  const when = new Date().toISOString();
  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.release()}`;
  process.stdout.write(
    `\nvoting-app bring-up, ${ROUNDS} rounds, ${when}\nmachine: ${machine}\nversions: ${JSON.stringify(versions)}\n` +
      `synth alone (node dist/main.js, part of every cdktf deploy): ${s(synthMs)} s\nmedians over the rounds; ratios from this run\n\n${out}\n\n`,
  );
  const resultsDir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(
    path.join(resultsDir, `voting-app-${when.replace(/[:.]/g, '-')}.json`),
    JSON.stringify({ when, machine, versions, synthMs, rounds, table: out }, null, 2),
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: FAILED: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
