/**
 * ops/state/backend-switch.ts: what the main job does when the stack's backend changed since the last init (local
 * state to PostgreSQL or back). Needs no engine; the switch itself is in the deploy tier (e2e/state-backends).
 */
import { backendChanged, decideBackendSwitch, declaredBackend, describeBackend, initialisedBackend } from '../../../ops/state/backend-switch';

describe('a backend that changed since the last init', () => {
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
