/**
 * Deploy tier: the voting app on Swarm through the main job, with the command docs/swarm.md gives
 * (`VOTING_APP_ORCHESTRATOR=swarm VOTING_APP_IMAGES=local npm run deploy`), in a copy of the project: the job makes
 * the engine a single-node swarm where it is in none, publishes in host mode where the kernel has no IPVS, and a
 * vote cast on 5000 is counted on 5001. Then plain `npm run diff`, which takes the deploy's settings: no changes; the
 * review of a switch to ingress publishing (`npm run review`), as docs/swarm.md shows it; and `npm run destroy`:
 * nothing of the app left. The engine leaves the swarm again only if it was in none.
 */
import * as fs from 'fs';
import * as path from 'path';
import { documented } from '../docs/commands';
import { describeDeploy } from './support/deploy-tier';
import { docker, networkExists } from './support/docker';
import { MainJob } from './support/main-job';
import { assertSucceeded } from './support/process';
import { hasIpvs, secretExists, serviceExists, swarmState } from './support/swarm';
import { castVote, waitFor, waitForTally } from './support/voting';
import { LOCAL_IMAGES } from '../../stacks/images';

const SERVICES = ['vote', 'result', 'worker', 'redis', 'db'];
const NETWORKS = ['frontend-network', 'backend-network'];
const WAIT_FOR_ENGINE_MS = Number(process.env.VOTING_APP_E2E_WAIT_SECONDS ?? 420) * 1000;

/** What of the app is on the engine now, as containers or as services. */
function occupied(): string[] {
  const services = swarmState() === 'active' ? SERVICES.filter(serviceExists).map((s) => `service ${s}`) : [];
  const containers = SERVICES.filter((s) => docker(['container', 'inspect', s]).code === 0).map((c) => `container ${c}`);
  return [...services, ...containers, ...NETWORKS.filter(networkExists).map((n) => `network ${n}`)];
}

describeDeploy('the voting app on Swarm through npm run deploy, as docs/swarm.md writes it', { images: Object.values(LOCAL_IMAGES) }, (toolchain) => {
  let job: MainJob | undefined;
  let inSwarmBefore = true;
  let gwbridgeBefore = true;
  const user = { VOTING_APP_IMAGES: undefined, VOTING_APP_ORCHESTRATOR: undefined, VOTING_APP_SWARM_PUBLISH: undefined };

  beforeAll(async () => {
    let taken = occupied();
    if (taken.length > 0) await waitFor(() => ((taken = occupied()).length === 0 ? true : undefined), WAIT_FOR_ENGINE_MS, 5_000);
    if (taken.length > 0) throw new Error(`the voting app's names are taken on this engine (${taken.join(', ')}); destroy that deploy first`);
    inSwarmBefore = swarmState() === 'active';
    gwbridgeBefore = networkExists('docker_gwbridge');
    job = new MainJob(toolchain, 'swarm');
  }, WAIT_FOR_ENGINE_MS + 60_000);

  afterAll(async () => {
    if (!job) return;
    if (occupied().length > 0) await job.runDocumented(['npm run destroy'], user);
    job.cleanUp();
    if (!inSwarmBefore && swarmState() === 'active') {
      docker(['swarm', 'leave', '--force'], 60_000);
      if (!gwbridgeBefore) docker(['network', 'rm', 'docker_gwbridge']);
    }
  }, 600_000);

  test('deploy: a swarm where there was none, five services, and a vote counted', async () => {
    const deploy = assertSucceeded(await job!.runDocumented([documented('VOTING_APP_ORCHESTRATOR=swarm VOTING_APP_IMAGES=local npm run deploy')], user));
    if (!inSwarmBefore) expect(deploy.stderr).toContain('initialising a single-node swarm: docker swarm init --advertise-addr 127.0.0.1');
    expect(deploy.output).toMatch(/Apply complete! Resources: \d+ added, 0 changed, 0 destroyed/);
    expect(SERVICES.filter(serviceExists)).toEqual(SERVICES);
    expect(secretExists('db-password')).toBe(true);
    await waitFor(async () => ((await castVote('http://127.0.0.1:5000', 'b', 'swarm-main-job')).status === 200 ? true : undefined), 120_000, 1_000);
    expect((await waitForTally('http://127.0.0.1:5001', { a: 0, b: 1, total: 1 }, 120_000)).last).toEqual({ a: 0, b: 1, total: 1 });
  });

  test('npm run diff with no variables: the deploy\'s settings, no changes', async () => {
    const diff = assertSucceeded(await job!.runDocumented(['npm run diff'], user));
    expect(diff.stderr).toContain('VOTING_APP_ORCHESTRATOR=swarm, as in the last deploy (.voting-app.settings)');
    expect(diff.output).toMatch(/No changes\. Your infrastructure matches the configuration/);
  });

  test('npm run review of a switch to ingress publishing: vote and result in Docker\'s words, in one comment', async () => {
    const review = await job!.runDocumented([documented('VOTING_APP_SWARM_PUBLISH=ingress npm run review -- voting-app')], user);
    expect(review.code).toBe(2);
    const comments = JSON.parse(fs.readFileSync(path.join(job!.dir, 'cdktf.out', 'review', 'voting-app.comments.json'), 'utf8')) as string[];
    expect(comments).toHaveLength(1);
    const lines = comments[0].split('\n');
    for (const [service, port] of [['vote', 5000], ['result', 5001]] as const) {
      const at = lines.indexOf(`- **service ${service}** (update in place):`);
      expect(at).toBeGreaterThan(0);
      const item = lines.slice(at + 1, lines.findIndex((line, i) => i > at && !line.startsWith('  - ')));
      expect(item).toContain(
        `  - port ${port} → 80/tcp moves from host mode to the ingress routing mesh: every node of the swarm answers on it and forwards to a task; ` +
          `the mesh needs IPVS (the ip\\_vs kernel module) on every node${hasIpvs() ? '' : ': this machine has none, so the port will not answer here'}`,
      );
    }
  });

  test('npm run destroy with no variables: no service, secret, network or volume of the app is left', async () => {
    assertSucceeded(await job!.runDocumented(['npm run destroy'], user));
    expect(occupied()).toEqual([]);
    expect(secretExists('db-password')).toBe(false);
    expect(docker(['volume', 'inspect', 'db-data']).code).not.toBe(0);
  });
});
