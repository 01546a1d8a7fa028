import { Construct } from 'constructs';
import { Container } from '@cdktf/provider-docker/lib/container';
import { Network, PolicyTesting, Reachability, ServiceContainer } from '../../lib';
import { newStack } from '../helpers';
import { COMPLIANT } from '../policy/fixtures';

/** Three containers: web and api on `front`, api and db on `back` (db answers to the alias `database` there). */
function threeTier() {
  const stack = newStack();
  const front = new Network(stack, 'front', { name: 'front-network' });
  const back = new Network(stack, 'back', { name: 'back-network' });
  const web = new ServiceContainer(stack, 'web', { image: 'nginx:1.27', networks: [{ network: front }] });
  const api = new ServiceContainer(stack, 'api', { image: 'api:1', networks: [{ network: front }, { network: back }] });
  const db = new ServiceContainer(stack, 'db', { image: 'postgres:17', networks: [{ network: back, aliases: ['database'] }] });
  return { stack, front, back, web, api, db };
}

describe('Reachability intent check', () => {
  test('is off and quiet while the stack declares no flow', () => {
    const { stack } = threeTier();
    Reachability.of(stack);
    expect(PolicyTesting.synth(stack).annotations).toEqual([]);
  });

  test('passes when every reachable pair is declared', () => {
    const { stack, web, api, db } = threeTier();
    Reachability.of(stack).allow(web, api).allow(api, db);
    expect(PolicyTesting.synth(stack).errors).toEqual([]);
  });

  test('fails for a pair the topology allows but nobody declared, naming the pair, the constructs and the network', () => {
    const { stack, web, api } = threeTier();
    Reachability.of(stack).allow(web, api).enforceEverywhere();
    expect(PolicyTesting.synth(stack).errors.map((e) => e.message)).toEqual([
      '[REACH1] api and db can reach each other over network back-network, but no flow between them is declared. ' +
        'Declare it on the two constructs (test/api and test/db): Reachability.of(stack).allow(from, to), or ' +
        '.tolerate(from, to, reason) if it is not needed; or take one of them off back-network.',
    ]);
  });

  test('applies flows declared at the stack root to no other pair unless enforced everywhere', () => {
    const { stack, web, api } = threeTier();
    Reachability.of(stack).allow(web, api);
    expect(PolicyTesting.synth(stack).errors).toEqual([]);
  });

  test('warns once, naming them, about containers that flows declared at the stack root leave unchecked', () => {
    const { stack, web, api, db } = threeTier();
    Reachability.of(stack).allow(web, api).allow(api, db);
    // A container added later reaches the database without a declared flow, and nothing fails.
    new ServiceContainer(stack, 'intruder', { image: 'busybox:1.37', networks: [{ network: threeTierNetwork(stack, 'back') }] });
    expect(PolicyTesting.synth(stack).annotations).toEqual([
      {
        path: 'test/Reachability',
        level: 'warning',
        ruleId: 'REACH3',
        message:
          '[REACH3] 4 of 4 containers lie outside the declared intent, so no flow of theirs is checked: web, api, db, ' +
          'intruder. Declared intent applies inside the innermost construct that holds both containers of a flow, never to ' +
          'the stack as a whole: a flow of these containers that nobody declared passes. Check them with ' +
          'Reachability.of(stack).enforceEverywhere(), which fails every undeclared pair of the stack (REACH1), or declare ' +
          'their flows inside a construct that holds them; reachability.md lists them.',
      },
    ]);
  });

  test('names five unchecked containers in the warning, then counts the rest', () => {
    const stack = newStack();
    const net = new Network(stack, 'net', { name: 'shared-network' });
    const team = new Construct(stack, 'team');
    const api = new ServiceContainer(team, 'api', { image: 'api:1', networks: [{ network: net }] });
    const db = new ServiceContainer(team, 'db', { image: 'postgres:17' });
    for (let i = 0; i < 8; i++) new ServiceContainer(stack, `c${i}`, { image: 'nginx:1.27' });
    Reachability.of(team).allow(api, db);
    const warning = PolicyTesting.synth(stack).annotations.find((a) => a.ruleId === 'REACH3')!;
    expect(warning.message).toMatch(
      /^\[REACH3\] 8 of 10 containers lie outside the declared intent, so no flow of theirs is checked: c0, c1, c2, c3, c4, and 3 more\. /,
    );
  });

  test('in the strict mode every container is checked: no warning, and the undeclared pair fails', () => {
    const { stack, web, api } = threeTier();
    Reachability.of(stack).allow(web, api).enforceEverywhere();
    expect(PolicyTesting.synth(stack).annotations.map((a) => [a.ruleId, a.level])).toEqual([['REACH1', 'error']]);
  });

  test('checks the pairs that touch the scope that declared the flows', () => {
    const stack = newStack();
    const net = new Network(stack, 'net', { name: 'shared-network' });
    const team = new Construct(stack, 'team');
    const api = new ServiceContainer(team, 'api', { image: 'api:1', networks: [{ network: net }] });
    const db = new ServiceContainer(team, 'db', { image: 'postgres:17', networks: [{ network: net }] });
    new ServiceContainer(stack, 'intruder', { image: 'busybox:1.37', networks: [{ network: net }] });
    Reachability.of(team).allow(api, db);
    expect(PolicyTesting.synth(stack).errors.map((e) => e.message.slice(0, 40))).toEqual([
      '[REACH1] api and intruder can reach each',
      '[REACH1] db and intruder can reach each ',
    ]);
  });

  test('fails for a needed flow whose containers share no network', () => {
    const { stack, web, api, db } = threeTier();
    Reachability.of(stack).allow(web, api).allow(api, db).allow(web, db);
    expect(PolicyTesting.synth(stack).errors.map((e) => e.message)).toEqual([
      '[REACH2] the flow web -> db is declared as needed, but web and db share no network where they can reach each ' +
        'other; attach both to one user-defined network, or drop the declaration.',
    ]);
  });

  test('counts a flow in one direction for the pair: Docker networks do not filter by direction', () => {
    const { stack, web, api, db } = threeTier();
    Reachability.of(stack).allow(api, web).allow(db, api);
    expect(PolicyTesting.synth(stack).errors).toEqual([]);
  });

  test('accepts a tolerated pair', () => {
    const { stack, web, api, db } = threeTier();
    Reachability.of(stack).allow(web, api).tolerate(api, db, 'api only reads, but shares the back network');
    expect(PolicyTesting.synth(stack).errors).toEqual([]);
  });

  test('rejects a tolerated pair without a reason of 10 characters', () => {
    const { stack, api, db } = threeTier();
    expect(() => Reachability.of(stack).tolerate(api, db, 'ok')).toThrow(
      'Reachability test/Reachability: tolerating api -> db needs a reason of at least 10 characters, got "ok".',
    );
  });

  test('does not count a network with enable_icc=false as a path', () => {
    const stack = newStack();
    const publish = new Network(stack, 'publish', { name: 'publish-network', options: { 'com.docker.network.bridge.enable_icc': 'false' } });
    new ServiceContainer(stack, 'vote', { image: 'nginx:1.27', networks: [{ network: publish }] });
    new ServiceContainer(stack, 'result', { image: 'nginx:1.27', networks: [{ network: publish }] });
    expect(Reachability.of(stack).pairs()).toEqual([]);
  });

  test("counts containers on Docker's default bridge as reaching each other", () => {
    const stack = newStack();
    new ServiceContainer(stack, 'one', { image: 'nginx:1.27' });
    new ServiceContainer(stack, 'two', { image: 'nginx:1.27' });
    expect(Reachability.of(stack).pairs().map((p) => [p.a.name, p.b.name, p.networks])).toEqual([['one', 'two', ['bridge']]]);
  });

  test('sees raw provider containers attached by network name', () => {
    const stack = newStack();
    const one = new Container(stack, 'one', { ...COMPLIANT, name: 'one' });
    const two = new Container(stack, 'two', { ...COMPLIANT, name: 'two' });
    const three = new Container(stack, 'three', { ...COMPLIANT, name: 'three' });
    Reachability.of(stack).allow(one, two).allow(two, three).enforceEverywhere();
    expect(PolicyTesting.synth(stack).errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/^\[REACH1\] one and three can reach each other over network app-network, /),
    ]);
  });

  test('rejects a flow to a container of another stack', () => {
    const { stack, web } = threeTier();
    const other = threeTier();
    expect(() => Reachability.of(stack).allow(web, other.db)).toThrow(
      'Reachability test/Reachability: ServiceContainer test/db is in another stack; declare flows in the stack of both containers.',
    );
  });
});

/** The network of the three-tier stack with construct id `id`. */
function threeTierNetwork(stack: Construct, id: string): Network {
  return stack.node.findChild(id) as Network;
}

describe('Reachability report', () => {
  test('says that nothing is checked while the stack declares no intent', () => {
    const { stack } = threeTier();
    expect(Reachability.of(stack).report()).toContain(
      'Declared intent: none. Nothing is checked: no pair of containers is compared with an intent. Declare the flows ' +
        'the stack needs with `Reachability.of(stack).allow(from, to)`; `enforceEverywhere()` then fails every reachable ' +
        'pair without one.\n',
    );
  });

  test('never says the topology matches for containers the intent does not cover, and lists them', () => {
    const { stack, web, api } = threeTier();
    Reachability.of(stack).allow(web, api);
    const report = PolicyTesting.synth(stack).reachabilityReport;
    expect([
      report.includes(
        'Declared intent: 1 needed, 0 tolerated; the pairs it checks match it, but it covers 0 of 3 containers (3 not ' +
          'checked, see "Not checked" below).',
      ),
      report.includes('the topology matches it'),
      report.includes('## Not checked: outside the declared intent'),
      report.includes('- web (test/web)\n- api (test/api)\n- db (test/db)\n'),
    ]).toEqual([true, false, true, true]);
  });

  test('says the topology matches it when the strict mode checks every container', () => {
    const { stack, web, api, db } = threeTier();
    Reachability.of(stack).allow(web, api).allow(api, db).enforceEverywhere();
    const report = PolicyTesting.synth(stack).reachabilityReport;
    expect([report.includes('Declared intent: 2 needed, 0 tolerated, enforced everywhere; the topology matches it.'), report.includes('## Not checked')]).toEqual([
      true,
      false,
    ]);
  });

  test('counts the violations and the containers not checked', () => {
    const stack = newStack();
    const net = new Network(stack, 'net', { name: 'shared-network' });
    const team = new Construct(stack, 'team');
    const api = new ServiceContainer(team, 'api', { image: 'api:1', networks: [{ network: net }] });
    const db = new ServiceContainer(team, 'db', { image: 'postgres:17', networks: [{ network: net }] });
    new ServiceContainer(stack, 'intruder', { image: 'busybox:1.37', networks: [{ network: net }] });
    Reachability.of(team).allow(api, db);
    expect(PolicyTesting.synth(stack).reachabilityReport).toContain(
      'Declared intent: 1 needed, 0 tolerated; 2 violation(s), see below; it covers 2 of 3 containers (1 not checked, see "Not checked" below).',
    );
  });

  test('lists each network with its members and the names they answer to', () => {
    const { stack } = threeTier();
    expect(Reachability.of(stack).report()).toContain('| back-network | api (api); db (db, database) | allowed |');
  });

  test('says who reaches whom in one line a network', () => {
    const { stack } = threeTier();
    expect(Reachability.of(stack).report()).toContain(
      '## Who reaches whom\n\n- front-network: web and api reach each other on every port.\n' +
        '- back-network: api and db reach each other on every port.\n\n',
    );
  });

  test('lists a pair only where it carries intent', () => {
    const { stack, web, api } = threeTier();
    Reachability.of(stack).allow(web, api);
    const report = Reachability.of(stack).report();
    expect([report.includes('| web | api | front-network | api | needed (web -> api) |'), report.includes('| api | db |')]).toEqual([
      true,
      false,
    ]);
  });

  test('writes a network where 1000 containers reach each other as one line, and lists no pair of it', () => {
    const stack = newStack();
    // Raw containers attached by name: the cheapest 1000 containers to build.
    for (let i = 0; i < 1000; i++) new Container(stack, `c${i}`, { name: `c${i}`, image: 'nginx:1.27', networksAdvanced: [{ name: 'big-network' }] });
    Reachability.of(stack);
    const report = PolicyTesting.synth(stack).reachabilityReport;
    expect({
      line: report.includes('- big-network: all 1000 members reach each other on every port.'),
      members: report.includes('c49 (c49); ... and 950 more |'),
      pairRows: report.split('\n').filter((l) => /^\| c\d+ \| c\d+ \|/.test(l)).length,
      under10kB: report.length < 10_000,
    }).toEqual({ line: true, members: true, pairRows: 0, under10kB: true });
  });

  test('caps long lists of pairs with a count', () => {
    const stack = newStack();
    const net = new Network(stack, 'net', { name: 'shared-network' });
    const team = new Construct(stack, 'team');
    const api = new ServiceContainer(team, 'api', { image: 'api:1', networks: [{ network: net }] });
    const db = new ServiceContainer(team, 'db', { image: 'postgres:17', networks: [{ network: net }] });
    for (let i = 0; i < 150; i++) new ServiceContainer(stack, `c${i}`, { image: 'nginx:1.27', networks: [{ network: net }] });
    Reachability.of(team).allow(api, db);
    const result = PolicyTesting.synth(stack);
    const report = result.reachabilityReport;
    expect({
      errors: result.ruleIds('error').length,
      rows: report.split('\n').filter((l) => / \*\*undeclared\*\* \|$/.test(l)).length,
      more: report.includes('... and 201 more pair(s) (1 declared, 300 undeclared in all).'),
      excess: report.includes('- ... and 200 more (0 tolerated, 300 undeclared in all).'),
      violations: report.includes('- ... and 200 more (300 in all; each is an error annotation on its container).'),
    }).toEqual({ errors: 300, rows: 99, more: true, excess: true, violations: true });
  });

  test('marks needed and undeclared pairs', () => {
    const { stack, web, api } = threeTier();
    Reachability.of(stack).allow(web, api).enforceEverywhere();
    const report = Reachability.of(stack).report();
    expect([
      report.includes('| web | api | front-network | api | needed (web -> api) |'),
      report.includes('| api | db | back-network | db, database | **undeclared** |'),
    ]).toEqual([true, true]);
  });

  test('lists tolerated pairs as excess with their reason', () => {
    const { stack, web, api, db } = threeTier();
    Reachability.of(stack).allow(web, api).tolerate(api, db, 'api only reads, but shares the back network');
    expect(Reachability.of(stack).report()).toContain(
      '## Excess: allowed by the topology, not needed\n\n- api <-> db over back-network: api only reads, but shares the back network\n',
    );
  });
});
