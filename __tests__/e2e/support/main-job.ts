/**
 * The main job, `ops/main-job/voting-app.sh deploy|diff|destroy` (npm run deploy/diff/destroy), run for real in a copy
 * of the project folder: its state, .secrets/, dist/ and cdktf.out/ are the test's own, and a developer's deploy
 * in the project folder is left alone. node_modules is a link to the project's; the images are the ones
 * `npm run images:local` built (the copy has the same inputs, so they are reused).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PROJECT_ROOT } from './cdktf';
import { run, RunOptions, RunResult } from './process';
import { Toolchain } from './toolchain';

/** What is not copied: built output, caches, state and secrets of the project folder. */
const NOT_COPIED = new Set(['node_modules', '.git', 'dist', 'cdktf.out', '.cache', '.e2e', '.secrets', 'coverage', '.terraform-cli.tfrc', '.voting-app.lock', '.voting-app.settings', '.postgres']);

export class MainJob {
  public readonly dir: string;
  public readonly stack = 'voting-app';
  private readonly env: NodeJS.ProcessEnv;

  /** @param extraEnv more environment for the job, e.g. STATE_PG_CONN_STR */
  constructor(toolchain: Toolchain, name: string, extraEnv: NodeJS.ProcessEnv = {}) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `main-job-${name}-`));
    fs.cpSync(PROJECT_ROOT, this.dir, {
      recursive: true,
      filter: (src) => !NOT_COPIED.has(path.basename(src)) && !/\.tfstate/.test(path.basename(src)),
    });
    fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(this.dir, 'node_modules'));
    this.env = {
      ...process.env,
      VOTING_APP_IMAGES: 'local',
      TF_PROVIDER_MIRROR: toolchain.mirrorDir,
      LOCAL_IMAGES_CACHE: path.join(PROJECT_ROOT, '.cache', 'images'),
      CHECKPOINT_DISABLE: '1',
      FORCE_COLOR: '0',
      NO_COLOR: '1',
      ...(toolchain.terraformBinary ? { TERRAFORM_BINARY_NAME: toolchain.terraformBinary } : {}),
      ...extraEnv,
    };
    // The job finds its own configuration, password and state, as on a developer's machine.
    for (const own of ['TF_CLI_CONFIG_FILE', 'TF_VAR_db_password', 'TF_VAR_state_passphrase', 'CDKTF_STATE_DIR']) delete this.env[own];
  }

  /**
   * A command as the docs show it (`documented(...)`: lines run in one shell, in order), in the copy, with the
   * job's environment and `extraEnv`; e.g. `npm run review -- voting-app`.
   */
  public runDocumented(lines: string[], extraEnv: NodeJS.ProcessEnv = {}, options: Partial<RunOptions> = {}): Promise<RunResult> {
    const env = { ...this.env, ...extraEnv };
    for (const [key, value] of Object.entries(extraEnv)) if (value === undefined) delete env[key];
    return run('bash', ['-euo', 'pipefail', '-c', lines.join('\n')], { cwd: this.dir, env, timeoutMs: 900_000, ...options });
  }

  /** `bash ops/main-job/voting-app.sh <action>` in the copy; `extraEnv` for this run only (undefined unsets). */
  public run(action: 'deploy' | 'diff' | 'destroy', options: Partial<RunOptions> = {}, extraEnv: NodeJS.ProcessEnv = {}): Promise<RunResult> {
    const env = { ...this.env, ...extraEnv };
    for (const [key, value] of Object.entries(extraEnv)) if (value === undefined) delete env[key];
    return run('bash', ['ops/main-job/voting-app.sh', action], { cwd: this.dir, env, timeoutMs: 600_000, ...options });
  }

  public get statePath(): string {
    return path.join(this.dir, `terraform.${this.stack}.tfstate`);
  }

  public get stackDir(): string {
    return path.join(this.dir, 'cdktf.out', 'stacks', this.stack);
  }

  /** The generated database password (.secrets/db-password). */
  public password(): string {
    return fs.readFileSync(path.join(this.dir, '.secrets', 'db-password'), 'utf8');
  }

  /** The state's passphrase the job generated (.secrets/state-passphrase), where it encrypts the state (OpenTofu). */
  public statePassphrase(): string | undefined {
    const file = path.join(this.dir, '.secrets', 'state-passphrase');
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  }

  /**
   * `terraform state list` in the stack folder: the addresses Terraform has in the state (decrypted by OpenTofu);
   * `cli` picks the binary as `run` does (`{ TERRAFORM_BINARY_NAME: 'tofu' }`).
   */
  public async stateList(cli: { TERRAFORM_BINARY_NAME?: string } = {}): Promise<string[]> {
    const terraform = cli.TERRAFORM_BINARY_NAME ?? this.env.TERRAFORM_BINARY_NAME ?? 'terraform';
    // A deploy killed before its first write leaves no state: Terraform lists nothing there, OpenTofu fails.
    if (!fs.existsSync(this.statePath)) return [];
    const passphrase = this.statePassphrase();
    const env = { ...this.env, ...(passphrase ? { TF_VAR_state_passphrase: passphrase } : {}) };
    const result = await run(terraform, ['state', 'list', `-state=${this.statePath}`], { cwd: this.stackDir, env, timeoutMs: 60_000 });
    // OpenTofu says so where a killed deploy left a state file without a state in it; Terraform lists nothing.
    if (result.code !== 0 && /No state file was found/.test(result.output)) return [];
    if (result.code !== 0) throw new Error(`terraform state list failed: ${result.output}`);
    return result.stdout.split('\n').filter(Boolean).sort();
  }

  /** The managed resources the synthesized stack declares, as Terraform addresses. */
  public declaredResources(): string[] {
    const config = JSON.parse(fs.readFileSync(path.join(this.stackDir, 'cdk.tf.json'), 'utf8')) as { resource: Record<string, Record<string, unknown>> };
    return Object.entries(config.resource).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`)).sort();
  }

  public cleanUp(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Files under `dir` (node_modules skipped) whose content contains `needle` and that others than the owner can read. */
export function othersCanRead(dir: string, needle: string): string[] {
  const found: string[] = [];
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(full);
      else if (entry.isFile() && (fs.statSync(full).mode & 0o044) !== 0 && fs.readFileSync(full).includes(needle)) {
        found.push(path.relative(dir, full));
      }
    }
  };
  walk(dir);
  return found.sort();
}
