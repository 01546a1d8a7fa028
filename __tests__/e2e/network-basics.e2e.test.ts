/**
 * Deploy tier for the `network-basics` stack (the tutorial's single-network, alias and disconnect steps), through
 * the real cdktf CLI against the local Docker engine, with the locally built images (VOTING_APP_IMAGES=local).
 */
import { CdktfRun, parsePlan } from './support/cdktf';
import { describeDeploy } from './support/deploy-tier';
import {
  containerAliases,
  containerExists,
  containerIp,
  containerNetworks,
  containersNamed,
  docker,
  imageExists,
  inspectContainer,
  inspectNetwork,
  nameservers,
  networkExists,
  pings,
  removeLeftovers,
  resolve,
} from './support/docker';
import { httpGet } from './support/http';
import { assertSucceeded } from './support/process';
import { recordTiming } from './support/timings';

const STACK = 'network-basics';
const IMAGES = ['voting-app-local/redis:local', 'voting-app-local/toolbox:local'];
const NETWORK = 'basics-network';
const FRONTEND2 = 'frontend-network2';
/** Each container and exactly the networks the stack attaches it to. */
const MEMBERSHIP: Record<string, string[]> = {
  'basics-redis': [NETWORK, FRONTEND2],
  'basics-web': [NETWORK],
  'basics-peer': [NETWORK],
  'basics-frontend2-client': [FRONTEND2],
};
const WEB_URL = 'http://127.0.0.1:8080/';

describeDeploy(`${STACK} on a real engine`, { images: IMAGES }, (toolchain) => {
  let cdktf: CdktfRun;
  let destroyed = false;

  beforeAll(async () => {
    removeLeftovers({ containers: Object.keys(MEMBERSHIP), networks: [NETWORK, FRONTEND2] });
    cdktf = new CdktfRun(toolchain, { name: STACK, env: { VOTING_APP_IMAGES: 'local' } });
    const deploy = assertSucceeded(await cdktf.deploy(STACK));
    recordTiming(STACK, 'deploy', deploy.ms);
  });

  afterAll(async () => {
    if (!cdktf) return;
    // Leave nothing behind even when a test failed half way.
    if (!destroyed) await cdktf.destroy(STACK);
    cdktf.cleanUp();
  });

  test('right after deploy, cdktf diff reports no changes', async () => {
    const diff = assertSucceeded(await cdktf.diff(STACK));
    recordTiming(STACK, 'no-op diff', diff.ms);
    expect(parsePlan(diff.output)).toMatchObject({ noChanges: true, add: 0, change: 0, destroy: 0 });
  });

  test('both networks exist as bridge networks, neither internal', () => {
    for (const name of [NETWORK, FRONTEND2]) {
      const network = inspectNetwork(name);
      expect(network).toMatchObject({ Name: name, Driver: 'bridge', Internal: false });
    }
  });

  test.each(Object.entries(MEMBERSHIP))('%s runs and is attached to exactly %j', (container, networks) => {
    expect(inspectContainer(container).State.Running).toBe(true);
    expect(containerNetworks(container)).toEqual([...networks].sort());
  });

  test('the network inspection lists the same members', () => {
    for (const network of [NETWORK, FRONTEND2]) {
      const members = Object.values(inspectNetwork(network).Containers ?? {}).map((c) => c.Name).sort();
      const expected = Object.keys(MEMBERSHIP).filter((c) => MEMBERSHIP[c].includes(network)).sort();
      expect(members).toEqual(expected);
    }
  });

  test('containers on a user network use the embedded DNS server 127.0.0.11', () => {
    expect(nameservers('basics-peer')).toEqual(['127.0.0.11']);
    expect(nameservers('basics-frontend2-client')).toEqual(['127.0.0.11']);
  });

  test('from basics-peer, basics-redis and basics-web resolve to their addresses and answer ping', () => {
    for (const target of ['basics-redis', 'basics-web']) {
      expect(resolve('basics-peer', target)).toEqual([containerIp(target, NETWORK)]);
      expect(pings('basics-peer', target)).toBe(true);
    }
  });

  test('redis answers to the alias db on frontend-network2 only', () => {
    expect(containerAliases('basics-redis', FRONTEND2)).toContain('db');
    expect(containerAliases('basics-redis', NETWORK)).not.toContain('db');
    expect(resolve('basics-frontend2-client', 'db')).toEqual([containerIp('basics-redis', FRONTEND2)]);
    expect(pings('basics-frontend2-client', 'db')).toBe(true);
    expect(resolve('basics-peer', 'db')).toEqual([]);
  });

  test('a container only on frontend-network2 can neither resolve nor reach one only on basics-network', () => {
    for (const target of ['basics-web', 'basics-peer']) {
      expect(resolve('basics-frontend2-client', target)).toEqual([]);
      expect(pings('basics-frontend2-client', containerIp(target, NETWORK))).toBe(false);
    }
  });

  test('the published port answers on 127.0.0.1:8080', async () => {
    expect(await httpGet(WEB_URL)).toBe('hello from basics-web\n');
  });

  test('drift: a container stopped by hand shows in diff and the next deploy restores it', async () => {
    expect(docker(['stop', '-t', '2', 'basics-peer']).code).toBe(0);
    const plan = parsePlan(assertSucceeded(await cdktf.diff(STACK)).output);
    expect(plan).toMatchObject({ noChanges: false, add: 1, change: 0, destroy: 0 });
    expect(plan.created).toEqual([expect.stringMatching(/^docker_container\.peer/)]);

    assertSucceeded(await cdktf.deploy(STACK));
    expect(inspectContainer('basics-peer').State.Running).toBe(true);
    expect(containerNetworks('basics-peer')).toEqual([NETWORK]);
    expect(pings('basics-peer', 'basics-redis')).toBe(true);
  });

  test('drift: a container removed by hand shows in diff and the next deploy restores it', async () => {
    expect(docker(['rm', '-f', 'basics-web']).code).toBe(0);
    const plan = parsePlan(assertSucceeded(await cdktf.diff(STACK)).output);
    expect(plan).toMatchObject({ noChanges: false, add: 1, change: 0, destroy: 0 });
    expect(plan.created).toEqual([expect.stringMatching(/^docker_container\.web/)]);

    assertSucceeded(await cdktf.deploy(STACK));
    expect(await httpGet(WEB_URL)).toBe('hello from basics-web\n');
    expect(parsePlan(assertSucceeded(await cdktf.diff(STACK)).output).noChanges).toBe(true);
  });

  test('destroy leaves no container, network or state entry, and keeps the local images', async () => {
    const destroy = assertSucceeded(await cdktf.destroy(STACK));
    destroyed = true;
    recordTiming(STACK, 'destroy', destroy.ms);
    expect(containersNamed('basics-')).toEqual([]);
    expect(Object.keys(MEMBERSHIP).filter(containerExists)).toEqual([]);
    expect([NETWORK, FRONTEND2].filter(networkExists)).toEqual([]);
    expect(cdktf.stateResources(STACK)).toEqual([]);
    expect(IMAGES.filter((image) => !imageExists(image))).toEqual([]);
  });
});
