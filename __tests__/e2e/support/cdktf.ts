/**
 * Runs the real cdktf CLI (`cdktf deploy|diff|destroy <stack>`) against the local engine, one isolated run folder
 * per test file: its own cdktf.json pointing at the app, its own cdktf.out, its own Terraform state (through
 * CDKTF_STATE_DIR, which main.ts and the fixtures turn into a LocalBackend) and its own Terraform CLI
 * configuration that takes kreuzwerker/docker from the filesystem mirror.
 *
 * How the CLI is made to work offline:
 * - `--skip-provider-lock`: otherwise cdktf runs `terraform providers lock -platform=linux_amd64` after the first
 *   init, which ignores the filesystem mirror and asks the public registry;
 * - `TF_CLI_CONFIG_FILE`: the main job's CLI configuration (ops/terraform/cli-config.ts): kreuzwerker/docker from
 *   the filesystem mirror only;
 * - `CHECKPOINT_DISABLE=1`: no version check call;
 * - node-pty: cdktf runs terraform init/apply in a pseudo-terminal through @cdktf/node-pty-prebuilt-multiarch,
 *   whose npm package ships prebuilt binaries (prebuilds/linux-x64/node.abi115.node for Node 20), so `npm ci`
 *   needs neither install scripts nor a compiler.
 */
import { spawnSync } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run, RunResult } from './process';
import { writeCliConfig } from '../../../ops/terraform/cli-config';
import { isEncryptedState } from '../../../ops/state/state-document';
import { Toolchain } from './toolchain';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');
const CDKTF_BIN = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'cdktf');

/** Upper bounds per command: a deploy pulls nothing (images are local), so minutes mean something hangs. */
export const TIMEOUTS = { deploy: 480_000, diff: 240_000, destroy: 300_000 } as const;

export interface CdktfRunOptions {
  /** A name for the run folder, e.g. the stack. */
  readonly name: string;
  /** The app command for cdktf.json, with absolute paths. @default the project's app: `node <root>/dist/main.js` */
  readonly app?: string;
  /** Extra environment for the app and Terraform, e.g. `VOTING_APP_IMAGES=local`. */
  readonly env?: NodeJS.ProcessEnv;
}

/** What `cdktf diff` said. */
export interface PlanSummary {
  readonly noChanges: boolean;
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  /** Terraform addresses that `must be replaced`. */
  readonly replaced: string[];
  /** Terraform addresses that `will be updated in-place`. */
  readonly updated: string[];
  /** Terraform addresses that `will be created`. */
  readonly created: string[];
  /** Terraform addresses that `will be destroyed`. */
  readonly destroyed: string[];
}

export class CdktfRun {
  /** Temp folder of this run: cdktf.json, cdktf.out/, state/, terraform.tfrc. */
  public readonly dir: string;
  public readonly stateDir: string;
  public readonly cliConfigFile: string;
  /** Every command run so far, for timing reports. */
  public readonly history: RunResult[] = [];
  private env: NodeJS.ProcessEnv;

  constructor(toolchain: Toolchain, options: CdktfRunOptions) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `cdktf-e2e-${options.name}-`));
    this.stateDir = path.join(this.dir, 'state');
    fs.mkdirSync(this.stateDir);
    this.cliConfigFile = writeCliConfig(path.join(this.dir, 'terraform.tfrc'), toolchain.mirrorDir, toolchain.terraformBinary);
    const cdktfJson = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'cdktf.json'), 'utf8'));
    cdktfJson.app = options.app ?? `node "${path.join(PROJECT_ROOT, 'dist', 'main.js')}"`;
    cdktfJson.sendCrashReports = 'false';
    fs.writeFileSync(path.join(this.dir, 'cdktf.json'), JSON.stringify(cdktfJson, null, 2));
    this.env = {
      ...process.env,
      CHECKPOINT_DISABLE: '1',
      TF_CLI_CONFIG_FILE: this.cliConfigFile,
      TF_IN_AUTOMATION: '1',
      CDKTF_STATE_DIR: this.stateDir,
      CDKTF_DISABLE_PLUGIN_CACHE_ENV: '1',
      FORCE_COLOR: '0',
      NO_COLOR: '1',
      ...(toolchain.terraformBinary ? { TERRAFORM_BINARY_NAME: toolchain.terraformBinary } : {}),
      // Under OpenTofu main.ts encrypts the state (STATE_ENCRYPTION): a passphrase of this run's own.
      TF_VAR_state_passphrase: `e2e-${path.basename(this.dir)}-${randomBytes(12).toString('hex')}`,
      ...options.env,
    };
  }

  /** Changes the environment of the next commands (e.g. which code variant the fixture app synthesizes). */
  public setEnv(env: NodeJS.ProcessEnv): void {
    this.env = { ...this.env, ...env };
  }

  public deploy(stack: string, timeoutMs: number = TIMEOUTS.deploy): Promise<RunResult> {
    return this.cdktf(['deploy', stack, '--auto-approve'], timeoutMs);
  }

  public diff(stack: string, timeoutMs: number = TIMEOUTS.diff): Promise<RunResult> {
    return this.cdktf(['diff', stack], timeoutMs);
  }

  public destroy(stack: string, timeoutMs: number = TIMEOUTS.destroy): Promise<RunResult> {
    return this.cdktf(['destroy', stack, '--auto-approve'], timeoutMs);
  }

  /** `cdktf output <stack>`, writing the outputs as JSON into `outputsFile`. */
  public output(stack: string, outputsFile: string, timeoutMs: number = TIMEOUTS.diff): Promise<RunResult> {
    return this.cdktf(['output', stack, '--outputs-file', outputsFile], timeoutMs);
  }

  /**
   * Terraform itself in the synthesized stack's folder (cdktf.out/stacks/<stack>), with this run's environment;
   * run `diff` or `deploy` first, which synthesize and `terraform init` it.
   */
  public terraform(stack: string, args: string[], timeoutMs: number = TIMEOUTS.diff): Promise<RunResult> {
    const binary = this.env.TERRAFORM_BINARY_NAME ?? 'terraform';
    return run(binary, [...args, '-no-color'], { cwd: path.join(this.dir, 'cdktf.out', 'stacks', stack), env: this.env, timeoutMs });
  }

  /** The machine-readable plan: `terraform plan -out` of the synthesized stack, then `terraform show -json` of it. */
  public async planJson(stack: string): Promise<unknown> {
    const planned = await this.terraform(stack, ['plan', '-input=false', '-out=review.tfplan']);
    if (planned.code !== 0) throw new Error(`terraform plan of ${stack} failed (${planned.code}):\n${planned.output}`);
    const shown = await this.terraform(stack, ['show', '-json', 'review.tfplan']);
    if (shown.code !== 0) throw new Error(`terraform show -json of ${stack} failed (${shown.code}):\n${shown.output}`);
    return JSON.parse(shown.stdout);
  }

  /**
   * The resource addresses in the stack's state file (empty when there is no state or it holds nothing). A state
   * OpenTofu encrypted (main.ts under TERRAFORM_BINARY_NAME=tofu) is read as the CLI decrypts it (`state pull`).
   */
  public stateResources(stack: string): string[] {
    const file = path.join(this.stateDir, `${stack}.tfstate`);
    if (!fs.existsSync(file)) return [];
    let text = fs.readFileSync(file, 'utf8');
    if (isEncryptedState(text)) {
      const cwd = path.join(this.dir, 'cdktf.out', 'stacks', stack);
      const pulled = spawnSync(this.env.TERRAFORM_BINARY_NAME ?? 'terraform', ['state', 'pull'], { cwd, env: this.env, encoding: 'utf8', timeout: 60_000 });
      if (pulled.status !== 0) throw new Error(`state pull of ${stack} failed: ${pulled.stderr}`);
      text = pulled.stdout;
    }
    const state = JSON.parse(text) as {
      resources?: { mode: string; type: string; name: string; module?: string }[];
    };
    return (state.resources ?? [])
      .filter((r) => r.mode === 'managed')
      .map((r) => [r.module, `${r.type}.${r.name}`].filter(Boolean).join('.'));
  }

  /** Removes the run folder (state included); call after destroy. */
  public cleanUp(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Permission bits of each file in the state folder (state, backup, lock info), e.g. `{ 'x.tfstate': 0o600 }`. */
  public stateFileModes(): Record<string, number> {
    return Object.fromEntries(fs.readdirSync(this.stateDir).map((f) => [f, fs.statSync(path.join(this.stateDir, f)).mode & 0o777]));
  }

  private async cdktf(args: string[], timeoutMs: number): Promise<RunResult> {
    // umask 077, as in ops/main-job/main-job.ts: Terraform writes the state (which holds secrets) for its owner only.
    const umask = ['-c', 'umask 077 && exec "$0" "$@"', CDKTF_BIN];
    const result = await run('bash', [...umask, ...args, '--skip-provider-lock', '--no-color'], {
      cwd: this.dir,
      env: this.env,
      timeoutMs,
    });
    this.history.push(result);
    this.keepLog(args, result);
    return result;
  }

  /** Every command's output goes to .e2e/logs/ (git-ignored), to read after a failure. */
  private keepLog(args: string[], result: RunResult): void {
    const dir = path.join(PROJECT_ROOT, '.e2e', 'logs');
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${path.basename(this.dir)}-${String(this.history.length).padStart(2, '0')}-${args[0]}.log`);
    fs.writeFileSync(file, `$ cdktf ${args.join(' ')}\n# exit ${result.code} after ${result.ms} ms\n${result.output}`);
  }
}

/** Parses the plan `cdktf diff` (or deploy) printed. Lines carry cdktf's stack prefix, so nothing is anchored. */
export function parsePlan(output: string): PlanSummary {
  const counts = /Plan: (\d+) to add, (\d+) to change, (\d+) to destroy/.exec(output);
  const addresses = (what: string) =>
    // e.g. "# docker_container.app_735A5B53 (app/Resource) must be replaced": cdktf adds the construct path.
    [...output.matchAll(new RegExp(`# (\\S+)(?: \\([^)]*\\))? ${what}`, 'g'))]
      .map((m) => m[1])
      .filter((v, i, all) => all.indexOf(v) === i);
  return {
    noChanges: /No changes\. Your infrastructure matches the configuration/.test(output),
    add: counts ? Number(counts[1]) : 0,
    change: counts ? Number(counts[2]) : 0,
    destroy: counts ? Number(counts[3]) : 0,
    replaced: addresses('must be replaced'),
    updated: addresses('will be updated in-place'),
    created: addresses('will be created'),
    destroyed: addresses('will be destroyed'),
  };
}

/**
 * Compiles a test-only cdktf app from __tests__/e2e/fixtures/ into the matching place under dist/, so that its
 * relative imports (`../../../lib`) reach the compiled library, and returns the cdktf.json app command for it.
 */
export function fixtureApp(name: string): string {
  // Loaded here so that the synth tier never pays for it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  const source = path.join(PROJECT_ROOT, '__tests__', 'e2e', 'fixtures', `${name}.ts`);
  const out = path.join(PROJECT_ROOT, 'dist', '__tests__', 'e2e', 'fixtures', `${name}.js`);
  const { outputText } = ts.transpileModule(fs.readFileSync(source, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: source,
  });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, outputText);
  return `node "${out}"`;
}
