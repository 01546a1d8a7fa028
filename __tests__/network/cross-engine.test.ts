import { TerraformStack } from 'cdktf';
import {
  Engine,
  INetwork,
  Network,
  NetworkDriver,
  ServiceContainer,
  Swarm,
  SwarmService,
} from '../../lib';
import { engineLab, tls, onlyResource, resourcesOf, synthValidated } from '../helpers';

const container = (scope: Engine | TerraformStack, network: INetwork) =>
  new ServiceContainer(scope, 'app', { image: 'nginx:1.27', networks: [{ network }] });

describe('a standalone container and a network on another engine', () => {
  test('a bridge network is local to its engine: refused, with the fix', () => {
    const { manager, worker } = engineLab();
    const net = new Network(manager, 'net');
    expect(() => container(worker, net)).toThrow(
      'ServiceContainer test/worker/app: is on Engine test/worker (tcp://10.0.0.3:2376) and network test/manager/net on Engine ' +
        'test/manager (tcp://10.0.0.2:2376); a bridge network is local to its engine, so nothing on another engine can join it. ' +
        "Create the container on the network's engine, or give it a network of its own engine; across engines, attach both to " +
        'an attachable overlay network of a swarm whose nodes both engines are.',
    );
  });

  test("so is any other driver but overlay, and a bridge of the stack's default engine", () => {
    const { stack, worker } = engineLab();
    const macvlan = new Network(stack, 'lan', { driver: NetworkDriver.MACVLAN });
    expect(() => container(worker, macvlan)).toThrow(
      "ServiceContainer test/worker/app: is on Engine test/worker (tcp://10.0.0.3:2376) and network test/lan on the stack's " +
        'default engine; a macvlan network is local to its engine,',
    );
  });

  test('an attachable overlay network of a swarm both engines are nodes of joins them', () => {
    const { stack, manager, worker } = engineLab();
    const mesh = new Network(manager, 'mesh', { driver: NetworkDriver.OVERLAY, attachable: true });
    container(worker, mesh);
    const synthesized = synthValidated(stack);
    const app = onlyResource(synthesized, 'docker_container');
    expect(app.provider).toBe('docker.worker');
    expect(app.networks_advanced).toEqual([{ name: `\${docker_network.${Object.keys(resourcesOf(synthesized, 'docker_network'))[0]}.id}` }]);
  });

  test('an overlay network that is not attachable: refused, set attachable', () => {
    const { manager, worker } = engineLab();
    const mesh = new Network(manager, 'mesh', { driver: NetworkDriver.OVERLAY });
    expect(() => container(worker, mesh)).toThrow(
      'ServiceContainer test/worker/app: is on Engine test/worker (tcp://10.0.0.3:2376) and network test/manager/mesh on Engine ' +
        'test/manager (tcp://10.0.0.2:2376): an overlay network that is not attachable, which only Swarm services join; a ' +
        'standalone container on another node cannot. Set `attachable: true` on the network.',
    );
  });

  test('an overlay network of a swarm the container\'s engine is no node of: refused, declare the swarm', () => {
    const { manager, standalone } = engineLab();
    const mesh = new Network(manager, 'mesh', { driver: NetworkDriver.OVERLAY, attachable: true });
    expect(() => container(standalone, mesh)).toThrow(
      'ServiceContainer test/standalone/app: is on Engine test/standalone (tcp://10.0.0.4:2376) and network test/manager/mesh on ' +
        'Engine test/manager (tcp://10.0.0.2:2376), and this stack does not declare the two engines nodes of one swarm; an overlay ' +
        'network reaches the nodes of its own swarm only. Declare both engines nodes of one Swarm (`swarm` on each Engine), or ' +
        "create the container on the network's engine.",
    );
  });

  test("the stack's default engine is in no swarm unless declared: the message says how", () => {
    const { stack, manager } = engineLab();
    const mesh = new Network(manager, 'mesh', { driver: NetworkDriver.OVERLAY, attachable: true });
    expect(() => container(stack, mesh)).toThrow(
      "Declare both engines nodes of one Swarm (`swarm` on each Engine; the stack's default engine is an Engine with `stackDefault: true`), " +
        "or create the container on the network's engine.",
    );
  });

  test('a network read by name on another engine of the swarm is taken for an overlay network of it; of no shared swarm, refused', () => {
    const { stack, manager, worker, standalone } = engineLab();
    const shared = Network.fromName(manager, 'shared', 'shared-mesh');
    container(worker, shared);
    expect(() => synthValidated(stack)).not.toThrow();
    expect(() => container(standalone, shared)).toThrow(
      'ServiceContainer test/standalone/app: is on Engine test/standalone (tcp://10.0.0.4:2376) and network test/manager/shared on ' +
        'Engine test/manager (tcp://10.0.0.2:2376), and this stack does not declare the two engines nodes of one swarm; a network ' +
        "read by name is looked up on the reader's engine, and only an overlay network of its swarm is found from another. Declare " +
        "both engines nodes of one Swarm (`swarm` on each Engine), or read the network inside the container's engine.",
    );
  });
});

describe('a Swarm service and a network on another engine', () => {
  test('an overlay network made through another manager of its swarm joins it, attachable or not', () => {
    const { stack, manager } = engineLab();
    const second = new Engine(stack, 'second', { host: tls('10.0.0.5'), swarm: manager.swarm, manager: true });
    const mesh = new Network(manager, 'mesh', { driver: NetworkDriver.OVERLAY });
    new SwarmService(second, 'api', { image: 'nginx:1.27', networks: [{ network: mesh }] });
    expect(() => synthValidated(stack)).not.toThrow();
  });

  test('an overlay network of another swarm: refused', () => {
    const { stack, manager } = engineLab();
    const other = new Engine(stack, 'other', { host: tls('10.0.1.2'), swarm: new Swarm(stack, 'other-lab'), manager: true });
    const mesh = new Network(manager, 'mesh', { driver: NetworkDriver.OVERLAY });
    expect(() => new SwarmService(other, 'api', { image: 'nginx:1.27', networks: [{ network: mesh }] })).toThrow(
      'SwarmService test/other/api: is on Engine test/other (tcp://10.0.1.2:2376) and network test/manager/mesh on Engine ' +
        'test/manager (tcp://10.0.0.2:2376), and this stack does not declare the two engines nodes of one swarm; an overlay ' +
        'network reaches the nodes of its own swarm only. Declare both engines nodes of one Swarm (`swarm` on each Engine), or ' +
        "create the service on the network's engine.",
    );
  });
});
