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
import { containersNamed, networksNamed, removeLeftovers } from './support/docker';
import { freePort } from './support/http';
import { assertSucceeded } from './support/process';

const CAPTURE = process.env.REVIEW_CAPTURE === '1';
const FIXTURES = path.join(PROJECT_ROOT, '__tests__', 'ops', 'review', 'fixtures');
/** A throwaway password for the voting app's db, the same in every capture so the fixtures do not change. */
const PASSWORD = 'review-fixture-password';

async function reviewOf(cdktf: CdktfRun, stack: string, fixture: string): Promise<Review> {
  assertSucceeded(await cdktf.diff(stack)); // synthesizes and runs terraform init
  const plan = (await cdktf.planJson(stack)) as PlanJson;
  if (CAPTURE) {
    fs.mkdirSync(FIXTURES, { recursive: true });
    // Provider addresses lose their registry host: the fixtures name no registry, and the review never reads it.
    const text = JSON.stringify(plan, null, 1).replace(/"[a-z0-9.-]+\.[a-z]+\/(kreuzwerker\/docker|hashicorp\/[a-z]+)"/g, '"$1"');
    fs.writeFileSync(path.join(FIXTURES, `${fixture}.plan.json`), `${text}\n`);
  }
  const review = reviewPlan(plan, { stack });
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
    expect(r.reachability.added).toEqual([{ a: 'e2e-chg-app', b: 'e2e-chg-probe', networks: ['e2e-chg-b'] }]);
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
    expect(r.reachability.removed).toEqual([{ a: 'e2e-chg-app', b: 'e2e-chg-probe', networks: ['e2e-chg-b'] }]);
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
