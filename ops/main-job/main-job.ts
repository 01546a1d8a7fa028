/**
 * The main job's fast path: `npm run deploy|diff|destroy` (ops/main-job/voting-app.sh starts the engine, builds the
 * images and sets the password, then calls this) without the cdktf CLI.
 *
 *   node dist/ops/main-job/main-job.js deploy|diff|destroy [--stack voting-app] [--app dist/main.js] [--out cdktf.out]
 *       [--parallelism N] [--lock-timeout 120s] [--detailed-exitcode] [--plan-out FILE] [--outputs-file FILE]
 *
 * What it does instead of `cdktf deploy|diff|destroy`, and why (docs/bench.md has the traces):
 * - provider: where Terraform cannot download kreuzwerker/docker, the CLI configuration that takes it from the
 *   filesystem mirror (ops/terraform/cli-config.ts, the one writer of it);
 * - synth: loads the compiled app in this process, with the environment cdktf gives its `app` command
 *   (CDKTF_OUTDIR), instead of starting cdktf-cli, which costs about 2.4 s before the app even runs;
 * - init: `terraform init` only when the folder was never initialised or the CLI (Terraform or OpenTofu,
 *   TERRAFORM_BINARY_NAME), the stack's `required_providers`, its backend block or the CLI configuration changed
 *   since the last init (a hash kept in .terraform/); after a switch, a state the other CLI wrote is made readable
 *   or refused with the way out (ops/state/state-document.ts, docs/opentofu.md);
 *   the provider comes from TF_PLUGIN_CACHE_DIR once it is there; a changed backend (local state to PostgreSQL or
 *   back) is handled by ops/state/backend-switch.ts: `--migrate-state` and `--reconfigure` say what to do;
 * - deploy: one `terraform apply` (refresh, plan and apply in one process, as cdktf does);
 * - diff: `terraform plan` with refresh: a plan that skips refresh would miss drift, which is what a diff is for;
 *   `--plan-out` saves it in the stack folder for `terraform show -json` (npm run review);
 * - destroy: `terraform destroy -refresh=false` first, which saves the refresh's 2 s (the provider's fixed delay on
 *   network reads): the provider deletes each object by the id in the state. When an object is already gone the
 *   provider's container stop fails ("No such container"); then the destroy runs again with refresh, which drops
 *   what is gone from the state and deletes the rest.
 * The stack folder and the state are cdktf's own (cdktf.out/stacks/<stack>, the backend written into its
 * cdk.tf.json), so `cdktf deploy|diff|destroy <stack>` keep working on the same state, in either order.
 */
import { spawn, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from 'util';
import { BackendChoice, BackendConfig, backendChanged, decideBackendSwitch, declaredBackend, initialisedBackend } from '../state/backend-switch';
import { reconcileOrphans } from './reconcile';
import { encryptedStateProblem, isEncryptedState, takeOverCommands } from '../state/state-document';
import { TerraformCli, terraformCli, useProviderMirror } from '../terraform/cli-config';

export const ACTIONS = ['deploy', 'diff', 'destroy'] as const;
export type Action = (typeof ACTIONS)[number];

export interface MainJobOptions {
  readonly action: Action;
  readonly stack: string;
  /** The compiled cdktf app, loaded in-process. */
  readonly app: string;
  /** cdktf's output folder (cdktf.json `output`), relative to the working directory. */
  readonly out: string;
  readonly parallelism?: number;
  /** diff: exit 2 when the plan has changes, 0 when it has none (Terraform's -detailed-exitcode). */
  readonly detailedExitcode: boolean;
  /** diff: saves the plan under this name in the stack folder (Terraform's -out). */
  readonly planOut?: string;
  /** How long Terraform waits for a state lock another run holds (Terraform's -lock-timeout, e.g. `120s`). @default 0s */
  readonly lockTimeout?: string;
  /** deploy: where to write the stack's outputs as `{ "<stack>": { "<name>": value } }`. */
  readonly outputsFile?: string;
  /** What to do when the stack's backend changed since the last init. @default - stop and say, unless nothing is lost */
  readonly backendChoice?: BackendChoice;
}

const USAGE =
  'usage: main-job deploy|diff|destroy [--stack voting-app] [--app dist/main.js] [--out cdktf.out] ' +
  '[--parallelism N] [--lock-timeout 120s] [--detailed-exitcode] [--plan-out FILE] [--outputs-file FILE] ' +
  '[--migrate-state | --reconfigure]';

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): MainJobOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      stack: { type: 'string', default: 'voting-app' },
      app: { type: 'string', default: path.join('dist', 'main.js') },
      out: { type: 'string', default: env.CDKTF_OUTDIR ?? 'cdktf.out' },
      parallelism: { type: 'string' },
      'detailed-exitcode': { type: 'boolean', default: false },
      'plan-out': { type: 'string' },
      'lock-timeout': { type: 'string' },
      'outputs-file': { type: 'string' },
      'migrate-state': { type: 'boolean', default: false },
      reconfigure: { type: 'boolean', default: false },
    },
  });
  const [action, ...rest] = positionals;
  if (!ACTIONS.includes(action as Action) || rest.length > 0) {
    throw new UsageError(action === undefined ? 'no action given' : `"${positionals.join(' ')}" is not one of ${ACTIONS.join(', ')}`);
  }
  const parallelism = values.parallelism === undefined ? undefined : Number(values.parallelism);
  if (parallelism !== undefined && !(Number.isInteger(parallelism) && parallelism > 0)) {
    throw new UsageError(`--parallelism ${values.parallelism}: give a whole number >= 1`);
  }
  const lockTimeout = values['lock-timeout'];
  if (lockTimeout !== undefined && !/^\d+[smh]$/.test(lockTimeout)) {
    throw new UsageError(`--lock-timeout ${lockTimeout}: give a duration such as 120s or 5m`);
  }
  if (values['plan-out'] !== undefined && action !== 'diff') throw new UsageError('--plan-out saves the plan of a diff only');
  if (values['migrate-state'] && values.reconfigure) throw new UsageError('--migrate-state and --reconfigure exclude each other: choose one');
  return {
    action: action as Action,
    stack: values.stack!,
    app: values.app!,
    out: values.out!,
    parallelism,
    detailedExitcode: values['detailed-exitcode']!,
    planOut: values['plan-out'],
    lockTimeout,
    outputsFile: values['outputs-file'],
    backendChoice: values['migrate-state'] ? 'migrate-state' : values.reconfigure ? 'reconfigure' : undefined,
  };
}

export class UsageError extends Error {}

/** The CLI the job runs, as cdktf picks it: `terraform`, or `tofu` under TERRAFORM_BINARY_NAME=tofu. */
const CLI = terraformCli();
/** Its name in the job's log: `terraform apply`, `tofu apply`. */
const NAME = path.basename(CLI.binary);

/** Phase timings, printed at the end so a slow run says where its time went. */
const phases: { name: string; ms: number }[] = [];
async function timed<T>(name: string, work: () => Promise<T> | T): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    phases.push({ name, ms: performance.now() - started });
  }
}

/** Runs the cdktf app in this process and returns the stack's folder (cdktf.out/stacks/<stack>). */
export function synth(options: Pick<MainJobOptions, 'app' | 'out' | 'stack'>): string {
  const out = path.resolve(options.out);
  process.env.CDKTF_OUTDIR = out;
  // The app's default LocalBackend puts the state next to cdktf.json (process.cwd()), where cdktf puts it.
  require(path.resolve(options.app));
  const stackDir = path.join(out, 'stacks', options.stack);
  if (!fs.existsSync(path.join(stackDir, 'cdk.tf.json'))) {
    const stacks = fs.existsSync(path.join(out, 'stacks')) ? fs.readdirSync(path.join(out, 'stacks')).join(', ') : 'none';
    throw new Error(`the app ${options.app} synthesized no stack "${options.stack}" into ${path.join(out, 'stacks')} (there are: ${stacks})`);
  }
  return stackDir;
}

/**
 * What `terraform init` depends on: the CLI (Terraform or OpenTofu, and the registry host its provider addresses
 * carry, which its lock file records), the providers the stack requires, its backend block (a local path, or the
 * PostgreSQL connection when STATE_PG_CONN_STR selects it) and the CLI configuration (the provider mirror).
 * Only a hash of it is kept: the backend block may hold a connection string with a password.
 */
export function initKey(
  cdkTfJson: { terraform?: { required_providers?: unknown; backend?: unknown } },
  cliConfig: string,
  cli: Pick<TerraformCli, 'product' | 'registryHost'> = CLI,
): string {
  return createHash('sha256')
    .update(
      JSON.stringify({
        cli: [cli.product, cli.registryHost],
        providers: cdkTfJson.terraform?.required_providers ?? {},
        backend: cdkTfJson.terraform?.backend ?? {},
        cliConfig,
      }),
    )
    .digest('hex');
}

const INIT_KEY_FILE = path.join('.terraform', 'main-job-init.sha256');

/** Whether `stackDir` needs `terraform init` for `key`: never initialised, or initialised for something else. */
export function needsInit(stackDir: string, key: string): boolean {
  const initialised = ['.terraform.lock.hcl', path.join('.terraform', 'providers')].every((f) => fs.existsSync(path.join(stackDir, f)));
  if (!initialised) return true;
  try {
    return fs.readFileSync(path.join(stackDir, INIT_KEY_FILE), 'utf8').trim() !== key;
  } catch {
    return true;
  }
}

function cliConfigText(env: NodeJS.ProcessEnv): string {
  const file = env.TF_CLI_CONFIG_FILE;
  try {
    return file ? fs.readFileSync(file, 'utf8') : '';
  } catch {
    return '';
  }
}

function terraform(stackDir: string, args: string[], env: NodeJS.ProcessEnv, capture = false): Promise<{ code: number; stdout: string }> {
  const colour = process.stdout.isTTY ? [] : ['-no-color'];
  return new Promise((resolve, reject) => {
    const child = spawn(CLI.binary, [...args, ...colour], {
      cwd: stackDir,
      env,
      stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
    });
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout }));
  });
}

/** The state as the backend holds it (`terraform state pull`), for backends that are not a local file. */
function pullState(stackDir: string, env: NodeJS.ProcessEnv): string {
  const result = spawnSync(CLI.binary, ['state', 'pull'], { cwd: stackDir, env, encoding: 'utf8', timeout: 120_000 });
  if (result.status !== 0) throw new Error(`${NAME} state pull failed in ${stackDir}: ${result.stderr || result.error}`);
  return result.stdout;
}

/**
 * The environment of every Terraform command of the job: the provider from the filesystem mirror where `env` names
 * no CLI configuration (the file goes into `projectDir`, and the job says so on stderr), a plugin cache, no prompts.
 */
export function terraformEnv(env: NodeJS.ProcessEnv = process.env, projectDir = process.cwd()): NodeJS.ProcessEnv {
  const cache = env.TF_PLUGIN_CACHE_DIR ?? path.join(os.homedir(), '.terraform.d', 'plugin-cache');
  fs.mkdirSync(cache, { recursive: true });
  const mirror = useProviderMirror(env, projectDir);
  const cli = terraformCli(env);
  if (mirror) process.stderr.write(`main-job: ${cli.product} (${cli.binary}) takes the provider from the filesystem mirror ${mirror.mirror}\n`);
  return {
    ...env,
    ...(mirror ? { TF_CLI_CONFIG_FILE: mirror.file } : {}),
    TF_PLUGIN_CACHE_DIR: cache,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
  };
}

/** What a stack's JSON holds that reading its state needs: the backend block, and OpenTofu's encryption with its variables. */
interface StackJson {
  terraform?: { required_providers?: unknown; backend?: Record<string, Record<string, unknown>>; encryption?: unknown };
  variable?: Record<string, unknown>;
}

/**
 * The configuration that reads `backend`'s state in a folder of its own: the backend, and where the stack encrypts
 * its state, the encryption block and the variables it may name (their values come from TF_VAR_*, as for the stack).
 */
export function backendProbeConfig(backend: BackendConfig, stack: StackJson): object {
  const config = Object.fromEntries(Object.entries(backend.config).filter(([, value]) => value !== null));
  const encryption = stack.terraform?.encryption;
  return {
    terraform: { backend: { [backend.type]: config }, ...(encryption ? { encryption } : {}) },
    ...(encryption && stack.variable ? { variable: stack.variable } : {}),
  };
}

/** The number of managed resources in `backend`'s state, read with `terraform state pull` in a folder of its own. */
function resourcesIn(backend: BackendConfig, stack: StackJson, env: NodeJS.ProcessEnv): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'main-job-backend-'));
  try {
    fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(backendProbeConfig(backend, stack)));
    const init = spawnSync(CLI.binary, ['init', '-input=false', '-no-color'], { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
    if (init.status !== 0) throw new Error(`cannot read the state in the stack's backend (${backend.type}): ${init.stderr || init.error}`);
    const state = JSON.parse(pullState(dir, env) || '{}') as { resources?: { mode: string; instances?: unknown[] }[] };
    return (state.resources ?? []).filter((r) => r.mode === 'managed' && (r.instances ?? []).length > 0).length;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The `terraform init` flags for a backend that changed since the last init; throws where the user must choose. */
function backendSwitchFlags(stackDir: string, json: StackJson, action: Action, choice: BackendChoice | undefined, env: NodeJS.ProcessEnv): string[] {
  const record = path.join(stackDir, '.terraform', 'terraform.tfstate');
  const from = initialisedBackend(fs.existsSync(record) ? fs.readFileSync(record, 'utf8') : undefined);
  const to = declaredBackend(json);
  if (!from || !to || !backendChanged(from, to)) return [];
  const decision = decideBackendSwitch({ from, to, fromResources: resourcesIn(from, json, env), toResources: resourcesIn(to, json, env), choice, action });
  if ('stop' in decision) throw new BackendSwitchError(decision.stop);
  process.stderr.write(`main-job: ${decision.note}\n`);
  return decision.init;
}

/** The stack's backend changed and the job cannot tell which state the user means. */
export class BackendSwitchError extends Error {}

/** The stack's state cannot be read by the CLI of this run as the stack is configured (e.g. encrypted, under Terraform). */
export class StateError extends Error {}

/** Runs `init` where needed; returns whether it ran (a new folder, or another CLI, backend or provider than the last init's). */
async function ensureInit(stackDir: string, json: StackJson, env: NodeJS.ProcessEnv, options: Pick<MainJobOptions, 'action' | 'backendChoice'>): Promise<boolean> {
  const key = initKey(json, cliConfigText(env));
  if (!needsInit(stackDir, key)) {
    phases.push({ name: 'init (up to date, skipped)', ms: 0 });
    return false;
  }
  await timed(`${NAME} init`, async () => {
    const flags = backendSwitchFlags(stackDir, json, options.action, options.backendChoice, env);
    const { code } = await terraform(stackDir, ['init', '-input=false', ...flags], env);
    if (code !== 0) throw new Error(`${NAME} init failed (exit ${code}) in ${stackDir}`);
    fs.writeFileSync(path.join(stackDir, INIT_KEY_FILE), `${key}\n`);
  });
  return true;
}

/**
 * The state as this run's CLI will read it: a local file as it is on disk (cheap, so every run); another backend's
 * through `state pull`, only right after an init (a switch between Terraform and OpenTofu runs one). A Terraform
 * that cannot parse the pulled state (OpenTofu encrypted it) gives it back as encrypted.
 */
function stateBeforeRun(stackDir: string, json: StackJson, env: NodeJS.ProcessEnv, initRan: boolean): string | undefined {
  const local = localState(stackDir, json);
  if (local !== 'not local') return local;
  if (!initRan) return undefined;
  try {
    return pullState(stackDir, env);
  } catch (err) {
    if (CLI.product === 'Terraform' && /does not have a "version" attribute/.test(String(err))) return JSON.stringify({ meta: {}, encrypted_data: '' });
    throw err;
  }
}

/** The local backend's state file as it is on disk (undefined where there is none), or `not local`. */
function localState(stackDir: string, json: StackJson): string | undefined | 'not local' {
  const backend = declaredBackend(json);
  if (backend && backend.type !== 'local') return 'not local';
  const file = path.resolve(stackDir, String(backend?.config.path ?? 'terraform.tfstate'));
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

/**
 * Stops before `init` where the local state is encrypted and this run cannot read it: Terraform's init would stop
 * on it with "Unsupported state file format", which says nothing of the way out.
 */
function refuseUnreadableLocalState(stackDir: string, stack: string, json: StackJson): void {
  const text = localState(stackDir, json);
  if (typeof text !== 'string' || !isEncryptedState(text)) return;
  const problem = encryptedStateProblem(stack, CLI.product, json.terraform?.encryption !== undefined);
  if (problem) throw new StateError(problem);
}

/**
 * Makes a state the other CLI wrote readable by this one: stops with the way out where it is encrypted and this CLI
 * cannot decrypt it; gives Terraform the state OpenTofu wrote (`terraform state replace-provider`, logged).
 */
async function takeOverState(stackDir: string, stack: string, json: StackJson, env: NodeJS.ProcessEnv, initRan: boolean): Promise<void> {
  const text = stateBeforeRun(stackDir, json, env, initRan);
  if (text === undefined) return;
  if (isEncryptedState(text)) {
    const problem = encryptedStateProblem(stack, CLI.product, json.terraform?.encryption !== undefined);
    if (problem) throw new StateError(problem);
    return;
  }
  for (const args of takeOverCommands(text, CLI.product)) {
    process.stderr.write(`main-job: the state of ${stack} was written by OpenTofu; ${CLI.product} takes it over: ${NAME} ${args.join(' ')}\n`);
    const { code } = await timed(`${NAME} state replace-provider`, () => terraform(stackDir, args, env));
    if (code !== 0) throw new StateError(`${NAME} state replace-provider failed (exit ${code}) in ${stackDir}`);
  }
}

async function writeOutputs(stackDir: string, stack: string, file: string, env: NodeJS.ProcessEnv): Promise<void> {
  const { code, stdout } = await terraform(stackDir, ['output', '-json'], env, true);
  if (code !== 0) throw new Error(`${NAME} output failed (exit ${code})`);
  const outputs = JSON.parse(stdout) as Record<string, { value: unknown }>;
  const values = Object.fromEntries(Object.entries(outputs).map(([name, o]) => [name, o.value]));
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ [stack]: values }, null, 2));
}

/** Runs one action; resolves to the process exit code. */
export async function mainJob(options: MainJobOptions): Promise<number> {
  // State files, plans and the outputs file are the owner's only.
  process.umask(0o077);
  const stackDir = await timed('synth (in-process)', () => synth(options));
  const env = terraformEnv();
  const json = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as StackJson;
  refuseUnreadableLocalState(stackDir, options.stack, json);
  const initRan = await ensureInit(stackDir, json, env, options);
  await takeOverState(stackDir, options.stack, json, env, initRan);
  // Flags every Terraform command of the action takes.
  const common = [
    ...(options.parallelism ? [`-parallelism=${options.parallelism}`] : []),
    ...(options.lockTimeout ? [`-lock-timeout=${options.lockTimeout}`] : []),
  ];
  switch (options.action) {
    case 'deploy': {
      // What an interrupted deploy left on the engine but not in the state would make the apply fail.
      await timed('reconcile', () => reconcileOrphans({ stackDir, stackId: options.stack, pullState: () => pullState(stackDir, env) }));
      const { code } = await timed(`${NAME} apply`, () => terraform(stackDir, ['apply', '-auto-approve', '-input=false', ...common], env));
      if (code === 0 && options.outputsFile) await timed(`${NAME} output`, () => writeOutputs(stackDir, options.stack, options.outputsFile!, env));
      return code;
    }
    case 'diff': {
      const planFlags = [...(options.detailedExitcode ? ['-detailed-exitcode'] : []), ...(options.planOut ? [`-out=${options.planOut}`] : [])];
      const { code } = await timed(`${NAME} plan`, () => terraform(stackDir, ['plan', '-input=false', ...planFlags, ...common], env));
      return code;
    }
    case 'destroy': {
      const destroy = (refresh: boolean) =>
        terraform(stackDir, ['destroy', '-auto-approve', '-input=false', ...(refresh ? [] : ['-refresh=false']), ...common], env);
      const { code } = await timed(`${NAME} destroy -refresh=false`, () => destroy(false));
      if (code === 0) return code;
      // The provider's container delete fails on "No such container" at its stop step: something in the state is
      // already gone. What was deleted is out of the state now; a refresh drops the rest that is gone.
      process.stderr.write('main-job: destroy without refresh failed (an object in the state may already be gone); retrying with refresh\n');
      return (await timed(`${NAME} destroy (refresh)`, () => destroy(true))).code;
    }
  }
}

function report(): void {
  const line = phases.map((p) => `${p.name} ${(p.ms / 1000).toFixed(2)} s`).join(', ');
  process.stderr.write(`main-job: ${line}\n`);
}

if (require.main === module) {
  let options: MainJobOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    process.exit(2);
  }
  mainJob(options).then(
    (code) => {
      report();
      process.exit(code);
    },
    (err: unknown) => {
      report();
      process.stderr.write(`main-job ${options.action}: FAILED: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
