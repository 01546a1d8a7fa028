/**
 * Deploy tier: a healthcheck change and a CPU-limit change take effect. Docker cannot change either on a running
 * container and the provider (3.6.2) plans them as in-place updates that never reach the engine (see
 * docs/provider-behaviour.md); `ServiceContainer` adds a label derived from both (REPLACE_ON_CHANGE_LABEL), so a
 * change replaces the container. Test-only app: __tests__/e2e/fixtures/healthcheck-app.ts (stack `e2e-hc`),
 * variants through E2E_VARIANT. Image: voting-app-local/toolbox:local (npm run images:local).
 */
import { REPLACE_ON_CHANGE_LABEL } from '../../lib';
import { CdktfRun, fixtureApp, parsePlan, PlanSummary } from './support/cdktf';
import { describeDeploy } from './support/deploy-tier';
import {
  containerExists,
  containersNamed,
  TOOLBOX_IMAGE,
  inspectContainer,
  networkExists,
  removeLeftovers,
} from './support/docker';
import { assertSucceeded, RunResult } from './support/process';
import { recordTiming } from './support/timings';

const STACK = 'e2e-hc';
const APP = 'e2e-hc-app';
const NETWORK = 'e2e-hc-net';
const SECOND = 1_000_000_000; // Docker reports durations in nanoseconds

const inspect = () => inspectContainer(APP);

describeDeploy(`${STACK}: healthcheck and CPU-limit changes reach the engine`, { images: [TOOLBOX_IMAGE] }, (toolchain) => {
  let cdktf: CdktfRun;
  let destroyed = false;

  async function diffFor(variant: string): Promise<{ plan: PlanSummary; result: RunResult }> {
    cdktf.setEnv({ E2E_VARIANT: variant });
    const result = assertSucceeded(await cdktf.diff(STACK));
    return { plan: parsePlan(result.output), result };
  }

  async function deployAndExpectNoChanges(step: string): Promise<void> {
    const deploy = assertSucceeded(await cdktf.deploy(STACK));
    recordTiming(STACK, `deploy ${step}`, deploy.ms);
    expect(parsePlan(assertSucceeded(await cdktf.diff(STACK)).output)).toMatchObject({ noChanges: true });
  }

  /** The diff replaces the container (and nothing else), and says that the replace-on-change label forces it. */
  function expectContainerReplacedByLabel(diff: { plan: PlanSummary; result: RunResult }): void {
    expect(diff.plan).toMatchObject({ add: 1, change: 0, destroy: 1 });
    expect(diff.plan.replaced).toEqual([expect.stringMatching(/^docker_container\.app/)]);
    expect(diff.plan.updated).toEqual([]);
    expect(diff.result.output).toMatch(/labels \{ # forces replacement/);
    expect(diff.result.output).toContain(REPLACE_ON_CHANGE_LABEL);
  }

  beforeAll(async () => {
    removeLeftovers({ containers: [APP], networks: [NETWORK] });
    cdktf = new CdktfRun(toolchain, { name: STACK, app: fixtureApp('healthcheck-app'), env: { E2E_IMAGE: TOOLBOX_IMAGE } });
    cdktf.setEnv({ E2E_VARIANT: '' });
    await deployAndExpectNoChanges('initial');
  });

  afterAll(async () => {
    if (!cdktf) return;
    if (!destroyed) await cdktf.destroy(STACK);
    cdktf.cleanUp();
  });

  test('the starting point: healthcheck CMD true every 1 s, healthy, CpuQuota 50000 over a 100000 period', () => {
    const c = inspect();
    expect(c.State.Running).toBe(true);
    expect(c.State.Health?.Status).toBe('healthy');
    expect(c.Config.Healthcheck).toMatchObject({ Test: ['CMD', 'true'], Interval: 1 * SECOND, Timeout: 2 * SECOND, Retries: 3 });
    expect(c.HostConfig).toMatchObject({ CpuQuota: 50_000, CpuPeriod: 100_000 });
    expect(c.Config.Labels?.[REPLACE_ON_CHANGE_LABEL]).toMatch(/^[0-9a-f]{12}$/);
  });

  test('a healthcheck change: diff replaces the container because of the label; after deploy the engine has it', async () => {
    const before = inspect();
    expectContainerReplacedByLabel(await diffFor('interval=2'));

    await deployAndExpectNoChanges('interval=2');
    const after = inspect();
    expect(after.Id).not.toBe(before.Id);
    expect(after.Config.Healthcheck).toMatchObject({ Test: ['CMD', 'true'], Interval: 2 * SECOND, Timeout: 2 * SECOND, Retries: 3 });
    expect(after.State.Health?.Status).toBe('healthy');
    expect(after.HostConfig.CpuQuota).toBe(50_000);
    expect(after.Config.Labels?.[REPLACE_ON_CHANGE_LABEL]).not.toBe(before.Config.Labels?.[REPLACE_ON_CHANGE_LABEL]);
  });

  test('a CPU-limit change 0.5 -> 1: diff replaces the container because of the label; after deploy CpuQuota is 100000', async () => {
    const before = inspect();
    expectContainerReplacedByLabel(await diffFor('interval=2,cpu=1'));

    await deployAndExpectNoChanges('cpu=1');
    const after = inspect();
    expect(after.Id).not.toBe(before.Id);
    expect(after.HostConfig).toMatchObject({ CpuQuota: 100_000, CpuPeriod: 100_000 });
    expect(after.Config.Healthcheck?.Interval).toBe(2 * SECOND);
    expect(after.State.Health?.Status).toBe('healthy');
  });

  test('destroy leaves no container, network or state entry', async () => {
    cdktf.setEnv({ E2E_VARIANT: 'interval=2,cpu=1' });
    const destroy = assertSucceeded(await cdktf.destroy(STACK));
    destroyed = true;
    recordTiming(STACK, 'destroy', destroy.ms);
    expect(containersNamed('e2e-hc-')).toEqual([]);
    expect(containerExists(APP)).toBe(false);
    expect(networkExists(NETWORK)).toBe(false);
    expect(cdktf.stateResources(STACK)).toEqual([]);
  });
});
