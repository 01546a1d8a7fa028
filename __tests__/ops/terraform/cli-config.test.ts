/**
 * ops/terraform/cli-config.ts, the one writer of the Terraform CLI configuration: what it writes, and when the main
 * job writes it (a mirror that holds the provider, no CLI configuration named that exists).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CLI_CONFIG_FILE, mirrorFor, mirrorHasProvider, terraformCli, useProviderMirror, writeCliConfig } from '../../../ops/terraform/cli-config';

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
  const empty = path.join(dir, 'empty-mirror');
  expect(writeCliConfig(file, empty, 'terraform', path.join(dir, 'tofu-links'))).toBe(file);
  expect(fs.readFileSync(file, 'utf8')).toBe(
    [
      'provider_installation {',
      '  filesystem_mirror {',
      `    path    = "${empty}"`,
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

test("Terraform also installs the provider under OpenTofu's address, from links: a state OpenTofu wrote names it there", () => {
  const file = path.join(dir, 'terraform.tfrc');
  const links = path.join(dir, 'tofu-links');
  fs.mkdirSync(path.join(mirror, 'registry.example', 'kreuzwerker', 'docker', '3.6.2', 'linux_amd64'), { recursive: true });
  writeCliConfig(file, mirror, 'terraform', links);
  expect(fs.readFileSync(file, 'utf8')).toBe(
    [
      'provider_installation {',
      '  filesystem_mirror {',
      `    path    = "${mirror}"`,
      '    include = ["kreuzwerker/docker"]',
      '  }',
      '  filesystem_mirror {',
      `    path    = "${links}"`,
      '    include = ["registry.opentofu.org/kreuzwerker/docker"]',
      '  }',
      '  direct {',
      '    exclude = ["kreuzwerker/docker", "registry.opentofu.org/kreuzwerker/docker"]',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  expect(fs.readlinkSync(path.join(links, 'registry.opentofu.org', 'kreuzwerker', 'docker', '3.6.2', 'linux_amd64'))).toBe(
    path.join(mirror, 'registry.example', 'kreuzwerker', 'docker', '3.6.2', 'linux_amd64'),
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

describe('OpenTofu (TERRAFORM_BINARY_NAME=tofu)', () => {
  const TOFU = terraformCli({ TERRAFORM_BINARY_NAME: 'tofu' });
  let terraformMirror: string;
  let tofuMirror: string;
  beforeEach(() => {
    terraformMirror = path.join(dir, 'opt-mirror');
    tofuMirror = path.join(dir, 'tofu-mirror');
    const docker = path.join(terraformMirror, 'registry.terraform.io', 'kreuzwerker', 'docker');
    fs.mkdirSync(path.join(docker, '3.6.2', 'linux_amd64'), { recursive: true });
    fs.writeFileSync(path.join(docker, '3.6.2', 'linux_amd64', 'terraform-provider-docker_v3.6.2'), 'binary');
    fs.writeFileSync(path.join(docker, 'terraform-provider-docker_3.6.3_linux_amd64.zip'), 'zip');
  });

  test('the CLI is told by the file name of TERRAFORM_BINARY_NAME, and so is the registry a bare provider source belongs to', () => {
    expect(terraformCli({})).toEqual({ binary: 'terraform', product: 'Terraform', registryHost: 'registry.terraform.io' });
    expect(terraformCli({ TERRAFORM_BINARY_NAME: '' }).product).toBe('Terraform');
    expect(TOFU).toEqual({ binary: 'tofu', product: 'OpenTofu', registryHost: 'registry.opentofu.org' });
    expect(terraformCli({ TERRAFORM_BINARY_NAME: '/usr/local/bin/tofu' }).product).toBe('OpenTofu');
    expect(terraformCli({ TERRAFORM_BINARY_NAME: '/opt/tofu-dir/terraform' }).product).toBe('Terraform');
  });

  test("a Terraform mirror is laid out for OpenTofu under its registry's host, by links: nothing of the provider is copied", () => {
    expect(mirrorFor(TOFU, terraformMirror, tofuMirror)).toBe(tofuMirror);
    const docker = path.join(tofuMirror, 'registry.opentofu.org', 'kreuzwerker', 'docker');
    const source = path.join(terraformMirror, 'registry.terraform.io', 'kreuzwerker', 'docker');
    expect(fs.lstatSync(path.join(docker, '3.6.2')).isSymbolicLink()).toBe(false);
    expect(fs.readlinkSync(path.join(docker, '3.6.2', 'linux_amd64'))).toBe(path.join(source, '3.6.2', 'linux_amd64'));
    expect(fs.readlinkSync(path.join(docker, 'terraform-provider-docker_3.6.3_linux_amd64.zip'))).toBe(
      path.join(source, 'terraform-provider-docker_3.6.3_linux_amd64.zip'),
    );
    expect(fs.readFileSync(path.join(docker, '3.6.2', 'linux_amd64', 'terraform-provider-docker_v3.6.2'), 'utf8')).toBe('binary');
    // Again (every run lays it out): the links stay; one that points elsewhere is put right.
    fs.rmSync(path.join(docker, '3.6.2', 'linux_amd64'));
    fs.symlinkSync(path.join(dir, 'gone'), path.join(docker, '3.6.2', 'linux_amd64'));
    expect(mirrorFor(TOFU, terraformMirror, tofuMirror)).toBe(tofuMirror);
    expect(fs.readlinkSync(path.join(docker, '3.6.2', 'linux_amd64'))).toBe(path.join(source, '3.6.2', 'linux_amd64'));
  });

  test("Terraform reads the mirror as it is, and so does OpenTofu where the mirror has OpenTofu's host; an empty mirror is left alone", () => {
    expect(mirrorFor(terraformCli({}), terraformMirror, tofuMirror)).toBe(terraformMirror);
    fs.mkdirSync(path.join(terraformMirror, 'registry.opentofu.org', 'kreuzwerker', 'docker', '3.6.2'), { recursive: true });
    expect(mirrorFor(TOFU, terraformMirror, tofuMirror)).toBe(terraformMirror);
    expect(mirrorFor(TOFU, path.join(dir, 'empty'), tofuMirror)).toBe(path.join(dir, 'empty'));
    expect(fs.existsSync(tofuMirror)).toBe(false);
  });

  test("the configuration for tofu names OpenTofu's mirror folder; the main job's too, from TOFU_PROVIDER_MIRROR", () => {
    const file = writeCliConfig(path.join(dir, 'tofu.tfrc'), terraformMirror, 'tofu', tofuMirror);
    expect(fs.readFileSync(file, 'utf8')).toContain(`path    = "${tofuMirror}"`);
    const project = path.join(dir, 'project');
    const env = { TERRAFORM_BINARY_NAME: 'tofu', TF_PROVIDER_MIRROR: terraformMirror, TOFU_PROVIDER_MIRROR: path.join(dir, 'job-mirror') };
    expect(useProviderMirror(env, project)).toEqual({ file: path.join(project, CLI_CONFIG_FILE), mirror: path.join(dir, 'job-mirror') });
    expect(fs.readFileSync(path.join(project, CLI_CONFIG_FILE), 'utf8')).toContain(`path    = "${path.join(dir, 'job-mirror')}"`);
    expect(fs.existsSync(path.join(dir, 'job-mirror', 'registry.opentofu.org', 'kreuzwerker', 'docker', '3.6.2', 'linux_amd64'))).toBe(true);
  });
});
