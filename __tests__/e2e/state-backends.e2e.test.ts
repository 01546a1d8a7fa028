/**
 * Deploy tier: the main job's state, walked as docs/shared-state.md and docs/review.md write it, in a copy of the
 * project in a folder only its owner can enter (mktemp), as a user's clone under root's home:
 * - `export STATE_PG_CONN_STR="$(npm run --silent state:start)"` then `VOTING_APP_IMAGES=local npm run deploy`:
 *   a PostgreSQL server of the copy's own (on STATE_PG_PORT 55433, beside the one .ci/run started), whose cluster
 *   goes where the postgres user can enter it, and the voting app's state in it;
 * - `npm run state:unlock -- voting-app` (and `--force`) against a deploy that hangs holding the lock;
 * - switching the same checkout to local state and back: the job stops with the command for each choice, then
 *   `--migrate-state` moves the state, `--reconfigure` takes the other backend's state as it is, and an empty old
 *   state needs no choice;
 * - `npm run review -- voting-app`, and plain `npm run diff|destroy`, which take the last deploy's settings.
 */
import * as fs from 'fs';
import * as path from 'path';
import { documented } from '../docs/commands';
import { describeDeploy } from './support/deploy-tier';
import { containerExists, docker, networkExists } from './support/docker';
import { MainJob } from './support/main-job';
import { lockHolders, resourcesInSchema } from './support/postgres';
import { RunResult, assertSucceeded, terraformIn } from './support/process';
import { castVote, waitFor, waitForTally } from './support/voting';
import { LOCAL_IMAGES } from '../../stacks/images';

const SERVICES = ['vote', 'result', 'worker', 'redis', 'db'];
const NETWORKS = ['frontend-network', 'backend-network'];
const SCHEMA = 'voting_app';
const PORT = '55433';
const WAIT_FOR_ENGINE_MS = Number(process.env.VOTING_APP_E2E_WAIT_SECONDS ?? 420) * 1000;

const occupied = () => [...SERVICES.filter(containerExists), ...NETWORKS.filter(networkExists)];

function localResources(job: MainJob): number {
  if (!fs.existsSync(job.statePath)) return 0;
  const state = JSON.parse(fs.readFileSync(job.statePath, 'utf8')) as { resources?: { mode: string; instances?: unknown[] }[] };
  return (state.resources ?? []).filter((r) => r.mode === 'managed' && (r.instances ?? []).length > 0).length;
}

describeDeploy('the main job on shared and local state, as the docs write it', { images: Object.values(LOCAL_IMAGES) }, (toolchain) => {
  let job: MainJob | undefined;
  let conn = '';
  let cluster: string | undefined;
  /** The environment of a user who has not exported STATE_PG_CONN_STR (local state) and sets no image set. */
  const local = { VOTING_APP_IMAGES: undefined, STATE_PG_CONN_STR: undefined, STATE_PG_PORT: PORT };
  const shared = () => ({ ...local, STATE_PG_CONN_STR: conn });
  const npm = (command: string, env: NodeJS.ProcessEnv): Promise<RunResult> => job!.runDocumented([command], env);

  beforeAll(async () => {
    let taken = occupied();
    if (taken.length > 0) await waitFor(() => ((taken = occupied()).length === 0 ? true : undefined), WAIT_FOR_ENGINE_MS, 5_000);
    if (taken.length > 0) throw new Error(`the voting app's names are taken on this engine (${taken.join(', ')}); destroy that deploy first`);
    job = new MainJob(toolchain, 'backends');
  }, WAIT_FOR_ENGINE_MS + 60_000);

  afterAll(async () => {
    if (!job) return;
    if (occupied().length > 0) await npm('npm run destroy', conn ? { ...shared() } : local);
    if (occupied().length > 0) await npm('npm run destroy -- --reconfigure', local);
    await job.runDocumented(['npm run state:stop'], local);
    if (cluster) fs.rmSync(cluster, { recursive: true, force: true });
    job.cleanUp();
  }, 600_000);

  test('the copy lives in a folder others cannot enter', () => {
    expect(fs.statSync(job!.dir).mode & 0o077).toBe(0);
  });

  test('docs/shared-state.md: start the server, deploy; the cluster goes where postgres can enter, the state into PostgreSQL', async () => {
    const deploy = assertSucceeded(
      await job!.runDocumented([documented('export STATE_PG_CONN_STR="$(npm run --silent state:start)"'), documented('VOTING_APP_IMAGES=local npm run deploy'), 'echo "conn=$STATE_PG_CONN_STR"'], local),
    );
    conn = /^conn=(postgres:\/\/\S+)$/m.exec(deploy.stdout)![1];
    cluster = /the cluster goes to (\S+)/.exec(deploy.stderr)?.[1];
    if (process.getuid?.() === 0) expect(cluster).toMatch(/^\/var\/lib\/postgresql\/cdktf-docker-networking\/[0-9a-f]{12}$/);
    expect(deploy.output).toMatch(/Apply complete! Resources: 13 added/);
    expect(resourcesInSchema(conn, SCHEMA)).toBe(13);
    expect(localResources(job!)).toBe(0);
    expect((await castVote('http://127.0.0.1:5000', 'a', 'backends-e2e')).status).toBe(200);
    expect((await waitForTally('http://127.0.0.1:5001', { a: 1, b: 0, total: 1 }, 60_000)).last).toEqual({ a: 1, b: 0, total: 1 });
  });

  test('docs/shared-state.md: state:unlock names the session of a deploy that hangs holding the lock, and --force ends it', async () => {
    expect(docker(['rm', '-f', 'worker']).code).toBe(0);
    const hung = npm('npm run deploy', shared());
    const stackDir = job!.stackDir;
    let pid: number | undefined;
    try {
      pid = await waitFor(() => (lockHolders(conn).length > 0 ? terraformIn(stackDir) : undefined), 180_000, 200);
      expect(pid).toBeDefined();
      process.kill(pid!, 'SIGSTOP');
      const shown = await npm(documented('npm run state:unlock -- voting-app'), shared());
      expect(shown.code).toBe(2);
      expect(shown.stdout).toMatch(/the state of voting-app \(schema voting_app\) is locked by/);
      assertSucceeded(await npm(documented('npm run state:unlock -- voting-app --force'), shared()));
      expect(lockHolders(conn)).toEqual([]);
    } finally {
      if (pid) process.kill(pid, 'SIGKILL');
      await hung;
    }
    // The deploy after: worker is created again (what the killed apply did not finish), and all is in PostgreSQL.
    assertSucceeded(await npm('npm run deploy', shared()));
    expect(containerExists('worker')).toBe(true);
    expect(resourcesInSchema(conn, SCHEMA)).toBe(13);
  });

  test('the same checkout on local state: the job stops with the exact command for each choice', async () => {
    const diff = await npm('npm run diff', local);
    expect(diff.code).toBe(1);
    expect(diff.stderr).toContain(
      `the stack's state moved from PostgreSQL (schema voting_app at 127.0.0.1:${PORT}/terraform_state) (13 resources) to the local file ${job!.statePath} (0 resources).`,
    );
    expect(diff.stderr).toContain('  npm run diff -- --migrate-state   # copy the state of PostgreSQL');
    expect(diff.stderr).toContain('  npm run diff -- --reconfigure     # start from the empty state of the local file');
    expect(diff.stderr).not.toMatch(/Backend configuration changed/);
  });

  test('--migrate-state moves the state to the local file; the app is untouched and the next diff is empty', async () => {
    const deploy = assertSucceeded(await npm('npm run deploy -- --migrate-state', local));
    expect(deploy.stderr).toContain(`copying the state of PostgreSQL (schema voting_app at 127.0.0.1:${PORT}/terraform_state) into the local file`);
    expect(deploy.output).toMatch(/Apply complete! Resources: 0 added, 0 changed, 0 destroyed/);
    expect(localResources(job!)).toBe(13);
    const diff = assertSucceeded(await npm('npm run diff', local));
    expect(diff.stderr).toContain('VOTING_APP_IMAGES=local, as in the last deploy (.voting-app.settings)');
    expect(diff.output).toMatch(/No changes\. Your infrastructure matches the configuration/);
  });

  test('docs/review.md: the review, without the image set, takes the last deploy\'s and finds no changes', async () => {
    const review = assertSucceeded(await npm(documented('npm run review -- voting-app'), local));
    expect(review.code).toBe(0);
    const markdown = fs.readFileSync(path.join(job!.dir, 'cdktf.out', 'review', 'voting-app.md'), 'utf8');
    expect(markdown).toMatch(/No changes/i);
  });

  test('back to PostgreSQL, where a state is too: --reconfigure takes it as it is, and destroys from it', async () => {
    const refused = await npm('npm run destroy', shared());
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('  npm run destroy -- --reconfigure     # use the state of PostgreSQL');
    expect(occupied().length).toBeGreaterThan(0);
    const destroy = assertSucceeded(await npm('npm run destroy -- --reconfigure', shared()));
    expect(destroy.output).toMatch(/Destroy complete! Resources: 13 destroyed/);
    expect(occupied()).toEqual([]);
    expect(resourcesInSchema(conn, SCHEMA)).toBe(0);
  });

  test('to the local file again: the old state is empty, so the job needs no choice; the stale local state empties', async () => {
    const destroy = assertSucceeded(await npm('npm run destroy', local));
    expect(destroy.stderr).toContain('the old state is empty, so nothing is lost; using the state of the local file');
    expect(localResources(job!)).toBe(0);
    expect(occupied()).toEqual([]);
  });
});
