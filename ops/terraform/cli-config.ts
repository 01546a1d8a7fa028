import * as fs from 'fs';
import * as path from 'path';

/**
 * Writes the Terraform CLI configuration that installs kreuzwerker/docker from the filesystem mirror `mirrorDir`
 * and nothing from the network; returns `file`. Shared by the deploy tier, the bench and the scripts.
 */
export function writeCliConfig(file: string, mirrorDir: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    [
      'provider_installation {',
      '  filesystem_mirror {',
      `    path    = ${JSON.stringify(mirrorDir)}`,
      '    include = ["kreuzwerker/docker"]',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  return file;
}
