import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * The Terraform CLI configuration of this repository, in one place: the main job (npm run deploy|diff|destroy, npm run
 * review), the deploy tier's cdktf runs and the bench all take kreuzwerker/docker from a filesystem mirror through it,
 * with Terraform or with OpenTofu (TERRAFORM_BINARY_NAME=tofu).
 */
const PROVIDER = 'kreuzwerker/docker';

/** The CLI that runs the stacks: Terraform, or OpenTofu under TERRAFORM_BINARY_NAME=tofu (the variable cdktf reads). */
export interface TerraformCli {
  /** The command, as TERRAFORM_BINARY_NAME gives it: `terraform`, `tofu` or a path to either. */
  readonly binary: string;
  /** Which product it is, for messages: `Terraform` or `OpenTofu`. */
  readonly product: 'Terraform' | 'OpenTofu';
  /** The registry a provider source without a host (`kreuzwerker/docker`) belongs to, as the CLI reads it. */
  readonly registryHost: 'registry.terraform.io' | 'registry.opentofu.org';
}

/** The CLI `env` names: TERRAFORM_BINARY_NAME (default `terraform`); a command whose file name starts with `tofu` is OpenTofu. */
export function terraformCli(env: NodeJS.ProcessEnv = process.env): TerraformCli {
  const binary = env.TERRAFORM_BINARY_NAME || 'terraform';
  return path.basename(binary).startsWith('tofu')
    ? { binary, product: 'OpenTofu', registryHost: 'registry.opentofu.org' }
    : { binary, product: 'Terraform', registryHost: 'registry.terraform.io' };
}

/**
 * Where OpenTofu finds the provider when the mirror holds it only under another host (a Terraform mirror:
 * `registry.terraform.io/kreuzwerker/docker/...`): a folder of links outside the project, one a version and platform.
 */
export const DEFAULT_TOFU_MIRROR = path.join(os.homedir(), '.terraform.d', 'tofu-provider-mirror');

/** Where the main job looks for the provider when TF_PROVIDER_MIRROR names no other folder. */
export const DEFAULT_PROVIDER_MIRROR = '/opt/terraform-provider-mirror';

/** The file the main job writes in the project folder (git-ignored). */
export const CLI_CONFIG_FILE = '.terraform-cli.tfrc';

/**
 * Writes the CLI configuration that installs kreuzwerker/docker from the filesystem mirror `mirrorDir`, never from the
 * network, and any other provider from its registry as usual; returns `file`. For OpenTofu (`binary` tofu) the
 * mirror is first laid out under OpenTofu's registry host (`mirrorFor`). Terraform also gets the provider under
 * OpenTofu's address: a state OpenTofu wrote names it there, and Terraform's `init` must install it before the main
 * job can move that state to Terraform's address (`state replace-provider`).
 */
export function writeCliConfig(file: string, mirrorDir: string, binary = 'terraform', tofuMirrorDir = DEFAULT_TOFU_MIRROR): string {
  const cli = terraformCli({ TERRAFORM_BINARY_NAME: binary });
  const mirrors: [string, string][] = [[mirrorFor(cli, mirrorDir, tofuMirrorDir), PROVIDER]];
  if (cli.product === 'Terraform') {
    const opentofu = terraformCli({ TERRAFORM_BINARY_NAME: 'tofu' });
    const laidOut = mirrorFor(opentofu, mirrorDir, tofuMirrorDir);
    if (safeReaddir(path.join(laidOut, opentofu.registryHost, PROVIDER)).length > 0) mirrors.push([laidOut, `${opentofu.registryHost}/${PROVIDER}`]);
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    [
      'provider_installation {',
      ...mirrors.flatMap(([dir, provider]) => ['  filesystem_mirror {', `    path    = ${JSON.stringify(dir)}`, `    include = ["${provider}"]`, '  }']),
      '  direct {',
      `    exclude = [${mirrors.map(([, provider]) => `"${provider}"`).join(', ')}]`,
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  return file;
}

/**
 * The mirror folder `cli` reads kreuzwerker/docker from. A CLI finds a provider source without a host under its own
 * registry's host: Terraform under `registry.terraform.io/`, OpenTofu under `registry.opentofu.org/`. Where
 * `mirrorDir` holds the provider under another host only, OpenTofu gets `tofuMirrorDir`, laid out (again, each time)
 * with a link for each version's platform folder or packed zip of the mirror: OpenTofu does not follow a link to a
 * folder above the platform. Nothing of the provider is copied.
 */
export function mirrorFor(cli: TerraformCli, mirrorDir: string, tofuMirrorDir = DEFAULT_TOFU_MIRROR): string {
  const hosts = safeReaddir(mirrorDir).filter((host) => safeReaddir(path.join(mirrorDir, host, PROVIDER)).length > 0);
  if (cli.product === 'Terraform' || hosts.length === 0 || hosts.includes(cli.registryHost)) return mirrorDir;
  const target = path.join(tofuMirrorDir, cli.registryHost, PROVIDER);
  for (const host of hosts) {
    const source = path.join(mirrorDir, host, PROVIDER);
    for (const entry of safeReaddir(source)) {
      const from = path.join(source, entry);
      // <version>/<platform>/ (unpacked) gets a link a platform; terraform-provider-docker_<version>_<platform>.zip (packed) a link.
      const links = fs.statSync(from).isDirectory()
        ? safeReaddir(from).map((platform) => [path.join(from, platform), path.join(target, entry, platform)])
        : [[from, path.join(target, entry)]];
      for (const [linkTarget, link] of links) linkTo(linkTarget, link);
    }
  }
  return tofuMirrorDir;
}

/** Makes `link` a symbolic link to `target`, replacing a link to anything else; two jobs doing it at once agree. */
function linkTo(target: string, link: string): void {
  fs.mkdirSync(path.dirname(link), { recursive: true });
  try {
    if (fs.readlinkSync(link) === target) return;
    fs.rmSync(link, { force: true });
  } catch {
    // not there yet (or not a link: the symlink below then says so)
  }
  try {
    fs.symlinkSync(target, link);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || fs.readlinkSync(link) !== target) throw err;
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

/** Whether `mirrorDir` holds kreuzwerker/docker in a filesystem mirror's layout (`<host>/kreuzwerker/docker/<version>`). */
export function mirrorHasProvider(mirrorDir: string): boolean {
  try {
    return fs.readdirSync(mirrorDir).some((host) => {
      const versions = path.join(mirrorDir, host, PROVIDER);
      return fs.existsSync(versions) && fs.readdirSync(versions).length > 0;
    });
  } catch {
    return false;
  }
}

/**
 * Where Terraform cannot download kreuzwerker/docker: when `env` names no CLI configuration that exists
 * (TF_CLI_CONFIG_FILE: an environment may name one that is not there) and the mirror (TF_PROVIDER_MIRROR, default
 * /opt/terraform-provider-mirror) holds the provider, writes `<projectDir>/.terraform-cli.tfrc` for the CLI `env`
 * names (TERRAFORM_BINARY_NAME; OpenTofu's mirror folder: TOFU_PROVIDER_MIRROR, default ~/.terraform.d/tofu-provider-mirror)
 * and returns it with the mirror it reads; otherwise returns undefined and writes nothing.
 */
export function useProviderMirror(env: NodeJS.ProcessEnv, projectDir: string): { file: string; mirror: string } | undefined {
  const named = env.TF_CLI_CONFIG_FILE;
  if (named && fs.existsSync(named) && fs.statSync(named).isFile()) return undefined;
  const source = env.TF_PROVIDER_MIRROR || DEFAULT_PROVIDER_MIRROR;
  if (!mirrorHasProvider(source)) return undefined;
  const cli = terraformCli(env);
  const tofuMirror = env.TOFU_PROVIDER_MIRROR || DEFAULT_TOFU_MIRROR;
  const file = writeCliConfig(path.join(projectDir, CLI_CONFIG_FILE), source, cli.binary, tofuMirror);
  return { file, mirror: mirrorFor(cli, source, tofuMirror) };
}
