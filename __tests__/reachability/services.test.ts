import { Network, NetworkDriver, PolicyTesting, Reachability, ServiceContainer, StackModel, SwarmService } from '../../lib';
import { newStack } from '../helpers';

/** web on `front`; api on `front` and `back`; db on `back` with the alias `database`; a probe container on `back`. */
function swarmStack() {
  const stack = newStack();
  const front = new Network(stack, 'front', { name: 'front-overlay', driver: NetworkDriver.OVERLAY });
  const back = new Network(stack, 'back', { name: 'back-overlay', driver: NetworkDriver.OVERLAY, attachable: true });
  const web = new SwarmService(stack, 'web', { image: 'web:1', networks: [{ network: front }] });
  const api = new SwarmService(stack, 'api', { image: 'api:1', networks: [{ network: front }, { network: back }] });
  const db = new SwarmService(stack, 'db', { image: 'postgres:17', networks: [{ network: back, aliases: ['database'] }] });
  const probe = new ServiceContainer(stack, 'probe', { image: 'busybox:1.37', networks: [{ network: back }] });
  return { stack, web, api, db, probe };
}

describe('Reachability with Swarm services on overlay networks', () => {
  test('services are modelled with their names and tasks.<name> on each network', () => {
    const { stack } = swarmStack();
    const model = StackModel.build(stack);
    const db = model.containers.find((c) => c.name === 'db')!;
    expect(db.kind).toBe('service');
    expect(db.networks.map((n) => [n.networkName, n.names])).toEqual([['back-overlay', ['db', 'tasks.db', 'database']]]);
    expect(model.containers.find((c) => c.name === 'probe')!.kind).toBe('container');
  });

  test('a service reaches every other member of its overlay networks, services and attached containers alike', () => {
    const { stack } = swarmStack();
    const pairs = Reachability.of(stack).pairs().map((p) => `${p.a.name}-${p.b.name} ${p.networks.join(',')}`);
    expect(pairs).toEqual(['web-api front-overlay', 'api-db back-overlay', 'api-probe back-overlay', 'db-probe back-overlay']);
  });

  test('flows between services are declared like flows between containers, and undeclared pairs fail', () => {
    const { stack, web, api, db, probe } = swarmStack();
    Reachability.of(stack).allow(web, api).allow(api, db).tolerate(probe, db, 'the probe checks the database in tests').enforceEverywhere();
    const errors = PolicyTesting.synth(stack).errors.map((e) => e.message);
    expect(errors).toEqual([expect.stringMatching(/^\[REACH1\] api and probe can reach each other over network back-overlay/)]);
  });

  test('the report names tasks.<name> and says what an overlay network allows', () => {
    const { stack } = swarmStack();
    const report = Reachability.of(stack).report();
    expect(report).toContain('| back-overlay | api (api, tasks.api); db (db, tasks.db, database); probe (probe) | allowed |');
    expect(report).toContain('`tasks.<name>` (every task)');
  });
});
