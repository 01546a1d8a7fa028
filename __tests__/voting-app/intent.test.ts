import { TerraformStack } from 'cdktf';
import { DockerPolicy, FindingStatus, Network, PolicyTesting, Reachability, Segmentation, ServiceContainer, VotingApp, VotingAppProps, VotingAppService } from '../../lib';
import { LOCAL_IMAGES } from '../../stacks/images';
import { newStack } from '../helpers';

function votingApp(props: VotingAppProps = {}): { stack: TerraformStack; app: VotingApp } {
  const stack = newStack();
  const app = new VotingApp(stack, 'app', props);
  return { stack, app };
}

function checked(props: VotingAppProps = {}) {
  const { stack, app } = votingApp(props);
  DockerPolicy.applyTo(stack);
  return { app, result: PolicyTesting.synth(stack, true) };
}

describe('VotingApp under the policy pack', () => {
  test.each([
    ['the shared backend layout', Segmentation.SHARED_BACKEND, undefined],
    ['the shared backend layout with local images', Segmentation.SHARED_BACKEND, LOCAL_IMAGES],
    ['the strict layout', Segmentation.STRICT, undefined],
    ['the strict layout with local images', Segmentation.STRICT, LOCAL_IMAGES],
  ])('%s has no error and no warning at the default level', (_name, segmentation, images) => {
    const { result } = checked({ segmentation, images });
    expect(result.annotations.filter((a) => a.level !== 'info').map((a) => a.message)).toEqual([]);
  });

  test('suppresses only what a role needs, each with its reason', () => {
    const { result } = checked();
    expect(
      result.findings.filter((f) => f.status === FindingStatus.SUPPRESSED).map((f) => `${f.container} ${f.ruleId} ${f.findingId ?? ''}`.trim()),
    ).toEqual(['redis DKR10', 'redis DKR16 backend-network', 'db DKR10', 'db DKR16 backend-network', 'worker DKR6 dockersamples/examplevotingapp_worker:latest']);
  });

  test("does not suppress an unpinned worker image that is not upstream's", () => {
    const { result } = checked({ images: { worker: 'example/worker' } });
    expect(result.failingRuleIds()).toEqual(['DKR6']);
  });

  test('runs vote read-only with a /tmp tmpfs and only NET_BIND_SERVICE', () => {
    const { app } = votingApp();
    const vote = (app.vote as ServiceContainer).resource;
    expect([vote.readOnlyInput, vote.tmpfsInput, vote.capabilitiesInput]).toEqual([
      true,
      { '/tmp': 'size=16m' },
      { add: ['CAP_NET_BIND_SERVICE'], drop: ['ALL'] },
    ]);
  });
});

describe('VotingApp declared flows', () => {
  test('in the shared backend layout: the four needed flows and the six tolerated pairs', () => {
    const { stack } = votingApp();
    expect(PolicyTesting.synth(stack).reachabilityReport).toContain('Declared intent: 4 needed, 6 tolerated; the topology matches it.');
  });

  test('in the shared backend layout the report lists the excess: vote reaches db, result reaches redis', () => {
    const { stack } = votingApp();
    const excess = PolicyTesting.synth(stack).reachabilityReport.split('## Excess')[1].split('##')[0];
    expect([excess.includes('- db <-> vote over backend-network'), excess.includes('- redis <-> result over backend-network')]).toEqual([true, true]);
  });

  test('in the strict layout: exactly vote -> redis, worker -> redis, worker -> db, result -> db, and no excess', () => {
    const { stack } = votingApp({ segmentation: Segmentation.STRICT });
    const report = PolicyTesting.synth(stack).reachabilityReport;
    expect([report.includes('Declared intent: 4 needed, 0 tolerated; the topology matches it.'), report.includes('## Excess: allowed by the topology, not needed\n\nNone.')]).toEqual([true, true]);
  });

  test('in the strict layout only the four flows reach each other', () => {
    const { stack } = votingApp({ segmentation: Segmentation.STRICT });
    const pairs = Reachability.of(stack).pairs();
    expect(pairs.map((p) => `${p.a.name}-${p.b.name}`).sort()).toEqual(['db-result', 'db-worker', 'redis-vote', 'redis-worker']);
  });

  test('fail the synth when a container joins the shared backend without a declared flow, naming the pair', () => {
    const { stack, app } = votingApp();
    new ServiceContainer(stack, 'debug', { image: 'busybox:1.37', networks: [{ network: app.backendNetwork }] });
    expect(PolicyTesting.synth(stack).errors[0].message).toMatch(
      /^\[REACH1\] redis and debug can reach each other over network backend-network, but no flow between them is declared\. Declare it on the two constructs \(test\/app\/redis and test\/debug\)/,
    );
  });
});

describe('VotingApp intent applies to the app, not to the rest of the stack', () => {
  test('two containers of the stack that share a network of their own need no declared flow', () => {
    const { stack } = votingApp();
    const tools = new Network(stack, 'tools', { name: 'tools-network' });
    new ServiceContainer(stack, 'one', { image: 'busybox:1.37', networks: [{ network: tools }] });
    new ServiceContainer(stack, 'two', { image: 'busybox:1.37', networks: [{ network: tools }] });
    expect(PolicyTesting.synth(stack).ruleIds('error')).toEqual([]);
  });

  test('enforceEverywhere opts the whole stack in', () => {
    const { stack } = votingApp();
    const tools = new Network(stack, 'tools', { name: 'tools-network' });
    new ServiceContainer(stack, 'one', { image: 'busybox:1.37', networks: [{ network: tools }] });
    new ServiceContainer(stack, 'two', { image: 'busybox:1.37', networks: [{ network: tools }] });
    Reachability.of(stack).enforceEverywhere();
    expect(PolicyTesting.synth(stack).errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^\[REACH1\] one and two can reach each other over network tools-network, /),
    ]);
  });
});

describe('VotingApp strict layout keeps the public contract', () => {
  const { app } = votingApp({ segmentation: Segmentation.STRICT });
  const networksOf = (c: VotingAppService) => c.attachments.map((a) => a.network);

  test('vote and result publish 5000 and 5001 on 127.0.0.1 and join the frontend network', () => {
    expect(([app.vote, app.result] as ServiceContainer[]).map((c) => [c.ports[0].external, c.ports[0].hostIp, networksOf(c).includes(app.frontendNetwork)])).toEqual([
      [5000, '127.0.0.1', true],
      [5001, '127.0.0.1', true],
    ]);
  });

  test('worker, redis and db are never on the frontend network', () => {
    expect([app.worker, app.redis, app.db].some((c) => networksOf(c).includes(app.frontendNetwork))).toBe(false);
  });

  test('redis answers to redis and db to db on every network they are on', () => {
    expect([app.redis, app.db].map((c) => c.attachments.map((a) => a.aliases))).toEqual([
      [['redis'], ['redis']],
      [['db'], ['db']],
    ]);
  });

  test('the frontend network turns off traffic between its containers', () => {
    expect((app.frontendNetwork as Network).resource.optionsInput).toEqual({ 'com.docker.network.bridge.enable_icc': 'false' });
  });

  test('names a network for each flow after the two services', () => {
    expect(app.networks.map((n) => n.name)).toEqual([
      'frontend-network',
      'vote-redis-network',
      'worker-redis-network',
      'worker-db-network',
      'result-db-network',
    ]);
  });
});
