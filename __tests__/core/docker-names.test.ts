import { Construct } from 'constructs';
import { DockerNames, Network, NetworkDriver, PolicyTesting, Reachability, ServiceContainer, SwarmService, VotingApp } from '../../lib';
import { containersByName, newStack, resourcesOf, synthValidated } from '../helpers';

/** A construct of the user's own: a web server and its database on a network of their own. */
class Shop extends Construct {
  public readonly web: ServiceContainer;
  public readonly db: ServiceContainer;
  public readonly network: Network;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    DockerNames.prefix(this);
    this.network = new Network(this, 'net');
    this.db = new ServiceContainer(this, 'db', { image: 'postgres:17-alpine', networks: [{ network: this.network }] });
    this.web = new ServiceContainer(this, 'web', {
      image: 'nginx:1.27',
      env: { DB_HOST: 'db' },
      networks: [{ network: this.network, aliases: ['www'] }],
      dependsOn: [this.db],
    });
    Reachability.of(this).allow(this.web, this.db);
  }
}

describe('DockerNames.prefix', () => {
  test('lets a construct of the user\'s own be used twice in one stack without naming its containers', () => {
    const stack = newStack();
    new Shop(stack, 'shop-a');
    new Shop(stack, 'shop-b');
    const synthesized = synthValidated(stack);
    expect(Object.keys(containersByName(synthesized)).sort()).toEqual(['shop-a-db', 'shop-a-web', 'shop-b-db', 'shop-b-web']);
    expect(Object.values(resourcesOf(synthesized, 'docker_network')).map((n: any) => n.name).sort()).toEqual(['shop-a-net', 'shop-b-net']);
  });

  test('keeps the short names as aliases, so the services inside still find each other by them', () => {
    const stack = newStack();
    new Shop(stack, 'shop-a');
    const containers = containersByName(synthValidated(stack));
    expect(containers['shop-a-db'].networks_advanced[0].aliases).toEqual(['db']);
    expect(containers['shop-a-web'].networks_advanced[0].aliases).toEqual(['www', 'web']);
  });

  test('adds up nested prefixes, outermost first', () => {
    const stack = newStack();
    const team = new Construct(stack, 'team');
    DockerNames.prefix(team, 'blue-');
    const shop = new Shop(team, 'shop');
    expect([shop.web.name, shop.web.shortName, shop.network.name]).toEqual(['blue-shop-web', 'web', 'blue-shop-net']);
  });

  test('keeps each instance\'s declared intent to its own containers', () => {
    const stack = newStack();
    new Shop(stack, 'shop-a');
    new Shop(stack, 'shop-b');
    expect(PolicyTesting.synth(stack).ruleIds('error')).toEqual([]);
  });

  test('gives two voting apps in prefixed scopes distinct names, variables and outputs', () => {
    const stack = newStack();
    for (const team of ['red', 'green']) {
      const scope = new Construct(stack, team);
      DockerNames.prefix(scope);
      new VotingApp(scope, 'app', { votePort: team === 'red' ? 5000 : 6000, resultPort: team === 'red' ? 5001 : 6001 });
    }
    const synthesized = JSON.parse(synthValidated(stack));
    expect(Object.keys(synthesized.variable).sort()).toEqual(['green_db_password', 'red_db_password']);
    expect(Object.keys(containersByName(JSON.stringify(synthesized)))).toContain('green-vote');
  });

  test('rejects a prefix that cannot start a Docker name', () => {
    expect(() => DockerNames.prefix(new Construct(newStack(), 'team'), '-bad')).toThrow(
      'Construct test/team: name prefix "-bad" is not the start of a Docker name; use letters, digits, "_", "." and "-", starting with a letter or digit.',
    );
  });
});

describe('network aliases, one DNS name rule for containers and Swarm services', () => {
  const label = 'a'.repeat(63);
  /** Four labels of 63 and a dot between each: 255 characters. */
  const tooLong = [label, label, label, label].join('.');
  const longest = tooLong.slice(0, 253);
  const refusal = (kind: string, alias: string) =>
    `${kind} test/app: invalid network alias "${alias}". An alias is a DNS name: labels of letters, digits, "-" and "_" ` +
    'separated by dots, each at most 63 characters, 253 in all; fix `aliases`.';

  test('accepts labels of 63 characters and a name of 253', () => {
    const stack = newStack();
    const network = new Network(stack, 'net');
    expect(() => new ServiceContainer(stack, 'app', { image: 'app:1', networks: [{ network, aliases: [label, longest, 'db.internal', 'my_db'] }] })).not.toThrow();
  });

  test.each([tooLong, tooLong.slice(0, 254), `${label}a`, 'db-', 'db.-cache'])('refuses %p on a container', (alias) => {
    const stack = newStack();
    const network = new Network(stack, 'net');
    expect(() => new ServiceContainer(stack, 'app', { image: 'app:1', networks: [{ network, aliases: [alias] }] })).toThrow(
      refusal('ServiceContainer', alias),
    );
  });

  test('refuses a name of more than 253 characters on a Swarm service too', () => {
    const stack = newStack();
    const network = new Network(stack, 'net', { driver: NetworkDriver.OVERLAY });
    expect(() => new SwarmService(stack, 'app', { image: 'app:1', networks: [{ network, aliases: [tooLong] }] })).toThrow(
      refusal('SwarmService', tooLong),
    );
  });
});
