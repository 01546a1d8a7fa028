/**
 * The main job driver's decisions that need no engine: its options, and when it runs `terraform init` again.
 * The deploy, diff and destroy themselves are in the deploy tier (e2e/main-job.e2e.test.ts).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { backendChanged, decideBackendSwitch, declaredBackend, describeBackend, initialisedBackend } from '../../../ops/state/backend-switch';
import { initKey, needsInit, parseOptions } from '../../../ops/main-job/main-job';

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

describe('a backend that changed since the last init (ops/state/backend-switch.ts)', () => {
  const LOCAL = { type: 'local', config: { path: '/project/terraform.voting-app.tfstate' } };
  const PG = { type: 'pg', config: { conn_str: 'postgres://terraform:s3cret@127.0.0.1:55432/terraform_state?sslmode=disable', schema_name: 'voting_app' } };
  /** `.terraform/terraform.tfstate` as Terraform writes it: every setting of the backend, unset ones as null. */
  const record = (backend: { type: string; config: Record<string, unknown> }) =>
    JSON.stringify({ version: 3, backend: { type: backend.type, config: { workspace_dir: null, ...backend.config }, hash: 1 } });

  test('read from the stack and from the record of the last init; unset settings do not count as a change', () => {
    expect(declaredBackend({ terraform: { backend: { pg: PG.config } } })).toEqual(PG);
    expect(declaredBackend({})).toBeUndefined();
    expect(initialisedBackend(record(LOCAL))).toEqual({ type: 'local', config: { workspace_dir: null, path: LOCAL.config.path } });
    expect(initialisedBackend(undefined)).toBeUndefined();
    expect(backendChanged(initialisedBackend(record(LOCAL)), LOCAL)).toBe(false);
    expect(backendChanged(initialisedBackend(record(LOCAL)), PG)).toBe(true);
    expect(backendChanged(initialisedBackend(record(PG)), { type: 'pg', config: { ...PG.config, schema_name: 'other' } })).toBe(true);
    expect(backendChanged(undefined, PG)).toBe(false); // never initialised: a plain init
  });

  test('described without the password', () => {
    expect(describeBackend(LOCAL)).toBe('the local file /project/terraform.voting-app.tfstate');
    expect(describeBackend(PG)).toBe('PostgreSQL (schema voting_app at 127.0.0.1:55432/terraform_state)');
  });

  test('an empty old state: nothing is lost, the new backend is used as it is', () => {
    expect(decideBackendSwitch({ from: LOCAL, to: PG, fromResources: 0, toResources: 13, action: 'deploy' })).toEqual({
      init: ['-reconfigure'],
      note:
        "the stack's state moved from the local file /project/terraform.voting-app.tfstate (0 resources) to PostgreSQL (schema voting_app at " +
        '127.0.0.1:55432/terraform_state) (13 resources): the old state is empty, so nothing is lost; using the state of PostgreSQL ' +
        '(schema voting_app at 127.0.0.1:55432/terraform_state) as it is',
    });
  });

  test('an old state with resources: stops with the exact command for each choice', () => {
    const decision = decideBackendSwitch({ from: LOCAL, to: PG, fromResources: 13, toResources: 0, action: 'deploy' });
    expect(decision).toEqual({
      stop: [
        "the stack's state moved from the local file /project/terraform.voting-app.tfstate (13 resources) to PostgreSQL (schema voting_app at " +
          '127.0.0.1:55432/terraform_state) (0 resources). Terraform will not choose for you, and neither will this job. Run the same command again with one of:',
        '  npm run deploy -- --migrate-state   # copy the state of the local file /project/terraform.voting-app.tfstate into PostgreSQL (schema ' +
          'voting_app at 127.0.0.1:55432/terraform_state): what is deployed stays and is managed from there',
        '  npm run deploy -- --reconfigure     # start from the empty state of PostgreSQL (schema voting_app at 127.0.0.1:55432/terraform_state): ' +
          'what the local file /project/terraform.voting-app.tfstate tracks (13 resources) is not managed from there (a deploy recreates the ' +
          "stack's containers and networks; volumes are adopted with their data; the old state stays where it is)",
        'or set the backend back as it was (STATE_PG_CONN_STR, CDKTF_STATE_DIR).',
      ].join('\n'),
    });
    const both = decideBackendSwitch({ from: PG, to: LOCAL, fromResources: 13, toResources: 1, action: 'diff' });
    expect('stop' in both && both.stop).toContain(
      '  npm run diff -- --reconfigure     # use the state of the local file /project/terraform.voting-app.tfstate as it is; the one of PostgreSQL ' +
        '(schema voting_app at 127.0.0.1:55432/terraform_state) stays where it is',
    );
  });

  test('one resource reads as one', () => {
    const both = decideBackendSwitch({ from: LOCAL, to: PG, fromResources: 1, toResources: 1, action: 'deploy' });
    expect('stop' in both && both.stop).toContain('what PostgreSQL (schema voting_app at 127.0.0.1:55432/terraform_state) tracks (1 resource) is forgotten, though still deployed');
  });

  test("the user's choice: migrate the state, or take the new one as it is", () => {
    expect(decideBackendSwitch({ from: LOCAL, to: PG, fromResources: 13, toResources: 0, choice: 'migrate-state', action: 'deploy' })).toMatchObject({
      init: ['-migrate-state', '-force-copy'],
    });
    expect(decideBackendSwitch({ from: LOCAL, to: PG, fromResources: 13, toResources: 0, choice: 'reconfigure', action: 'deploy' })).toMatchObject({
      init: ['-reconfigure'],
    });
  });
});
