import { Testing } from 'cdktf';
import { Network as DockerNetwork } from '@cdktf/provider-docker/lib/network';
import { Network, NetworkDriver } from '../../lib';
import { newStack, onlyResource } from '../helpers';

describe('Network on Swarm (overlay driver)', () => {
  test('writes driver, attachable, encrypted and a VXLAN id derived from the name', () => {
    const stack = newStack();
    new Network(stack, 'net', { name: 'swarm-backend', driver: NetworkDriver.OVERLAY, attachable: true, encrypted: true });
    const network = onlyResource(Testing.synth(stack), 'docker_network');
    expect(network).toMatchObject({ driver: 'overlay', attachable: true });
    expect(network.options.encrypted).toBe('true');
    const vxlan = Number(network.options['com.docker.network.driver.overlay.vxlanid_list']);
    expect(vxlan).toBeGreaterThanOrEqual(4097);
    expect(vxlan).toBeLessThanOrEqual(16_777_215);
  });

  test('the VXLAN id is stable across synths and differs between names', () => {
    const vxlanOf = (name: string) => {
      const stack = newStack();
      new Network(stack, 'net', { name, driver: NetworkDriver.OVERLAY });
      return onlyResource(Testing.synth(stack), 'docker_network').options['com.docker.network.driver.overlay.vxlanid_list'];
    };
    expect(vxlanOf('a-network')).toBe(vxlanOf('a-network'));
    expect(vxlanOf('a-network')).not.toBe(vxlanOf('b-network'));
  });

  test('takes a VXLAN id from vxlanId and leaves encryption off by default', () => {
    const stack = newStack();
    new Network(stack, 'net', { driver: NetworkDriver.OVERLAY, vxlanId: 4242 });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(DockerNetwork, {
      options: { 'com.docker.network.driver.overlay.vxlanid_list': '4242' },
    });
  });

  test('a bridge network gets no overlay options', () => {
    const stack = newStack();
    new Network(stack, 'net');
    expect(onlyResource(Testing.synth(stack), 'docker_network').options).toBeUndefined();
  });

  describe('rejects options of the other driver, naming the construct, the option and the fix', () => {
    test('encrypted on a bridge network', () => {
      expect(() => new Network(newStack(), 'net', { encrypted: true })).toThrow(
        'Network test/net: `encrypted` is an overlay option, and this network uses the bridge driver, which ignores it; ' +
          'set `driver: NetworkDriver.OVERLAY` for a Swarm network, or remove it.',
      );
    });

    test('the encrypted driver option and vxlanId on a bridge network', () => {
      expect(() => new Network(newStack(), 'net', { vxlanId: 5000, options: { encrypted: '' } })).toThrow(
        '`vxlanId` and option "encrypted" are an overlay option',
      );
    });

    test('interContainerTraffic on an overlay network', () => {
      expect(() => new Network(newStack(), 'net', { driver: NetworkDriver.OVERLAY, interContainerTraffic: false })).toThrow(
        'Network test/net: `interContainerTraffic` is a bridge option, and this network uses the overlay driver, which ' +
          'ignores it (an overlay network always lets its members reach each other); remove it, or split the services ' +
          'over more overlay networks.',
      );
    });

    test('enable_icc as a driver option on an overlay network', () => {
      expect(
        () => new Network(newStack(), 'net', { driver: NetworkDriver.OVERLAY, options: { 'com.docker.network.bridge.enable_icc': 'false' } }),
      ).toThrow('option "com.docker.network.bridge.enable_icc" is a bridge option');
    });

    test('a VXLAN id out of range', () => {
      expect(() => new Network(newStack(), 'net', { driver: NetworkDriver.OVERLAY, vxlanId: 0 })).toThrow(
        'vxlanId 0 is not a VXLAN id; use a whole number from 1 to 16777215.',
      );
    });
  });
});
