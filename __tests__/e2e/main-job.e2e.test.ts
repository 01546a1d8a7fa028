/**
 * Deploy tier for the main job's fast path (ops/main-job/main-job.ts, what `npm run deploy|diff|destroy` run): deploy,
 * a no-op diff and destroy of the voting app with the local images, in an isolated run folder with its own
 * cdktf.out, state (CDKTF_STATE_DIR), provider mirror config and plugin cache. Also that `cdktf diff` reads the
 * state the driver wrote and finds nothing to change, and that the state is the owner's only.
 *
 * Uses the voting app's fixed names and ports like voting-app.e2e: waits, bounded, until they are free, and
 * removes only what its own state holds. No timings are asserted (bench/ measures speed).
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PROJECT_ROOT, TIMEOUTS, parsePlan } from './support/cdktf';
import { describeDeploy } from './support/deploy-tier';
import { containerExists, docker, networkExists } from './support/docker';
import { httpAnswer } from './support/http';
import { RunResult, assertSucceeded, run } from './support/process';
import { recordTiming } from './support/timings';
import { writeCliConfig } from '../../ops/terraform/cli-config';
import { waitFor } from './support/voting';
import { LOCAL_IMAGES } from '../../stacks/images';

const STACK = 'voting-app';
const SERVICES = ['vote', 'result', 'worker', 'redis', 'db'];
const NETWORKS = ['frontend-network', 'backend-network'];
const WAIT_FOR_ENGINE_MS = Number(process.env.VOTING_APP_E2E_WAIT_SECONDS ?? 420) * 1000;
const DRIVER = path.join(PROJECT_ROOT, 'dist', 'ops', 'main-job', 'main-job.js');

/** What of the stack's names and ports is taken on the engine right now (by anyone). */
function occupied(): string[] {
  const taken = [
    ...SERVICES.filter(containerExists).map((c) => `container ${c}`),
    ...NETWORKS.filter(networkExists).map((n) => `network ${n}`),
  ];
  const ports = docker(['ps', '--format', '{{.Names}} {{.Ports}}']).stdout;
  for (const port of [5000, 5001]) if (ports.includes(`:${port}->`)) taken.push(`host port ${port}`);
  return taken;
}

function managedResources(stateFile: string): string[] {
  if (!fs.existsSync(stateFile)) return [];
  const state = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { resources?: { mode: string; type: string; name: string }[] };
  return (state.resources ?? []).filter((r) => r.mode === 'managed').map((r) => `${r.type}.${r.name}`);
}

describeDeploy('main job fast path (ops/main-job/main-job.ts) on a real engine', { images: Object.values(LOCAL_IMAGES) }, (toolchain) => {
  let dir: string | undefined;
  let env: NodeJS.ProcessEnv = {};
  let stateFile = '';
  let deployed = false;
  let destroyed = false;

  const driver = async (...args: string[]): Promise<RunResult> => {
    const result = await run('node', [DRIVER, ...args, '--app', path.join(PROJECT_ROOT, 'dist', 'main.js')], {
      cwd: dir,
      env,
      timeoutMs: TIMEOUTS.deploy,
    });
    recordTiming(STACK, `main-job ${args[0]}`, result.ms);
    return result;
  };

  beforeAll(async () => {
    // The global setup's `npm run build` compiles the app and this driver (ops/ is in tsconfig.json).
    let taken = occupied();
    if (taken.length > 0) {
      process.stderr.write(`main-job e2e: waiting up to ${WAIT_FOR_ENGINE_MS / 1000}s for ${taken.join(', ')}\n`);
      await waitFor(() => ((taken = occupied()).length === 0 ? true : undefined), WAIT_FOR_ENGINE_MS, 5_000);
    }
    if (taken.length > 0) throw new Error(`the voting app's names or ports are taken (${taken.join(', ')}); not touching them`);

    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'main-job-e2e-'));
    const stateDir = path.join(dir, 'state');
    fs.mkdirSync(stateDir);
    stateFile = path.join(stateDir, `${STACK}.tfstate`);
    // For the cdktf CLI in the same folder: the same app, the same output folder.
    const cdktfJson = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'cdktf.json'), 'utf8'));
    fs.writeFileSync(
      path.join(dir, 'cdktf.json'),
      JSON.stringify({ ...cdktfJson, app: `node "${path.join(PROJECT_ROOT, 'dist', 'main.js')}"`, sendCrashReports: 'false' }),
    );
    env = {
      ...process.env,
      CHECKPOINT_DISABLE: '1',
      TF_CLI_CONFIG_FILE: writeCliConfig(path.join(dir, 'terraform.tfrc'), toolchain.mirrorDir, toolchain.terraformBinary),
      TF_PLUGIN_CACHE_DIR: path.join(dir, 'plugin-cache'),
      CDKTF_STATE_DIR: stateDir,
      VOTING_APP_IMAGES: 'local',
      VOTING_APP_SEGMENTATION: 'shared-backend',
      TF_VAR_db_password: `main-job-e2e-${randomBytes(18).toString('base64url')}`,
      FORCE_COLOR: '0',
      NO_COLOR: '1',
      ...(toolchain.terraformBinary ? { TERRAFORM_BINARY_NAME: toolchain.terraformBinary } : {}),
    };
    delete env.CDKTF_OUTDIR;
  }, WAIT_FOR_ENGINE_MS + 300_000);

  afterAll(async () => {
    if (!dir) return;
    // Leave nothing behind when a test failed half way: destroy what the state holds.
    if (deployed && !destroyed) await driver('destroy');
    fs.rmSync(dir, { recursive: true, force: true });
  }, TIMEOUTS.destroy);

  test('deploy: init, apply of the 13 resources, a state only its owner reads, and vote answers', async () => {
    const deploy = assertSucceeded(await driver('deploy', '--outputs-file', 'outputs.json'));
    deployed = true;
    expect(deploy.output).toMatch(/Apply complete! Resources: 13 added, 0 changed, 0 destroyed/);
    expect(deploy.stderr).toMatch(new RegExp(`main-job: synth \\(in-process\\) [\\d.]+ s, ${toolchain.terraformBinary} init [\\d.]+ s, reconcile [\\d.]+ s, ${toolchain.terraformBinary} apply`));
    expect(managedResources(stateFile)).toHaveLength(13);
    expect(fs.statSync(stateFile).mode & 0o077).toBe(0);
    const outputs = JSON.parse(fs.readFileSync(path.join(dir!, 'outputs.json'), 'utf8'));
    expect(outputs[STACK]).toMatchObject({ frontend_network: 'frontend-network', backend_network: 'backend-network' });
    const vote = await waitFor(async () => {
      const answer = await httpAnswer('http://127.0.0.1:5000/');
      return answer?.status === 200 ? answer : undefined;
    }, 30_000);
    expect(vote?.status).toBe(200);
  });

  test('a diff right after: no changes, exit 0 with --detailed-exitcode, and init skipped', async () => {
    expect(deployed).toBe(true);
    const diff = await driver('diff', '--detailed-exitcode');
    expect(diff.code).toBe(0);
    expect(diff.output).toMatch(/No changes\. Your infrastructure matches the configuration/);
    expect(diff.stderr).toMatch(/init \(up to date, skipped\)/);
  });

  test('cdktf diff in the same folder reads the same state and finds nothing to change', async () => {
    expect(deployed).toBe(true);
    const diff = assertSucceeded(
      await run(path.join(PROJECT_ROOT, 'node_modules', '.bin', 'cdktf'), ['diff', STACK, '--skip-provider-lock', '--no-color'], {
        cwd: dir,
        env,
        timeoutMs: TIMEOUTS.diff,
      }),
    );
    expect(parsePlan(diff.output).noChanges).toBe(true);
  });

  test('destroy: the state is empty and none of the containers or networks is left', async () => {
    expect(deployed).toBe(true);
    const destroy = assertSucceeded(await driver('destroy'));
    destroyed = true;
    expect(destroy.output).toMatch(/Destroy complete! Resources: 13 destroyed/);
    expect(managedResources(stateFile)).toEqual([]);
    expect(occupied()).toEqual([]);
  });
});
