/**
 * ops/main-job/terraform-env.sh, the environment the main job and the review share: the settings of the last deploy
 * that stick, and the refusal of an empty STATE_PG_CONN_STR. Run in bash in a temp folder; no engine.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fakeDocker } from '../fake-docker';

const ENV_SH = path.resolve(__dirname, '..', '..', '..', 'ops', 'main-job', 'terraform-env.sh');
let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'terraform-env-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs `script` after sourcing terraform-env.sh in `dir`, with only `env` (and PATH) set. */
function bash(script: string, env: Record<string, string> = {}) {
  const result = spawnSync('bash', ['-euo', 'pipefail', '-c', `source "${ENV_SH}"\n${script}`], {
    cwd: dir,
    env: { PATH: process.env.PATH, ...env },
    // stdin from /dev/null: on a socket (node's default pipe), Debian's bash takes itself for one run by sshd and
    // reads /etc/bash.bashrc.
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const settings = () => fs.readFileSync(path.join(dir, '.voting-app.settings'), 'utf8');

test('a deploy records the settings it used; a later run without them takes them and says so; a set one wins', () => {
  expect(bash('record_deploy_settings', { VOTING_APP_IMAGES: 'local', VOTING_APP_SEGMENTATION: 'strict' }).code).toBe(0);
  expect(settings()).toBe('VOTING_APP_IMAGES=local\nVOTING_APP_SEGMENTATION=strict\n');

  const later = bash('use_deploy_settings; echo "$VOTING_APP_IMAGES $VOTING_APP_SEGMENTATION"', { VOTING_APP_SEGMENTATION: 'shared-backend' });
  expect(later.stdout).toBe('local shared-backend\n');
  expect(later.stderr).toBe('voting-app: VOTING_APP_IMAGES=local, as in the last deploy (.voting-app.settings); set VOTING_APP_IMAGES to change it\n');
});

test('no record yet: nothing is set; names that are not settings are ignored', () => {
  expect(bash('use_deploy_settings; echo "${VOTING_APP_IMAGES:-unset}"').stdout).toBe('unset\n');
  fs.writeFileSync(path.join(dir, '.voting-app.settings'), 'PATH=/nowhere\nVOTING_APP_IMAGES=local\n');
  expect(bash('use_deploy_settings; echo "$PATH $VOTING_APP_IMAGES"').stdout).toBe(`${process.env.PATH} local\n`);
});

test('the host mode chosen for a kernel without IPVS is not recorded; one the user set is', () => {
  const auto = bash('AUTO_SWARM_PUBLISH=VOTING_APP_SWARM_PUBLISH=host; record_deploy_settings', {
    VOTING_APP_ORCHESTRATOR: 'swarm',
    VOTING_APP_SWARM_PUBLISH: 'host',
  });
  expect(auto.code).toBe(0);
  expect(settings()).toBe('VOTING_APP_ORCHESTRATOR=swarm\n');
  bash('record_deploy_settings', { VOTING_APP_ORCHESTRATOR: 'swarm', VOTING_APP_SWARM_PUBLISH: 'ingress' });
  expect(settings()).toBe('VOTING_APP_ORCHESTRATOR=swarm\nVOTING_APP_SWARM_PUBLISH=ingress\n');
});

test('an empty STATE_PG_CONN_STR is refused before anything starts; unset or set is fine', () => {
  const empty = bash('refuse_empty_state_connection; echo started', { STATE_PG_CONN_STR: '' });
  expect(empty.code).toBe(1);
  expect(empty.stdout).toBe('');
  expect(empty.stderr).toBe(
    'voting-app: STATE_PG_CONN_STR is set but empty (did npm run state:start fail?); set it to a postgres:// URL, or unset it to keep the state local\n',
  );
  expect(bash('refuse_empty_state_connection; echo started').stdout).toBe('started\n');
  expect(bash('refuse_empty_state_connection; echo started', { STATE_PG_CONN_STR: 'postgres://x@127.0.0.1/db' }).stdout).toBe('started\n');
});

describe('a remote engine (DOCKER_HOST)', () => {
  /** A fake docker whose engine carries `labels`. */
  const withLabels = (...labels: string[]) => fakeDocker(dir, [['info --format \\{\\{range \\.Labels', labels.join('\n')]]);

  test('remote_engine: DOCKER_HOST set to anything but the default socket', () => {
    const remote = (env: Record<string, string>) => bash('remote_engine && echo remote || echo local', env).stdout;
    expect(remote({})).toBe('local\n');
    expect(remote({ DOCKER_HOST: 'unix:///var/run/docker.sock' })).toBe('local\n');
    expect(remote({ DOCKER_HOST: 'tcp://10.77.0.11:2376' })).toBe('remote\n');
    expect(remote({ DOCKER_HOST: 'ssh://deploy@manager-1' })).toBe('remote\n');
  });

  test('host mode where the remote engine says its kernel has no IPVS, and it says why; not otherwise', () => {
    const swarm = { VOTING_APP_ORCHESTRATOR: 'swarm', DOCKER_HOST: 'tcp://10.77.0.11:2376' };
    const labelled = withLabels('lab.node=dlab-node1', 'cdktf-docker-networking.ipvs=false');
    const run = bash('use_swarm_publish_mode; echo "$VOTING_APP_SWARM_PUBLISH $AUTO_SWARM_PUBLISH"', { ...swarm, PATH: `${labelled.bin}:${process.env.PATH}` });
    expect(run.stdout).toBe('host VOTING_APP_SWARM_PUBLISH=host\n');
    expect(run.stderr).toBe(
      'voting-app: the engine at tcp://10.77.0.11:2376 says its kernel has no IPVS (cdktf-docker-networking.ipvs=false), ' +
        'so the ingress mesh would never answer; publishing vote and result in host mode (VOTING_APP_SWARM_PUBLISH=ingress overrides)\n',
    );
    const plain = withLabels('lab.node=dlab-node1');
    expect(bash('use_swarm_publish_mode; echo "${VOTING_APP_SWARM_PUBLISH:-ingress}"', { ...swarm, PATH: `${plain.bin}:${process.env.PATH}` })).toEqual({
      code: 0,
      stdout: 'ingress\n',
      stderr: '',
    });
  });

  test('the label is found where docker writes after it (grep, done first, must not fail the check under pipefail)', () => {
    const bin = path.join(dir, 'slow-bin');
    fs.mkdirSync(bin, { recursive: true });
    // The docker CLI ends `info --format` with a newline of its own, written after the template's lines.
    fs.writeFileSync(path.join(bin, 'docker'), "#!/usr/bin/env bash\nprintf 'cdktf-docker-networking.ipvs=false\\n'; sleep 0.3; printf '\\n'\n", { mode: 0o755 });
    const env = { DOCKER_HOST: 'tcp://10.77.0.11:2376', PATH: `${bin}:${process.env.PATH}` };
    expect(bash('set -o pipefail; engine_lacks_ipvs && echo lacks || echo has', env).stdout).toBe('lacks\n');
  });

  test('use_data_node_label: on Swarm the stack pins db and redis by voting-app.data=true; containers need none', () => {
    expect(bash('use_data_node_label; echo "$VOTING_APP_DATA_NODE_LABEL"', { VOTING_APP_ORCHESTRATOR: 'swarm' }).stdout).toBe('voting-app.data=true\n');
    expect(bash('use_data_node_label; echo "${VOTING_APP_DATA_NODE_LABEL:-none}"').stdout).toBe('none\n');
  });
});

describe('OpenTofu and the state passphrase', () => {
  const passphraseFile = () => path.join(dir, '.secrets', 'state-passphrase');

  test('under OpenTofu the state is encrypted by default with a passphrase generated once into .secrets/, 0600', () => {
    const first = bash('use_state_passphrase; echo "$(state_encryption_mode) $TF_VAR_state_passphrase"', { TERRAFORM_BINARY_NAME: 'tofu' });
    const passphrase = fs.readFileSync(passphraseFile(), 'utf8');
    expect(passphrase).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.stdout).toBe(`on ${passphrase}\n`);
    expect((fs.statSync(passphraseFile()).mode & 0o777).toString(8)).toBe('600');
    expect(bash('use_state_passphrase; echo "$TF_VAR_state_passphrase"', { TERRAFORM_BINARY_NAME: '/usr/local/bin/tofu', STATE_ENCRYPTION: 'decrypt' }).stdout).toBe(
      `${passphrase}\n`,
    );
  });

  test('under Terraform, or with STATE_ENCRYPTION=off, no passphrase; one the environment gives wins', () => {
    expect(bash('use_state_passphrase; echo "$(state_encryption_mode) ${TF_VAR_state_passphrase:-none}"').stdout).toBe('off none\n');
    expect(bash('use_state_passphrase; echo "${TF_VAR_state_passphrase:-none}"', { TERRAFORM_BINARY_NAME: 'tofu', STATE_ENCRYPTION: 'off' }).stdout).toBe('none\n');
    expect(fs.existsSync(passphraseFile())).toBe(false);
    expect(bash('use_state_passphrase; echo "$TF_VAR_state_passphrase"', { TERRAFORM_BINARY_NAME: 'tofu', TF_VAR_state_passphrase: 'mine-0123456789abcdef' }).stdout).toBe(
      'mine-0123456789abcdef\n',
    );
    expect(fs.existsSync(passphraseFile())).toBe(false);
  });

  test('tofu on PATH is used as it is; Terraform never calls the installer', () => {
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'tofu'), '#!/bin/sh\necho tofu\n', { mode: 0o755 });
    const env = { PATH: `${bin}:${process.env.PATH}` };
    expect(bash('use_terraform_binary; echo ok', { ...env, TERRAFORM_BINARY_NAME: 'tofu' }).stdout).toBe('ok\n');
    expect(bash('use_terraform_binary; echo ok').stdout).toBe('ok\n');
  });
});
