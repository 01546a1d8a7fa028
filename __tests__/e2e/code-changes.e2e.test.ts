/**
 * Deploy tier: code changes and failures, on the test-only app __tests__/e2e/fixtures/changes-app.ts (stack
 * `e2e-changes`). Each step edits the code (env E2E_VARIANT), checks what `cdktf diff` says (replace or update in
 * place), deploys, and checks the engine. Image: voting-app-local/toolbox:local (npm run images:local).
 */
import { CdktfRun, fixtureApp, parsePlan } from './support/cdktf';
import { describeDeploy } from './support/deploy-tier';
import {
  containerAliases,
  containerExists,
  containerIp,
  containerNetworks,
  containersNamed,
  docker,
  TOOLBOX_IMAGE,
  imageExists,
  inspectContainer,
  inspectNetwork,
  networkExists,
  pings,
  removeLeftovers,
  resolve,
  wget,
} from './support/docker';
import { freePort, httpGet } from './support/http';
import { assertSucceeded } from './support/process';

const STACK = 'e2e-changes';
const NET_A = 'e2e-chg-a';
const NET_B = 'e2e-chg-b';
const APP = 'e2e-chg-app';
const PROBE = 'e2e-chg-probe';
const SQUATTER = 'e2e-chg-squatter';

describeDeploy(`${STACK}: code changes and failures on a real engine`, { images: [TOOLBOX_IMAGE] }, (toolchain) => {
  let cdktf: CdktfRun;
  let destroyed = false;

  /** Synthesizes the code variant and returns what `cdktf diff` says about it. */
  async function diffFor(variant: string) {
    cdktf.setEnv({ E2E_VARIANT: variant });
    return parsePlan(assertSucceeded(await cdktf.diff(STACK)).output);
  }

  async function deployAndExpectNoChanges(): Promise<void> {
    assertSucceeded(await cdktf.deploy(STACK));
    expect(parsePlan(assertSucceeded(await cdktf.diff(STACK)).output).noChanges).toBe(true);
  }

  beforeAll(async () => {
    removeLeftovers({ containers: [APP, PROBE, SQUATTER], networks: [NET_A, NET_B] });
    cdktf = new CdktfRun(toolchain, { name: STACK, app: fixtureApp('changes-app'), env: { E2E_IMAGE: TOOLBOX_IMAGE } });
    cdktf.setEnv({ E2E_VARIANT: '' });
    await deployAndExpectNoChanges();
  });

  afterAll(async () => {
    docker(['rm', '-f', SQUATTER]);
    if (!cdktf) return;
    if (!destroyed) {
      cdktf.setEnv({ E2E_VARIANT: '' });
      await cdktf.destroy(STACK);
    }
    cdktf.cleanUp();
  });

  test('the starting point: app on network a only, probe on network b only, b cannot see app', () => {
    expect(containerNetworks(APP)).toEqual([NET_A]);
    expect(containerNetworks(PROBE)).toEqual([NET_B]);
    expect(resolve(PROBE, APP)).toEqual([]);
  });

  test('connect (docker network connect): diff replaces the container; after deploy it is on both networks', async () => {
    const plan = await diffFor('connect');
    expect(plan).toMatchObject({ add: 1, change: 0, destroy: 1 });
    expect(plan.replaced).toEqual([expect.stringMatching(/^docker_container\.app/)]);

    await deployAndExpectNoChanges();
    expect(containerNetworks(APP)).toEqual([NET_A, NET_B]);
    expect(resolve(PROBE, APP)).toEqual([containerIp(APP, NET_B)]);
    expect(wget(PROBE, `http://${APP}:8080/`)).toBe('hello from e2e-chg-app\n');
  });

  test('add an alias (docker network connect --alias): diff replaces the container; the alias resolves on b', async () => {
    const plan = await diffFor('alias');
    expect(plan).toMatchObject({ add: 1, change: 0, destroy: 1 });
    expect(plan.replaced).toEqual([expect.stringMatching(/^docker_container\.app/)]);

    await deployAndExpectNoChanges();
    expect(containerAliases(APP, NET_B)).toContain('svc');
    expect(resolve(PROBE, 'svc')).toEqual([containerIp(APP, NET_B)]);
    expect(pings(PROBE, 'svc')).toBe(true);
  });

  test('delete the attachment (docker network disconnect): diff replaces the container; after deploy it is off b', async () => {
    const plan = await diffFor('');
    expect(plan).toMatchObject({ add: 1, change: 0, destroy: 1 });
    expect(plan.replaced).toEqual([expect.stringMatching(/^docker_container\.app/)]);

    await deployAndExpectNoChanges();
    expect(containerNetworks(APP)).toEqual([NET_A]);
    expect(resolve(PROBE, 'svc')).toEqual([]);
    expect(resolve(PROBE, APP)).toEqual([]);
  });

  test('a network change replaces the network and the containers on it, in an order the engine accepts', async () => {
    const plan = await diffFor('relabel');
    expect(plan).toMatchObject({ add: 2, change: 0, destroy: 2 });
    expect([...plan.replaced].sort()).toEqual([
      expect.stringMatching(/^docker_container\.app/),
      expect.stringMatching(/^docker_network\.net-a/),
    ]);

    await deployAndExpectNoChanges();
    expect(inspectNetwork(NET_A).Labels).toEqual({ 'e2e.variant': 'relabel', 'cdktf-docker-networking.stack': 'e2e-changes' });
    expect(containerNetworks(APP)).toEqual([NET_A]);
    expect(inspectContainer(APP).State.Running).toBe(true);
  });

  test('a nonexistent image fails the deploy with the pull error; after the fix the next deploy converges', async () => {
    cdktf.setEnv({ E2E_VARIANT: 'image=e2e-missing/nothing:local' });
    const failed = await cdktf.deploy(STACK);
    expect(failed.code).not.toBe(0);
    expect(failed.output).toContain('unable to pull image e2e-missing/nothing:local');

    cdktf.setEnv({ E2E_VARIANT: '' });
    await deployAndExpectNoChanges();
    expect(inspectContainer(APP).State.Running).toBe(true);
  });

  test('a host port already taken fails the deploy with a clear message; once freed the next deploy converges', async () => {
    const port = await freePort();
    expect(docker(['run', '-d', '--name', SQUATTER, '-p', `127.0.0.1:${port}:8080`, TOOLBOX_IMAGE, 'sleep', '300']).code).toBe(0);

    cdktf.setEnv({ E2E_VARIANT: `port=${port}` });
    const failed = await cdktf.deploy(STACK);
    expect(failed.code).not.toBe(0);
    expect(failed.output).toContain(`Bind for 127.0.0.1:${port} failed: port is already allocated`);

    expect(docker(['rm', '-f', SQUATTER]).code).toBe(0);
    await deployAndExpectNoChanges();
    expect(await httpGet(`http://127.0.0.1:${port}/`)).toBe('hello from e2e-chg-app\n');
  });

  test('destroy leaves no container, network or state entry, and keeps the image', async () => {
    assertSucceeded(await cdktf.destroy(STACK));
    destroyed = true;
    expect(containersNamed('e2e-chg-')).toEqual([]);
    expect([APP, PROBE].filter(containerExists)).toEqual([]);
    expect([NET_A, NET_B].filter(networkExists)).toEqual([]);
    expect(cdktf.stateResources(STACK)).toEqual([]);
    expect(imageExists(TOOLBOX_IMAGE)).toBe(true);
  });
});
