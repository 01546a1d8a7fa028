/**
 * Docker's rule of who reaches whom across engines, on models of stacks with engines. Raw provider containers stand
 * for what synth would refuse of the library's constructs (a container attached to a bridge of another engine),
 * which a plan or a state may still hold.
 */
import { TerraformStack, Testing } from 'cdktf';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerModel, Engine, Network, NetworkDriver, Reachability, ReachabilityRule, ServiceContainer, Swarm } from '../../lib';
import { newStack } from '../helpers';

/** A swarm of a manager and a worker. */
function lab(): { stack: TerraformStack; manager: Engine; worker: Engine } {
  const stack = newStack();
  const swarm = new Swarm(stack, 'lab');
  return { stack, manager: new Engine(stack, 'manager', { swarm, manager: true }), worker: new Engine(stack, 'worker', { swarm }) };
}

const pairs = (stack: TerraformStack) =>
  ReachabilityRule.pairsOf(DockerModel.fromDocument(JSON.parse(Testing.synth(stack)))).map((p) => [p.a.name, p.b.name, p.networks]);

describe('ReachabilityRule across engines', () => {
  test('containers on two engines reach each other over an overlay network they share', () => {
    const { stack, manager, worker } = lab();
    const mesh = new Network(manager, 'mesh', { driver: NetworkDriver.OVERLAY, attachable: true });
    new ServiceContainer(manager, 'one', { image: 'nginx:1.27', networks: [{ network: mesh }] });
    new ServiceContainer(worker, 'two', { image: 'nginx:1.27', networks: [{ network: mesh }] });
    expect(pairs(stack)).toEqual([['one', 'two', ['mesh']]]);
  });

  test('a container of another engine attached to a bridge is not on it: it reaches nobody there', () => {
    const { stack, manager, worker } = lab();
    const local = new Network(manager, 'local');
    new ServiceContainer(manager, 'one', { image: 'nginx:1.27', networks: [{ network: local }] });
    new ServiceContainer(manager, 'two', { image: 'nginx:1.27', networks: [{ network: local }] });
    new Container(worker, 'stray', { name: 'stray', image: 'nginx:1.27', networksAdvanced: [{ name: local.networkId }] });
    expect(pairs(stack)).toEqual([['one', 'two', ['local']]]);
    const model = DockerModel.fromDocument(JSON.parse(Testing.synth(stack)));
    expect(ReachabilityRule.networksOf(model).map((n) => [n.name, n.members.map((c) => c.name)])).toEqual([['local', ['one', 'two']]]);
  });

  test("each engine has a default bridge of its own: containers reach by IP only those on their engine's", () => {
    const { stack, manager, worker } = lab();
    new ServiceContainer(stack, 'here', { image: 'nginx:1.27' });
    new ServiceContainer(manager, 'm1', { image: 'nginx:1.27' });
    new ServiceContainer(manager, 'm2', { image: 'nginx:1.27' });
    new ServiceContainer(worker, 'w1', { image: 'nginx:1.27' });
    expect(pairs(stack)).toEqual([['m1', 'm2', ['bridge']]]);
    const model = DockerModel.fromDocument(JSON.parse(Testing.synth(stack)));
    expect(ReachabilityRule.networksOf(model).map((n) => [n.key, n.engine, n.members.map((c) => c.name)])).toEqual([
      ['bridge', undefined, ['here']],
      ['bridge@docker.manager', 'docker.manager', ['m1', 'm2']],
      ['bridge@docker.worker', 'docker.worker', ['w1']],
    ]);
  });

  test('the reachability report names the engine of each default bridge but the default one', () => {
    const { stack, worker } = lab();
    new ServiceContainer(stack, 'here', { image: 'nginx:1.27' });
    new ServiceContainer(worker, 'w1', { image: 'nginx:1.27' });
    const report = Reachability.of(stack).report();
    expect(report).toContain("| bridge (Docker's default) | here | allowed, by IP only |");
    expect(report).toContain("| bridge (Docker's default on docker.worker) | w1 | allowed, by IP only |");
    expect(report).toContain("- bridge (Docker's default on docker.worker): only w1, nobody to reach.");
  });
});
