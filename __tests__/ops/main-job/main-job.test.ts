/**
 * The main job driver's decisions that need no engine: its options, the environment of its Terraform commands, and
 * when it runs `terraform init` again.
 * The deploy, diff and destroy themselves are in the deploy tier (e2e/main-job.e2e.test.ts).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { backendProbeConfig, initKey, needsInit, parseOptions, terraformEnv } from '../../../ops/main-job/main-job';

const STACK_JSON = {
  terraform: {
    required_providers: { docker: { source: 'kreuzwerker/docker', version: '3.6.2' } },
    backend: { local: { path: '/project/terraform.voting-app.tfstate' } },
  },
  resource: { docker_network: { a: { name: 'a' } } },
};

describe('main job options', () => {
  test('an action and defaults that match cdktf: stack voting-app, app dist/main.js, output cdktf.out', () => {
    expect(parseOptions(['deploy'], {})).toEqual({
      action: 'deploy',
      stack: 'voting-app',
      app: path.join('dist', 'main.js'),
      out: 'cdktf.out',
      parallelism: undefined,
      detailedExitcode: false,
      planOut: undefined,
      lockTimeout: undefined,
      outputsFile: undefined,
      backendChoice: undefined,
    });
    expect(parseOptions(['diff', '--detailed-exitcode', '--parallelism', '4'], { CDKTF_OUTDIR: '/tmp/x' })).toMatchObject({
      action: 'diff',
      out: '/tmp/x',
      parallelism: 4,
      detailedExitcode: true,
    });
  });

  test('a missing or unknown action, an unknown option or a bad parallelism is refused', () => {
    expect(() => parseOptions([], {})).toThrow(/no action given/);
    expect(() => parseOptions(['apply'], {})).toThrow(/"apply" is not one of deploy, diff, destroy/);
    expect(() => parseOptions(['deploy', '--force'], {})).toThrow(/--force/);
    expect(() => parseOptions(['deploy', '--parallelism', '0'], {})).toThrow(/--parallelism 0/);
  });

  test('a review plan: a saved plan of a diff, waiting for the lock; --plan-out with another action is refused', () => {
    expect(parseOptions(['diff', '--plan-out', 'review.tfplan', '--lock-timeout', '120s'], {})).toMatchObject({
      planOut: 'review.tfplan',
      lockTimeout: '120s',
    });
    expect(() => parseOptions(['deploy', '--plan-out', 'x.tfplan'], {})).toThrow(/--plan-out saves the plan of a diff only/);
    expect(() => parseOptions(['diff', '--lock-timeout', 'soon'], {})).toThrow(/--lock-timeout soon: give a duration/);
  });

  test('a changed backend: --migrate-state or --reconfigure, not both', () => {
    expect(parseOptions(['deploy', '--migrate-state'], {}).backendChoice).toBe('migrate-state');
    expect(parseOptions(['destroy', '--reconfigure'], {}).backendChoice).toBe('reconfigure');
    expect(() => parseOptions(['deploy', '--migrate-state', '--reconfigure'], {})).toThrow('--migrate-state and --reconfigure exclude each other: choose one');
  });
});

describe('when the driver runs terraform init', () => {
  const key = initKey(STACK_JSON, 'mirror A');

  test('the key follows the providers, the backend block and the CLI configuration, not the resources', () => {
    const withResources = { ...STACK_JSON, resource: { docker_network: { b: { name: 'b' } } } };
    expect(initKey(withResources, 'mirror A')).toBe(key);
    const pg = { terraform: { ...STACK_JSON.terraform, backend: { pg: { conn_str: 'postgres://u:p@127.0.0.1/state' } } } };
    expect(initKey(pg, 'mirror A')).not.toBe(key);
    const otherPath = { terraform: { ...STACK_JSON.terraform, backend: { local: { path: '/elsewhere.tfstate' } } } };
    expect(initKey(otherPath, 'mirror A')).not.toBe(key);
    const newer = { terraform: { ...STACK_JSON.terraform, required_providers: { docker: { source: 'kreuzwerker/docker', version: '3.6.3' } } } };
    expect(initKey(newer, 'mirror A')).not.toBe(key);
    expect(initKey(STACK_JSON, 'mirror B')).not.toBe(key);
    // Only a hash is kept: a connection string's password never lands in .terraform/.
    expect(initKey(pg, 'mirror A')).toMatch(/^[0-9a-f]{64}$/);
  });

  test('the key follows the CLI: a folder initialised by OpenTofu is initialised again for Terraform, and back', () => {
    const terraform = initKey(STACK_JSON, 'mirror A', { product: 'Terraform', registryHost: 'registry.terraform.io' });
    const tofu = initKey(STACK_JSON, 'mirror A', { product: 'OpenTofu', registryHost: 'registry.opentofu.org' });
    expect(tofu).not.toBe(terraform);
    expect(initKey(STACK_JSON, 'mirror A', { product: 'Terraform', registryHost: 'registry.terraform.io' })).toBe(terraform);
  });

  test('needed in a fresh folder, after a key change or without providers; not when all is in place', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'main-job-init-'));
    try {
      expect(needsInit(dir, key)).toBe(true);
      fs.mkdirSync(path.join(dir, '.terraform', 'providers'), { recursive: true });
      fs.writeFileSync(path.join(dir, '.terraform.lock.hcl'), '');
      expect(needsInit(dir, key)).toBe(true); // initialised by someone else (cdktf): no key yet
      fs.writeFileSync(path.join(dir, '.terraform', 'main-job-init.sha256'), `${key}\n`);
      expect(needsInit(dir, key)).toBe(false);
      expect(needsInit(dir, initKey(STACK_JSON, 'mirror B'))).toBe(true);
      fs.rmSync(path.join(dir, '.terraform', 'providers'), { recursive: true });
      expect(needsInit(dir, key)).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the environment of its Terraform commands', () => {
  let dir: string;
  let stderr: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'main-job-env-'));
    fs.mkdirSync(path.join(dir, 'mirror', 'registry.example', 'kreuzwerker', 'docker', '3.6.2'), { recursive: true });
    stderr = '';
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const base = () => ({ TF_PROVIDER_MIRROR: path.join(dir, 'mirror'), TF_PLUGIN_CACHE_DIR: path.join(dir, 'cache'), KEPT: 'yes' });

  test('the provider from the filesystem mirror: the job writes the CLI config into the project folder and says so', () => {
    const env = terraformEnv(base(), dir);
    expect(env).toMatchObject({
      KEPT: 'yes',
      TF_CLI_CONFIG_FILE: path.join(dir, '.terraform-cli.tfrc'),
      TF_PLUGIN_CACHE_DIR: path.join(dir, 'cache'),
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
    });
    expect(fs.readFileSync(env.TF_CLI_CONFIG_FILE!, 'utf8')).toContain('include = ["kreuzwerker/docker"]');
    expect(fs.existsSync(path.join(dir, 'cache'))).toBe(true);
    expect(stderr).toBe(`main-job: Terraform (terraform) takes the provider from the filesystem mirror ${path.join(dir, 'mirror')}\n`);
  });

  test("under OpenTofu the job names it, and the mirror is laid out under OpenTofu's registry host", () => {
    const tofuMirror = path.join(dir, 'tofu-mirror');
    fs.mkdirSync(path.join(dir, 'mirror', 'registry.example', 'kreuzwerker', 'docker', '3.6.2', 'linux_amd64'));
    const env = terraformEnv({ ...base(), TERRAFORM_BINARY_NAME: 'tofu', TOFU_PROVIDER_MIRROR: tofuMirror }, dir);
    expect(fs.readFileSync(env.TF_CLI_CONFIG_FILE!, 'utf8')).toContain(`path    = "${tofuMirror}"`);
    expect(fs.readlinkSync(path.join(tofuMirror, 'registry.opentofu.org', 'kreuzwerker', 'docker', '3.6.2', 'linux_amd64'))).toBe(
      path.join(dir, 'mirror', 'registry.example', 'kreuzwerker', 'docker', '3.6.2', 'linux_amd64'),
    );
    expect(stderr).toBe(`main-job: OpenTofu (tofu) takes the provider from the filesystem mirror ${tofuMirror}\n`);
  });

  test('a CLI config the caller names is kept, and the job says nothing of a mirror', () => {
    const own = path.join(dir, 'own.tfrc');
    fs.writeFileSync(own, '');
    expect(terraformEnv({ ...base(), TF_CLI_CONFIG_FILE: own }, dir).TF_CLI_CONFIG_FILE).toBe(own);
    expect(fs.existsSync(path.join(dir, '.terraform-cli.tfrc'))).toBe(false);
    expect(stderr).toBe('');
  });
});

describe('reading the state of a backend in a folder of its own (a changed backend)', () => {
  const pg = { type: 'pg', config: { conn_str: 'postgres://u@127.0.0.1/s', schema_name: 'voting_app', skip_schema_creation: null } };

  test('the backend alone, without the settings Terraform records as null', () => {
    expect(backendProbeConfig(pg, STACK_JSON)).toEqual({ terraform: { backend: { pg: { conn_str: 'postgres://u@127.0.0.1/s', schema_name: 'voting_app' } } } });
  });

  test("an encrypted state is read with the stack's encryption block and its variables", () => {
    const encryption = { key_provider: { pbkdf2: { passphrase: { passphrase: '${var.state_passphrase}' } } } };
    const variable = { state_passphrase: { type: 'string', sensitive: true } };
    expect(backendProbeConfig(pg, { terraform: { ...STACK_JSON.terraform, encryption }, variable })).toEqual({
      terraform: { backend: { pg: { conn_str: 'postgres://u@127.0.0.1/s', schema_name: 'voting_app' } }, encryption },
      variable,
    });
  });
});
