/**
 * Deploy tier: `docker network ls` and `docker network inspect` as code. The test-only app
 * __tests__/e2e/fixtures/outputs-app.ts (stack `e2e-out`) has a `NetworkInventory`; after a deploy,
 * `cdktf output e2e-out` must list every network by its Docker name with the id, subnet and gateway the engine
 * reports and the containers attached with their aliases. Image: voting-app-local/toolbox:local (npm run images:local).
 */
import { CdktfRun, fixtureApp, parsePlan } from './support/cdktf';
import { describeDeploy } from './support/deploy-tier';
import {
  containerAliases,
  containerExists,
  containersNamed,
  TOOLBOX_IMAGE,
  inspectNetwork,
  networkExists,
  networksNamed,
  removeLeftovers,
} from './support/docker';
import { cdktfOutput, InventoryNetwork, inventoryOf } from './support/outputs';
import { assertSucceeded } from './support/process';
import { recordTiming } from './support/timings';

const STACK = 'e2e-out';
const AUTO = 'e2e-out-auto';
const FIXED = 'e2e-out-fixed';
const SUBNET = '10.251.17.0/24';
const APP = 'e2e-out-app';
const PEER = 'e2e-out-peer';
/** What the fixture attaches where, with the aliases given in code. */
const MEMBERS: Record<string, { container: string; aliases: string[] }[]> = {
  [AUTO]: [
    { container: APP, aliases: [] },
    { container: PEER, aliases: ['peer-alias'] },
  ],
  [FIXED]: [{ container: APP, aliases: ['api', 'web'] }],
};

describeDeploy(`${STACK}: the networks output matches the engine`, { images: [TOOLBOX_IMAGE] }, (toolchain) => {
  let cdktf: CdktfRun;
  let destroyed = false;
  let inventory: Record<string, InventoryNetwork>;

  beforeAll(async () => {
    removeLeftovers({ containers: [APP, PEER], networks: [AUTO, FIXED] });
    cdktf = new CdktfRun(toolchain, {
      name: STACK,
      app: fixtureApp('outputs-app'),
      env: { E2E_IMAGE: TOOLBOX_IMAGE, E2E_OUT_SUBNET: SUBNET },
    });
    const deploy = assertSucceeded(await cdktf.deploy(STACK));
    recordTiming(STACK, 'deploy', deploy.ms);
    const outputs = await cdktfOutput(cdktf, STACK);
    recordTiming(STACK, 'output', outputs.result.ms);
    inventory = inventoryOf(outputs);
  });

  afterAll(async () => {
    if (!cdktf) return;
    if (!destroyed) await cdktf.destroy(STACK);
    cdktf.cleanUp();
  });

  test('right after deploy, cdktf diff reports no changes (outputs included)', async () => {
    expect(parsePlan(assertSucceeded(await cdktf.diff(STACK)).output)).toMatchObject({ noChanges: true });
  });

  test('the networks output lists exactly the stack networks, by their Docker names (docker network ls)', () => {
    expect(Object.keys(inventory).sort()).toEqual([AUTO, FIXED]);
    expect(networksNamed('e2e-out-').sort()).toEqual([AUTO, FIXED]);
  });

  test.each([AUTO, FIXED])('%s: the id is the one docker network inspect reports', (name) => {
    expect(inventory[name].id).toMatch(/^[0-9a-f]{64}$/);
    expect(inventory[name].id).toBe(inspectNetwork(name).Id);
  });

  test('the subnet and gateway Docker picked for a network without a subnet in code are in the output', () => {
    const engine = inspectNetwork(AUTO).IPAM.Config ?? [];
    expect(engine).toHaveLength(1);
    expect(engine[0].Subnet).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/);
    expect(inventory[AUTO].ipam.map((c) => ({ Subnet: c.subnet, Gateway: c.gateway }))).toEqual([
      { Subnet: engine[0].Subnet, Gateway: engine[0].Gateway },
    ]);
  });

  test('a subnet given in code appears in the output with the gateway Docker reports (the first host address)', () => {
    const engine = inspectNetwork(FIXED).IPAM.Config ?? [];
    expect(engine).toEqual([expect.objectContaining({ Subnet: SUBNET, Gateway: '10.251.17.1' })]);
    expect(inventory[FIXED].ipam).toEqual([{ subnet: SUBNET, gateway: '10.251.17.1', ip_range: '' }]);
  });

  test.each([AUTO, FIXED])('%s: the members are the containers docker network inspect lists', (name) => {
    const engineMembers = Object.values(inspectNetwork(name).Containers ?? {}).map((c) => c.Name).sort();
    expect(inventory[name].members.map((m) => m.container).sort()).toEqual(engineMembers);
    expect(engineMembers).toEqual(MEMBERS[name].map((m) => m.container).sort());
  });

  test.each([AUTO, FIXED])('%s: each member\'s aliases are the code\'s and the engine answers to them', (name) => {
    const byContainer = (a: { container: string }, b: { container: string }) => a.container.localeCompare(b.container);
    expect([...inventory[name].members].sort(byContainer)).toEqual([...MEMBERS[name]].sort(byContainer));
    for (const member of inventory[name].members) {
      // Docker also lists the container's short id among its aliases, so "included", not "equal".
      const engine = containerAliases(member.container, name);
      for (const alias of member.aliases) expect(engine).toContain(alias);
    }
  });

  test('the output is printed too, under the stack and the output name', async () => {
    const outputs = await cdktfOutput(cdktf, STACK);
    expect(outputs.result.output).toContain(STACK);
    for (const name of [AUTO, FIXED]) expect(outputs.result.output).toContain(inspectNetwork(name).Id);
  });

  test('destroy leaves no container, network or state entry', async () => {
    const destroy = assertSucceeded(await cdktf.destroy(STACK));
    destroyed = true;
    recordTiming(STACK, 'destroy', destroy.ms);
    expect(containersNamed('e2e-out-')).toEqual([]);
    expect([APP, PEER].filter(containerExists)).toEqual([]);
    expect([AUTO, FIXED].filter(networkExists)).toEqual([]);
    expect(cdktf.stateResources(STACK)).toEqual([]);
  });
});
