import { Testing } from 'cdktf';
import { Engine, Network, NetworkInventory, ServiceContainer } from '../../lib';
import { newStack } from '../helpers';

describe('NetworkInventory', () => {
  test('lists networks created later, imported networks and their members', () => {
    const stack = newStack();
    new NetworkInventory(stack, 'inventory');
    const created = new Network(stack, 'app-net');
    const imported = Network.fromName(stack, 'corp', 'corp-network');
    new ServiceContainer(stack, 'api', { image: 'api:1', networks: [{ network: created, aliases: ['api-v1'] }, { network: imported }] });
    const inventory = JSON.parse(Testing.synth(stack)).output.networks.value;
    expect(Object.keys(inventory).sort()).toEqual(['app-net', 'corp-network']);
    expect(inventory['app-net'].members).toEqual([{ container: 'api', aliases: ['api-v1'] }]);
    expect(inventory['corp-network'].id).toMatch(/^\$\{data\.docker_network\.corp_[0-9A-F]+\.id\}$/);
  });

  test('names a network on an engine with an alias after the alias: one name may be on two engines', () => {
    const stack = newStack();
    new NetworkInventory(stack, 'inventory');
    new Network(stack, 'backend');
    const worker = new Engine(stack, 'worker');
    new ServiceContainer(worker, 'api', { image: 'api:1', networks: [{ network: new Network(worker, 'backend') }] });
    const inventory = JSON.parse(Testing.synth(stack)).output.networks.value;
    expect(Object.keys(inventory)).toEqual(['backend', 'worker/backend']);
    expect(inventory['worker/backend'].members).toEqual([{ container: 'api', aliases: [] }]);
  });

  test('lists subnet, gateway and IP range of each IPAM block, not the raw ipam_config (no aux_address)', () => {
    const stack = newStack();
    new NetworkInventory(stack, 'inventory');
    new Network(stack, 'fixed-net', { subnet: '10.1.0.0/24' });
    Network.fromName(stack, 'corp', 'corp-network');
    const inventory = JSON.parse(Testing.synth(stack)).output.networks.value;
    const projection = '{"subnet" = val.subnet, "gateway" = val.gateway, "ip_range" = val.ip_range}]}';
    expect(inventory['fixed-net'].ipam).toMatch(/^\$\{\[ for key, val in docker_network\.fixed-net_[0-9A-F]+\.ipam_config: /);
    expect(inventory['corp-network'].ipam).toMatch(/^\$\{\[ for key, val in data\.docker_network\.corp_[0-9A-F]+\.ipam_config: /);
    for (const name of ['fixed-net', 'corp-network']) {
      expect(inventory[name].ipam.endsWith(projection)).toBe(true);
      expect(inventory[name].ipam).not.toContain('aux_address');
    }
  });

  test('takes another output name', () => {
    const stack = newStack();
    new NetworkInventory(stack, 'inventory', { outputName: 'docker_networks' });
    expect(Object.keys(JSON.parse(Testing.synth(stack)).output)).toEqual(['docker_networks']);
  });
});
