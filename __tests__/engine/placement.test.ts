import { TerraformStack } from 'cdktf';
import { Engine, Network, NetworkDriver, PublishMode, ServiceContainer, Swarm, SwarmSecret, SwarmService } from '../../lib';
import { engineLab, tls, synthValidated } from '../helpers';

describe('what a swarm holds is made through a manager', () => {
  test.each([
    ['a Swarm service', (scope: Engine) => new SwarmService(scope, 'api', { image: 'nginx:1.27' }), 'SwarmService test/worker/api'],
    ['a Swarm secret', (scope: Engine) => new SwarmSecret(scope, 'token', { data: 'x' }), 'SwarmSecret test/worker/token'],
    ['an overlay network', (scope: Engine) => new Network(scope, 'mesh', { driver: NetworkDriver.OVERLAY }), 'Network test/worker/mesh'],
  ])('%s on a worker is refused, naming the engine and the fix', (what, make, label) => {
    expect(() => make(engineLab().worker)).toThrow(
      `${label}: is on Engine test/worker (tcp://10.0.0.3:2376), which this stack does not declare a swarm manager; ${what} ` +
        "is created through a manager of its swarm, and Docker refuses it on a worker or a standalone engine. Create it inside a manager's " +
        'scope, or declare the engine one: `new Engine(scope, id, { swarm, manager: true })`.',
    );
  });

  test('a Swarm service on a standalone engine is refused too', () => {
    expect(() => new SwarmService(engineLab().standalone, 'api', { image: 'nginx:1.27' })).toThrow(
      'SwarmService test/standalone/api: is on Engine test/standalone (tcp://10.0.0.4:2376), which this stack does not declare a swarm manager;',
    );
  });

  test("on a manager, or on the stack's default provider (trusted to be a manager, as without engines), it synthesizes", () => {
    const { stack, manager } = engineLab();
    new SwarmService(manager, 'api', { image: 'nginx:1.27' });
    new SwarmService(stack, 'default-api', { image: 'nginx:1.27' });
    expect(() => synthValidated(stack)).not.toThrow();
  });
});

describe('names and host ports are counted per engine', () => {
  const web = (scope: Engine | TerraformStack, id: string, external: number) =>
    new ServiceContainer(scope, id, { name: 'web', image: 'nginx:1.27', ports: [{ internal: 80, external, hostIp: '0.0.0.0' }] });

  test('two engines publish one host port, and run a container of one name each', () => {
    const { stack, worker, standalone } = engineLab();
    web(worker, 'web', 8080);
    web(standalone, 'web', 8080);
    web(stack, 'web', 8080);
    expect(() => synthValidated(stack)).not.toThrow();
  });

  test('on one engine they still clash', () => {
    const { stack, worker } = engineLab();
    web(worker, 'web', 8080);
    new ServiceContainer(worker, 'other', { image: 'nginx:1.27', ports: [{ internal: 80, external: 8080 }] });
    expect(() => synthValidated(stack)).toThrow(
      'ServiceContainer test/worker/other: host port 127.0.0.1:8080/tcp is already published by ServiceContainer test/worker/web; ' +
        'Docker can bind it only once, so change `external` (or `hostIp`) on one of them.',
    );
  });

  test("a Swarm service's published port is bound on every node of its swarm: it clashes with a container on a worker", () => {
    const { stack, manager, worker, standalone } = engineLab();
    web(worker, 'web', 8080);
    web(standalone, 'web', 8081);
    new SwarmService(manager, 'api', { image: 'nginx:1.27', ports: [{ target: 80, published: 8080, mode: PublishMode.HOST }, { target: 81, published: 8081 }] });
    expect(() => synthValidated(stack)).toThrow(
      'SwarmService test/manager/api: port 8080/tcp (host mode) is also published by the container ServiceContainer test/worker/web on ' +
        "this engine; Swarm binds every interface, so change `published` or the container's `external`.",
    );
    // The standalone engine is no node of the swarm: its 8081 is its own.
    expect(() => synthValidated(stack)).not.toThrow(/8081/);
  });

  test('a service name is one in its swarm; two swarms, or a swarm and the default provider, may share one', () => {
    const { stack, manager } = engineLab();
    const other = new Engine(stack, 'other', { host: tls('10.0.1.2'), swarm: new Swarm(stack, 'other-lab'), manager: true });
    new SwarmService(manager, 'api', { image: 'nginx:1.27' });
    new SwarmService(other, 'api', { image: 'nginx:1.27' });
    new SwarmService(stack, 'api', { image: 'nginx:1.27' });
    expect(() => synthValidated(stack)).not.toThrow();
    new SwarmService(manager, 'api-again', { name: 'api', image: 'nginx:1.27' });
    expect(() => synthValidated(stack)).toThrow(
      'SwarmService test/manager/api-again: service name "api" is already used by SwarmService test/manager/api; service names are unique in a swarm',
    );
  });

  test("an overlay network's name is one in its swarm; bridge networks of one name live on two engines", () => {
    const { stack, manager, worker, standalone } = engineLab();
    new Network(worker, 'backend');
    new Network(standalone, 'backend');
    new Network(manager, 'mesh', { driver: NetworkDriver.OVERLAY });
    expect(() => synthValidated(stack)).not.toThrow();
    new Network(worker, 'mesh');
    expect(() => synthValidated(stack)).toThrow(
      'Network test/worker/mesh: network name "mesh" is already used by Network test/manager/mesh in this stack;',
    );
  });
});
