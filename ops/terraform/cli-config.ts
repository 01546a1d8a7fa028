import * as fs from 'fs';
import * as path from 'path';

/**
 * The Terraform CLI configuration of this repository, in one place: the main job (npm run deploy|diff|destroy, npm run
 * review), the deploy tier's cdktf runs and the bench all take kreuzwerker/docker from a filesystem mirror through it.
 */
const PROVIDER = 'kreuzwerker/docker';

/** Where the main job looks for the provider when TF_PROVIDER_MIRROR names no other folder. */
export const DEFAULT_PROVIDER_MIRROR = '/opt/terraform-provider-mirror';

/** The file the main job writes in the project folder (git-ignored). */
export const CLI_CONFIG_FILE = '.terraform-cli.tfrc';

/**
 * Writes the Terraform CLI configuration that installs kreuzwerker/docker from the filesystem mirror `mirrorDir`,
 * never from the network, and any other provider from its registry as usual; returns `file`.
 */
export function writeCliConfig(file: string, mirrorDir: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    [
      'provider_installation {',
      '  filesystem_mirror {',
      `    path    = ${JSON.stringify(mirrorDir)}`,
      `    include = ["${PROVIDER}"]`,
      '  }',
      '  direct {',
      `    exclude = ["${PROVIDER}"]`,
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  return file;
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
 * /opt/terraform-provider-mirror) holds the provider, writes `<projectDir>/.terraform-cli.tfrc` and returns it with
 * the mirror; otherwise returns undefined and writes nothing.
 */
export function useProviderMirror(env: NodeJS.ProcessEnv, projectDir: string): { file: string; mirror: string } | undefined {
  const named = env.TF_CLI_CONFIG_FILE;
  if (named && fs.existsSync(named) && fs.statSync(named).isFile()) return undefined;
  const mirror = env.TF_PROVIDER_MIRROR || DEFAULT_PROVIDER_MIRROR;
  if (!mirrorHasProvider(mirror)) return undefined;
  return { file: writeCliConfig(path.join(projectDir, CLI_CONFIG_FILE), mirror), mirror };
}
