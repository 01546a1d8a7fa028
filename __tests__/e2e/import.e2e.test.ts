/**
 * Deploy tier: attaching to a network the stack did not create (`Network.fromName`, the docker_network data
 * source). `e2e-imp-net` and a peer container on it are made by hand (`docker network create`, `docker run`)
 * before the deploy of the test-only app __tests__/e2e/fixtures/import-app.ts (stack `e2e-imp`); the stack's
 * container must join that network, resolve the peer by name, and destroy must leave the network alone.
 * Image: voting-app-local/toolbox:local (npm run images:local).
 */
import { CdktfRun, fixtureApp, parsePlan } from './support/cdktf';
import { describeDeploy } from './support/deploy-tier';
import {
  containerAliases,
  containerExists,
  containerIp,
  containerNetworks,
  docker,
  dockerOk,
  inspectContainer,
  inspectNetwork,
  networkExists,
  removeLeftovers,
  resolve,
} from './support/docker';
import { cdktfOutput, inventoryOf } from './support/outputs';
import { assertSucceeded } from './support/process';
import { recordTiming } from './support/timings';

const STACK = 'e2e-imp';
const IMAGE = 'voting-app-local/toolbox:local';
const NETWORK = 'e2e-imp-net';
const APP = 'e2e-imp-app';
const PEER = 'e2e-imp-peer';

describeDeploy(`${STACK}: Network.fromName attaches to an existing network and leaves it alone`, { images: [IMAGE] }, (toolchain) => {
  let cdktf: CdktfRun;
  let destroyed = false;
  let networkId: string;

  beforeAll(async () => {
    removeLeftovers({ containers: [APP, PEER], networks: [NETWORK] });
    // docker network create e2e-imp-net; docker run -d --name e2e-imp-peer --net e2e-imp-net toolbox
    networkId = dockerOk(['network', 'create', NETWORK]);
    dockerOk(['run', '-d', '--name', PEER, '--network', NETWORK, IMAGE, 'sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done']);
    cdktf = new CdktfRun(toolchain, { name: STACK, app: fixtureApp('import-app'), env: { E2E_IMAGE: IMAGE } });
    const deploy = assertSucceeded(await cdktf.deploy(STACK));
    recordTiming(STACK, 'deploy', deploy.ms);
  });

  afterAll(async () => {
    if (cdktf) {
      if (!destroyed) await cdktf.destroy(STACK);
      cdktf.cleanUp();
    }
    // What the test made by hand, it removes by hand.
    docker(['rm', '-f', PEER], 60_000);
    if (networkExists(NETWORK)) docker(['network', 'rm', NETWORK]);
  });

  test('right after deploy, cdktf diff reports no changes', async () => {
    expect(parsePlan(assertSucceeded(await cdktf.diff(STACK)).output)).toMatchObject({ noChanges: true });
  });

  test('the state holds the container but no network: the stack only reads e2e-imp-net', () => {
    const resources = cdktf.stateResources(STACK);
    expect(resources).toEqual(expect.arrayContaining([expect.stringMatching(/^docker_container\.app/)]));
    expect(resources.filter((r) => r.startsWith('docker_network.'))).toEqual([]);
  });

  test('the container runs on the existing network, the same one by id, with its alias', () => {
    expect(inspectContainer(APP).State.Running).toBe(true);
    expect(containerNetworks(APP)).toEqual([NETWORK]);
    expect(inspectContainer(APP).NetworkSettings.Networks[NETWORK].NetworkID).toBe(networkId);
    expect(containerAliases(APP, NETWORK)).toContain('imp-alias');
  });

  test('the container resolves the peer started by hand, and the peer resolves it and its alias', () => {
    expect(resolve(APP, PEER)).toEqual([containerIp(PEER, NETWORK)]);
    expect(resolve(PEER, APP)).toEqual([containerIp(APP, NETWORK)]);
    expect(resolve(PEER, 'imp-alias')).toEqual([containerIp(APP, NETWORK)]);
  });

  test('the networks output lists the existing network with its id and subnet, and the stack container as its member', async () => {
    const inventory = inventoryOf(await cdktfOutput(cdktf, STACK));
    const engine = inspectNetwork(NETWORK);
    expect(engine.IPAM.Config ?? []).not.toEqual([]);
    expect(Object.keys(inventory)).toEqual([NETWORK]);
    expect(inventory[NETWORK].id).toBe(engine.Id);
    expect(inventory[NETWORK].ipam.map((c) => ({ Subnet: c.subnet, Gateway: c.gateway }))).toEqual(
      (engine.IPAM.Config ?? []).map((c) => ({ Subnet: c.Subnet, Gateway: c.Gateway })),
    );
    // Members are what the stack attaches; the peer started by hand is not the stack's.
    expect(inventory[NETWORK].members).toEqual([{ container: APP, aliases: ['imp-alias'] }]);
  });

  test('destroy removes the container and keeps the network it did not create, with the peer still on it', async () => {
    const destroy = assertSucceeded(await cdktf.destroy(STACK));
    destroyed = true;
    recordTiming(STACK, 'destroy', destroy.ms);
    expect(containerExists(APP)).toBe(false);
    expect(networkExists(NETWORK)).toBe(true);
    expect(inspectNetwork(NETWORK).Id).toBe(networkId);
    expect(Object.values(inspectNetwork(NETWORK).Containers ?? {}).map((c) => c.Name)).toEqual([PEER]);
    expect(inspectContainer(PEER).State.Running).toBe(true);
    expect(cdktf.stateResources(STACK)).toEqual([]);
  });

  test('once the network is gone, a deploy fails before creating anything, naming the missing network', async () => {
    docker(['rm', '-f', PEER], 60_000);
    dockerOk(['network', 'rm', NETWORK]);
    const failed = await cdktf.deploy(STACK);
    expect(failed.code).not.toBe(0);
    expect(failed.output).toContain(`Could not find docker network: Error response from daemon: network ${NETWORK} not found`);
    expect(containerExists(APP)).toBe(false);
    expect(cdktf.stateResources(STACK)).toEqual([]);
  });
});
