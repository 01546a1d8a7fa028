/**
 * ops/terraform/cli-config.ts, the one writer of the Terraform CLI configuration: what it writes, and when the main
 * job writes it (a mirror that holds the provider, no CLI configuration named that exists).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CLI_CONFIG_FILE, mirrorHasProvider, useProviderMirror, writeCliConfig } from '../../../ops/terraform/cli-config';

let dir: string;
let mirror: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-config-'));
  mirror = path.join(dir, 'mirror');
  fs.mkdirSync(path.join(mirror, 'registry.example', 'kreuzwerker', 'docker', '3.6.2'), { recursive: true });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('the configuration takes kreuzwerker/docker from the mirror only, and any other provider from its registry', () => {
  const file = path.join(dir, 'nested', 'terraform.tfrc');
  expect(writeCliConfig(file, '/opt/terraform-provider-mirror')).toBe(file);
  expect(fs.readFileSync(file, 'utf8')).toBe(
    [
      'provider_installation {',
      '  filesystem_mirror {',
      '    path    = "/opt/terraform-provider-mirror"',
      '    include = ["kreuzwerker/docker"]',
      '  }',
      '  direct {',
      '    exclude = ["kreuzwerker/docker"]',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
});

test('a mirror holds the provider when some host folder has a version of kreuzwerker/docker', () => {
  expect(mirrorHasProvider(mirror)).toBe(true);
  expect(mirrorHasProvider(path.join(dir, 'nowhere'))).toBe(false);
  fs.rmdirSync(path.join(mirror, 'registry.example', 'kreuzwerker', 'docker', '3.6.2'));
  expect(mirrorHasProvider(mirror)).toBe(false);
});

test('the main job writes the file into the project folder when the mirror has the provider', () => {
  const project = path.join(dir, 'project');
  expect(useProviderMirror({ TF_PROVIDER_MIRROR: mirror }, project)).toEqual({ file: path.join(project, CLI_CONFIG_FILE), mirror });
  expect(fs.readFileSync(path.join(project, '.terraform-cli.tfrc'), 'utf8')).toContain(`path    = "${mirror}"`);
});

test('a CLI configuration the environment names and that exists wins; one that is not there does not', () => {
  const own = path.join(dir, 'own.tfrc');
  fs.writeFileSync(own, '# mine\n');
  expect(useProviderMirror({ TF_PROVIDER_MIRROR: mirror, TF_CLI_CONFIG_FILE: own }, dir)).toBeUndefined();
  expect(fs.existsSync(path.join(dir, CLI_CONFIG_FILE))).toBe(false);
  expect(useProviderMirror({ TF_PROVIDER_MIRROR: mirror, TF_CLI_CONFIG_FILE: path.join(dir, 'gone.tfrc') }, dir)?.file).toBe(
    path.join(dir, CLI_CONFIG_FILE),
  );
});

test('no provider in the mirror: nothing is written, Terraform downloads as usual', () => {
  expect(useProviderMirror({ TF_PROVIDER_MIRROR: path.join(dir, 'empty') }, dir)).toBeUndefined();
  expect(fs.existsSync(path.join(dir, CLI_CONFIG_FILE))).toBe(false);
});
