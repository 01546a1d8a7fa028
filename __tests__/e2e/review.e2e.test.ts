/**
 * Deploy tier: the review (`npm run review`) of real plans. Each code change of the test-only app
 * __tests__/e2e/fixtures/changes-app.ts (connect, alias, disconnect, a network change, a port change) and the switch
 * of the voting app between its two segmentations is planned against what is deployed (`terraform plan -out`, then
 * `terraform show -json`), reviewed, and deployed. The review must name the replaced container and why.
 *
 * REVIEW_CAPTURE=1 also writes each plan JSON to __tests__/ops/review/fixtures/<name>.plan.json, the input of the
 * synth-tier golden tests (regenerate their Markdown with UPDATE_GOLDEN=1 npm test -- review).
 * Images: the local toolbox (busybox with httpd) and the voting app's, from `npm run images:local`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { LOCAL_IMAGES } from '../../stacks/images';
import { PlanJson } from '../../ops/review/plan';
import { Review, reviewPlan } from '../../ops/review/review';
import { renderMarkdown } from '../../ops/review/markdown';
import { CdktfRun, PROJECT_ROOT, fixtureApp, parsePlan } from './support/cdktf';
import { describeDeploy } from './support/deploy-tier';
import { containersNamed, docker, dockerOk, networksNamed, removeLeftovers } from './support/docker';
import { freePort } from './support/http';
import { waitFor } from './support/voting';
import { assertSucceeded, RunResult } from './support/process';
import { hasIpvs, runningTasks, secretExists, serviceExists, serviceVersion, swarmState, taskContainers } from './support/swarm';

const CAPTURE = process.env.REVIEW_CAPTURE === '1';
const FIXTURES = path.join(PROJECT_ROOT, '__tests__', 'ops', 'review', 'fixtures');
/** A throwaway password for the voting app's db, the same in every capture so the fixtures do not change. */
const PASSWORD = 'review-fixture-password';

async function reviewOf(cdktf: CdktfRun, stack: string, fixture: string, options: { ipvs?: boolean } = {}): Promise<Review> {
  assertSucceeded(await cdktf.diff(stack)); // synthesizes and runs terraform init
  const plan = (await cdktf.planJson(stack)) as PlanJson;
  if (CAPTURE) {
    fs.mkdirSync(FIXTURES, { recursive: true });
    // Provider addresses lose their registry host: the fixtures name no registry, and the review never reads it.
    const text = JSON.stringify(plan, null, 1).replace(/"[a-z0-9.-]+\.[a-z]+\/(kreuzwerker\/docker|hashicorp\/[a-z]+)"/g, '"$1"');
    fs.writeFileSync(path.join(FIXTURES, `${fixture}.plan.json`), `${text}\n`);
  }
  const review = reviewPlan(plan, { stack, ...options });
  expect(renderMarkdown(review)).toContain('```mermaid');
  return review;
}

const change = (review: Review, name: string) => review.changes.find((c) => c.name === name);

describeDeploy('review of code changes (changes-app)', { images: [LOCAL_IMAGES.toolbox] }, (toolchain) => {
  const STACK = 'e2e-changes';
  let cdktf: CdktfRun;
  let port1 = 0;
  let port2 = 0;

  async function deploy(variant: string): Promise<void> {
    cdktf.setEnv({ E2E_VARIANT: variant });
    assertSucceeded(await cdktf.deploy(STACK));
  }
  async function review(variant: string, fixture: string): Promise<Review> {
    cdktf.setEnv({ E2E_VARIANT: variant });
    return reviewOf(cdktf, STACK, fixture);
  }

  beforeAll(async () => {
    removeLeftovers({ containers: ['e2e-chg-app', 'e2e-chg-probe'], networks: ['e2e-chg-a', 'e2e-chg-b'] });
    cdktf = new CdktfRun(toolchain, { name: 'review-changes', app: fixtureApp('changes-app'), env: { E2E_IMAGE: LOCAL_IMAGES.toolbox } });
    port1 = await freePort();
    for (let i = 0; i < 10 && (port2 === 0 || port2 === port1); i++) port2 = await freePort();
    await deploy('');
  });

  afterAll(async () => {
    if (!cdktf) return;
    await cdktf.destroy(STACK);
    cdktf.cleanUp();
  });

  test('right after a deploy: no changes', async () => {
    const r = await review('', 'no-changes');
    expect(r.hasChanges).toBe(false);
    expect(r.changes).toEqual([]);
  });

  test('connect: e2e-chg-app is replaced, forced by networks_advanced; it becomes reachable from the probe', async () => {
    const r = await review('connect', 'connect');
    expect(change(r, 'e2e-chg-app')).toMatchObject({ kind: 'container', action: 'replace' });
    expect(change(r, 'e2e-chg-app')!.forcedBy.map((f) => f.path)).toContain('networks_advanced');
    expect(change(r, 'e2e-chg-app')!.consequences.join('\n')).toMatch(/processes restart and its open connections drop/);
    expect(r.reachability.added).toMatchObject([{ a: 'e2e-chg-app', b: 'e2e-chg-probe', networks: ['e2e-chg-b'] }]);
    await deploy('connect');
  });

  test('alias: e2e-chg-app is replaced, forced by networks_advanced', async () => {
    const r = await review('alias', 'alias');
    expect(change(r, 'e2e-chg-app')).toMatchObject({ action: 'replace' });
    expect(change(r, 'e2e-chg-app')!.forcedBy.map((f) => f.path)).toContain('networks_advanced');
    expect(r.after.containers.find((c) => c.name === 'e2e-chg-app')!.networks).toContainEqual(
      expect.objectContaining({ networkName: 'e2e-chg-b', aliases: ['svc'] }),
    );
    await deploy('alias');
  });

  test('disconnect: e2e-chg-app is replaced; it stops being reachable from the probe', async () => {
    const r = await review('', 'disconnect');
    expect(change(r, 'e2e-chg-app')).toMatchObject({ action: 'replace' });
    expect(r.reachability.removed).toMatchObject([{ a: 'e2e-chg-app', b: 'e2e-chg-probe', networks: ['e2e-chg-b'] }]);
    await deploy('');
  });

  test('a network change: e2e-chg-a is replaced, forced by labels, and recreates e2e-chg-app with it', async () => {
    const r = await review('relabel', 'network-change');
    const network = change(r, 'e2e-chg-a')!;
    expect(network).toMatchObject({ kind: 'network', action: 'replace' });
    expect(network.forcedBy.map((f) => f.path).join(' ')).toMatch(/labels/);
    expect(network.consequences.join('\n')).toMatch(/every container on it with it: e2e-chg-app/);
    const app = change(r, 'e2e-chg-app')!;
    expect(app).toMatchObject({ action: 'replace' });
    expect(app.forcedBy.map((f) => f.detail).join('\n')).toMatch(/follows the replaced network e2e-chg-a/);
    await deploy('relabel');
  });

  test('a port change: e2e-chg-app is replaced, forced by ports, old and new host port named', async () => {
    await deploy(`relabel,port=${port1}`);
    const r = await review(`relabel,port=${port2}`, 'port-change');
    const app = change(r, 'e2e-chg-app')!;
    expect(app).toMatchObject({ action: 'replace' });
    expect(app.forcedBy.map((f) => `${f.path}: ${f.detail}`).join('\n')).toMatch(new RegExp(`${port1} → ${port2}`));
    await deploy(`relabel,port=${port2}`);
    expect(parsePlan(assertSucceeded(await cdktf.diff(STACK)).output).noChanges).toBe(true);
  });
});

describeDeploy('review of the voting app switching segmentation', { images: Object.values(LOCAL_IMAGES) }, (toolchain) => {
  const STACK = 'voting-app';
  let cdktf: CdktfRun;

  beforeAll(async () => {
    if (containersNamed('vote').length + networksNamed('backend-network').length > 0) {
      throw new Error('a voting app is deployed on this engine already (vote, backend-network); destroy it first (npm run destroy)');
    }
    cdktf = new CdktfRun(toolchain, {
      name: 'review-voting',
      env: { VOTING_APP_IMAGES: 'local', VOTING_APP_SEGMENTATION: 'shared-backend', TF_VAR_db_password: PASSWORD },
    });
    assertSucceeded(await cdktf.deploy(STACK));
  });

  afterAll(async () => {
    if (!cdktf) return;
    cdktf.setEnv({ VOTING_APP_SEGMENTATION: 'shared-backend' });
    await cdktf.destroy(STACK);
    cdktf.cleanUp();
  });

  test('shared-backend -> strict: new networks, every container replaced, vote no longer reaches db', async () => {
    cdktf.setEnv({ VOTING_APP_SEGMENTATION: 'strict' });
    const r = await reviewOf(cdktf, STACK, 'segmentation-strict');
    for (const name of ['vote', 'result', 'worker', 'redis', 'db']) {
      expect(change(r, name)).toMatchObject({ kind: 'container', action: 'replace' });
      expect(change(r, name)!.forcedBy.length).toBeGreaterThan(0);
    }
    expect(r.reachability.removed).toContainEqual(expect.objectContaining({ a: 'db', b: 'vote' }));
    expect(r.changes.filter((c) => c.kind === 'network' && c.action === 'create').length).toBeGreaterThan(0);
  });
});

/**
 * The voting app on a single-node swarm (host-mode publishing: this machine has no IPVS), and a review of each kind
 * of Swarm change against it: publishing switched to ingress, worker scaled up and down, a rolling update
 * (stop-first on vote's one task, start-first on worker's two), the password secret rotated (under its name, and
 * under a new name created first), and worker joining a second network. Each change is then applied, and what
 * Docker did is compared with what the review said.
 */
describeDeploy('review of the voting app on Swarm', { images: Object.values(LOCAL_IMAGES) }, (toolchain) => {
  const STACK = 'voting-app';
  const BASE = { VOTING_APP_SWARM_PUBLISH: 'host', TF_VAR_db_password: PASSWORD, E2E_VARIANT: '' };
  const ROTATED = `${PASSWORD}-rotated`;
  let cdktf: CdktfRun;
  let swarmInitialisedHere = false;
  let gwbridgeBefore = true;

  async function deploy(env: NodeJS.ProcessEnv): Promise<RunResult> {
    cdktf.setEnv({ ...BASE, ...env });
    return cdktf.deploy(STACK);
  }
  async function review(env: NodeJS.ProcessEnv, fixture: string): Promise<Review> {
    cdktf.setEnv({ ...BASE, ...env });
    return reviewOf(cdktf, STACK, fixture, { ipvs: hasIpvs() });
  }
  /** Samples how many tasks of each service run while `work` goes on (one sample every 250 ms or so). */
  async function sampled<T>(services: string[], work: Promise<T>): Promise<{ result: T; fewest: Record<string, number> }> {
    let done = false;
    const watched = work.finally(() => {
      done = true;
    });
    const fewest: Record<string, number> = Object.fromEntries(services.map((s) => [s, Infinity]));
    for (let i = 0; !done && i < 1200; i++) {
      for (const service of services) fewest[service] = Math.min(fewest[service], runningTasks(service));
      await new Promise((r) => setTimeout(r, 250));
    }
    return { result: await watched, fewest };
  }
  const serviceId = (name: string) => dockerOk(['service', 'inspect', '--format', '{{.ID}}', name]);
  const environment = (name: string) => dockerOk(['service', 'inspect', '--format', '{{json .Spec.TaskTemplate.ContainerSpec.Env}}', name]);
  const kept = (before: string[], after: string[]) => after.filter((c) => before.includes(c)).sort();

  beforeAll(async () => {
    const taken = [
      ...(swarmState() === 'active' ? ['vote', 'worker', 'db'].filter(serviceExists) : []),
      ...containersNamed('vote'),
      ...networksNamed('backend-network'),
    ];
    if (taken.length > 0) throw new Error(`a voting app is deployed on this engine already (${taken.join(', ')}); destroy it first`);
    gwbridgeBefore = networksNamed('docker_gwbridge').length > 0;
    if (swarmState() === 'inactive') {
      dockerOk(['swarm', 'init', '--advertise-addr', '127.0.0.1'], 60_000);
      swarmInitialisedHere = true;
    }
    cdktf = new CdktfRun(toolchain, { name: 'review-swarm', app: fixtureApp('swarm-app'), env: BASE });
    assertSucceeded(await deploy({}));
  });

  afterAll(async () => {
    if (cdktf) {
      cdktf.setEnv(BASE);
      await cdktf.destroy(STACK);
      cdktf.cleanUp();
    }
    if (swarmInitialisedHere && swarmState() === 'active') {
      docker(['swarm', 'leave', '--force'], 60_000);
      if (!gwbridgeBefore) docker(['network', 'rm', 'docker_gwbridge']);
    }
  });

  test('host -> ingress publishing: vote and result updated in place, their tasks restarted', async () => {
    const r = await review({ VOTING_APP_SWARM_PUBLISH: 'ingress' }, 'swarm-publish-ingress');
    for (const name of ['vote', 'result']) {
      expect(change(r, name)).toMatchObject({ kind: 'service', action: 'update' });
      expect(change(r, name)!.consequences.join('\n')).toMatch(/moves from host mode to the ingress routing mesh: .* the mesh needs IPVS/);
    }
    expect(change(r, 'vote')!.consequences).toContain('scaled from 1 task to 2: Swarm starts 1 more');
    // Applied to see what Docker does with the tasks: the ports do not answer without IPVS.
    const [id, before] = [serviceId('vote'), taskContainers('vote')];
    assertSucceeded(await deploy({ VOTING_APP_SWARM_PUBLISH: 'ingress' }));
    expect(serviceId('vote')).toBe(id);
    expect(kept(before, taskContainers('vote'))).toEqual([]);
    expect(taskContainers('vote')).toHaveLength(2);
    assertSucceeded(await deploy({}));
  });

  test('worker scaled to 3 and back to 2, in place: its tasks restart only where the provider sent its environment in another order', async () => {
    for (const [variant, fixture, count] of [['scale', 'swarm-scale-up', 3], ['', 'swarm-scale-down', 2]] as const) {
      const r = await review({ E2E_VARIANT: variant }, fixture);
      expect(change(r, 'worker')).toMatchObject({ kind: 'service', action: 'update', changedAttributes: ['mode.replicated.replicas'] });
      expect(change(r, 'worker')!.consequences[1]).toMatch(/^the provider sends its 3 environment variables in an order that varies from run to run/);
      const [id, env, before] = [serviceId('worker'), environment('worker'), taskContainers('worker')];
      assertSucceeded(await deploy({ E2E_VARIANT: variant }));
      await waitFor(() => (runningTasks('worker') === count ? true : undefined), 60_000, 1_000);
      const after = taskContainers('worker');
      process.stderr.write(`swarm review e2e: ${fixture}: environment ${env} -> ${environment('worker')}; tasks ${before} -> ${after}\n`);
      expect(serviceId('worker')).toBe(id);
      expect(after).toHaveLength(count);
      // The same order: no task restarted (a scale down stops one); another order: a rolling update of all of them.
      const same = environment('worker') === env;
      expect(kept(before, after)).toEqual(same ? (count > before.length ? before.sort() : after.sort()) : []);
    }
  });

  test('a rolling update: vote (one task, stop-first) answers nothing for a moment; worker (two tasks, start-first) keeps two', async () => {
    const r = await review({ E2E_VARIANT: 'vote-env,rollout' }, 'swarm-rolling-update');
    expect(change(r, 'vote')!.consequences).toContain(
      'a rolling update of its one task, stop-first: the task stops before the new one starts, so the service answers nothing until the new ' +
        'task runs; if an updated task fails within 5s, Swarm pauses the update and the tasks already updated keep the new spec',
    );
    expect(change(r, 'worker')!.consequences.join('\n')).toMatch(/start-first: each new task starts before the old one stops, so 2 keep running/);
    const { result, fewest } = await sampled(['vote', 'worker'], deploy({ E2E_VARIANT: 'vote-env,rollout' }));
    assertSucceeded(result);
    process.stderr.write(`swarm review e2e: rolling update: fewest running tasks ${JSON.stringify(fewest)}\n`);
    expect(fewest).toEqual({ vote: 0, worker: 2 });
    assertSucceeded(await deploy({}));
  });

  test('the password secret rotated under its name: Docker refuses to remove it while services mount it, the apply stops', async () => {
    const r = await review({ TF_VAR_db_password: ROTATED }, 'swarm-secret-rotation');
    expect(change(r, 'db-password')).toMatchObject({ kind: 'secret', action: 'replace' });
    expect(change(r, 'db-password')!.consequences[1]).toMatch(/^Docker refuses to remove a secret in use: the apply stops here with "secret 'db-password' is in use/);
    for (const name of ['db', 'result', 'worker']) expect(change(r, name)!.consequences[0]).toMatch(/^the apply stops before this update/);
    const versions = () => Object.fromEntries(['db', 'result', 'worker'].map((s) => [s, serviceVersion(s)]));
    const before = versions();
    const applied = await deploy({ TF_VAR_db_password: ROTATED });
    expect(applied.code).not.toBe(0);
    expect(applied.output).toContain("secret 'db-password' is in use by the following services");
    expect(versions()).toEqual(before);
    assertSucceeded(await deploy({}));
  });

  test('rotated under a new name, created before the old one goes: the services restart their tasks to mount it', async () => {
    const env = { TF_VAR_db_password: ROTATED, E2E_VARIANT: 'cbd,secret-name=db-password-2' };
    const r = await review(env, 'swarm-secret-rotation-new-name');
    expect(change(r, 'db-password-2')).toMatchObject({ kind: 'secret', action: 'replace', renamedFrom: 'db-password' });
    expect(change(r, 'db-password-2')!.consequences).toContain('the services db, result, worker, which mount it, restart their tasks to mount the new one');
    const before = taskContainers('db');
    assertSucceeded(await deploy(env));
    expect([secretExists('db-password'), secretExists('db-password-2')]).toEqual([false, true]);
    expect(kept(before, taskContainers('db'))).toEqual([]);
    // Back under the first name and password, the same way round.
    assertSucceeded(await deploy({ E2E_VARIANT: 'cbd' }));
    expect([secretExists('db-password'), secretExists('db-password-2')]).toEqual([true, false]);
  });

  test('worker joins a second network: the provider replaces the service, which answers nothing for a moment', async () => {
    const r = await review({ E2E_VARIANT: 'network' }, 'swarm-network-change');
    expect(change(r, 'worker')).toMatchObject({ kind: 'service', action: 'replace' });
    expect(change(r, 'worker')!.consequences).toContain('its new tasks join frontend-network');
    const id = serviceId('worker');
    const { result, fewest } = await sampled(['worker'], deploy({ E2E_VARIANT: 'network' }));
    assertSucceeded(result);
    expect(serviceId('worker')).not.toBe(id);
    expect(fewest.worker).toBe(0);
    assertSucceeded(await deploy({}));
  });
});
