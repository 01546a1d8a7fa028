import { Testing } from 'cdktf';
import { Network as DockerNetwork } from '@cdktf/provider-docker/lib/network';
import { DataDockerNetwork } from '@cdktf/provider-docker/lib/data-docker-network';
import { Network, NetworkDriver, ServiceContainer } from '../../lib';
import { newStack, onlyResource, resourcesOf, synthValidated } from '../helpers';

describe('Network', () => {
  test('creates a bridge network named after the construct id by default', () => {
    const stack = newStack();
    new Network(stack, 'backend-network');
    expect(Testing.synth(stack)).toHaveResourceWithProperties(DockerNetwork, {
      name: 'backend-network',
      driver: 'bridge',
    });
  });

  test('takes the Docker name from `name`', () => {
    const stack = newStack();
    new Network(stack, 'net', { name: 'frontend-network2' });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(DockerNetwork, { name: 'frontend-network2' });
  });

  test('passes driver, internal and attachable through', () => {
    const stack = newStack();
    new Network(stack, 'net', { driver: NetworkDriver.OVERLAY, internal: true, attachable: true });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(DockerNetwork, {
      driver: 'overlay',
      internal: true,
      attachable: true,
    });
  });

  test('accepts a plugin driver by name', () => {
    const stack = newStack();
    new Network(stack, 'net', { driver: NetworkDriver.of('weave') });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(DockerNetwork, { driver: 'weave' });
  });

  test('writes labels and driver options', () => {
    const stack = newStack();
    new Network(stack, 'net', {
      labels: { team: 'platform' },
      options: { 'com.docker.network.bridge.name': 'br-basics' },
    });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(DockerNetwork, {
      labels: [
        { label: 'team', value: 'platform' },
        { label: 'cdktf-docker-networking.stack', value: 'test' },
      ],
      options: { 'com.docker.network.bridge.name': 'br-basics' },
    });
  });

  test('writes subnet, gateway and ip range into ipam_config', () => {
    const stack = newStack();
    new Network(stack, 'net', { subnet: '172.28.0.0/16', gateway: '172.28.0.254', ipRange: '172.28.5.0/24' });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(DockerNetwork, {
      ipam_config: [{ subnet: '172.28.0.0/16', gateway: '172.28.0.254', ip_range: '172.28.5.0/24' }],
    });
  });

  test('writes out the gateway Docker would choose when only a subnet is given, so plans stay stable', () => {
    const stack = newStack();
    new Network(stack, 'net', { subnet: '10.42.8.0/22' });
    expect(onlyResource(Testing.synth(stack), 'docker_network').ipam_config).toEqual([
      { subnet: '10.42.8.0/22', gateway: '10.42.8.1' },
    ]);
  });

  test('leaves addressing to Docker when no subnet is given', () => {
    const stack = newStack();
    new Network(stack, 'net');
    expect(onlyResource(Testing.synth(stack), 'docker_network').ipam_config).toBeUndefined();
  });

  test('exposes the provider resource as `resource` with id Resource', () => {
    const stack = newStack();
    const network = new Network(stack, 'net');
    expect(network.resource).toBeInstanceOf(DockerNetwork);
    expect(network.resource.node.id).toBe('Resource');
  });

  test('containers attach by network id, so a replaced network replaces its containers first', () => {
    const stack = newStack();
    const network = new Network(stack, 'net');
    new ServiceContainer(stack, 'app', { image: 'nginx:1.27', networks: [{ network }] });
    expect(onlyResource(Testing.synth(stack), 'docker_container').networks_advanced).toEqual([
      { name: expect.stringMatching(/^\$\{docker_network\.net_[0-9A-F]+\.id\}$/) },
    ]);
  });

  describe('rejects', () => {
    test.each(['-leading-dash', 'a', 'has space', 'ünïcode', 'slash/name'])('the invalid name %p', (name) => {
      expect(() => new Network(newStack(), 'net', { name })).toThrow(
        `Network test/net: invalid network name "${name}". Docker network names are at least 2 characters of letters, ` +
          'digits, "_", "." and "-", and start with a letter or digit; set `name` to such a value.',
      );
    });

    test.each(['172.28.0.0', '172.28.0.0/33', '300.1.0.0/16', '172.28.0.0/16/1', 'not-a-cidr', '172.28.0.0/'])(
      'the malformed subnet %p',
      (subnet) => {
        expect(() => new Network(newStack(), 'net', { subnet })).toThrow(
          `Network test/net: subnet "${subnet}" is not a CIDR block; write an address and a prefix length, e.g. "172.28.0.0/16".`,
        );
      },
    );

    test('a malformed ip range', () => {
      expect(() => new Network(newStack(), 'net', { subnet: '172.28.0.0/16', ipRange: '172.28.5/24' })).toThrow(
        'Network test/net: ipRange "172.28.5/24" is not a CIDR block',
      );
    });

    test('a gateway outside the subnet', () => {
      expect(() => new Network(newStack(), 'net', { subnet: '172.28.0.0/16', gateway: '172.29.0.1' })).toThrow(
        'Network test/net: gateway 172.29.0.1 is outside subnet 172.28.0.0/16; pick an address inside it.',
      );
    });

    test('an ip range outside the subnet', () => {
      expect(() => new Network(newStack(), 'net', { subnet: '172.28.0.0/16', ipRange: '10.0.0.0/24' })).toThrow(
        'Network test/net: ipRange 10.0.0.0/24 is not inside subnet 172.28.0.0/16; pick a block inside it.',
      );
    });

    test('an ip range wider than the subnet', () => {
      expect(() => new Network(newStack(), 'net', { subnet: '172.28.0.0/16', ipRange: '172.16.0.0/12' })).toThrow(
        'Network test/net: ipRange 172.16.0.0/12 is not inside subnet 172.28.0.0/16; pick a block inside it.',
      );
    });

    test('a gateway without a subnet', () => {
      expect(() => new Network(newStack(), 'net', { gateway: '172.28.0.1' })).toThrow(
        'Network test/net: `gateway` and `ipRange` need a `subnet`; set `subnet` too.',
      );
    });

    test('two networks of one name in a stack, at synth', () => {
      const stack = newStack();
      new Network(stack, 'first', { name: 'shared' });
      new Network(stack, 'second', { name: 'shared' });
      expect(() => synthValidated(stack)).toThrow(
        'Network test/second: network name "shared" is already used by Network test/first in this stack; ' +
          'Docker network names are unique on an engine, so give one of them another `name`.',
      );
    });
  });

  test('skips checks on values that are tokens', () => {
    const stack = newStack();
    const other = new Network(stack, 'other');
    expect(() => new Network(stack, 'net', { name: other.networkName, subnet: other.networkId })).not.toThrow();
  });

  test('accepts an IPv6 subnet and sets no gateway for it', () => {
    const stack = newStack();
    new Network(stack, 'net', { subnet: 'fd00:dead:beef::/48' });
    expect(onlyResource(Testing.synth(stack), 'docker_network').ipam_config).toEqual([{ subnet: 'fd00:dead:beef::/48' }]);
  });
});

describe('Network addressing as Docker reads it', () => {
  test('turns IPv6 on for an IPv6 subnet, which Docker ignores otherwise', () => {
    const stack = newStack();
    new Network(stack, 'net', { subnet: 'fd00:28::/64' });
    expect(onlyResource(Testing.synth(stack), 'docker_network').ipv6).toBe(true);
  });

  test('leaves IPv6 off for an IPv4 subnet and without a subnet', () => {
    const stack = newStack();
    new Network(stack, 'v4', { subnet: '172.28.0.0/16' });
    new Network(stack, 'none');
    expect(Object.values(resourcesOf(Testing.synth(stack), 'docker_network')).map((n: any) => n.ipv6)).toEqual([undefined, undefined]);
  });

  test.each([
    'fd00:28::/64',
    'FD00:0028:0000:0000:0000:0000:0000:0000/64',
    '::/0',
    '2001:db8::/32',
    'fd00::1/128',
  ])('accepts the IPv6 subnet %p', (subnet) => {
    expect(() => new Network(newStack(), 'net', { subnet })).not.toThrow();
  });

  test.each(['0.0.0.0/0', '10.0.0.0/8', '10.20.0.5/32', '192.168.1.0/24'])('accepts the IPv4 subnet %p', (subnet) => {
    expect(() => new Network(newStack(), 'net', { subnet })).not.toThrow();
  });

  test.each([
    ['10.20.0.5/24', '10.20.0.0/24'],
    ['172.28.0.1/16', '172.28.0.0/16'],
    ['fd00:28::1/64', 'fd00:28::/64'],
    ['fd00:28:0:0:1::/48', 'fd00:28::/48'],
  ])('rejects the subnet %p with host bits set, naming its network address', (subnet, network) => {
    expect(() => new Network(newStack(), 'net', { subnet })).toThrow(
      `Network test/net: subnet "${subnet}" has host bits set, which Docker (Engine 25 and later) refuses; write its network ` +
        `address, "${network}".`,
    );
  });

  test('rejects an ip range with host bits set', () => {
    expect(() => new Network(newStack(), 'net', { subnet: '172.28.0.0/16', ipRange: '172.28.5.7/24' })).toThrow(
      'Network test/net: ipRange "172.28.5.7/24" has host bits set, which Docker (Engine 25 and later) refuses; write its ' +
        'network address, "172.28.5.0/24".',
    );
  });

  test('rejects an IPv6 ip range with host bits set', () => {
    expect(() => new Network(newStack(), 'net', { subnet: 'fd00:28::/64', ipRange: 'fd00:28::8:1/112' })).toThrow(
      'Network test/net: ipRange "fd00:28::8:1/112" has host bits set, which Docker (Engine 25 and later) refuses; write its ' +
        'network address, "fd00:28::8:0/112".',
    );
  });

  test('accepts an IPv6 ip range and gateway inside the subnet', () => {
    const stack = newStack();
    new Network(stack, 'net', { subnet: 'fd00:28::/64', ipRange: 'fd00:28::8:0/112', gateway: 'fd00:28::1' });
    expect(onlyResource(Testing.synth(stack), 'docker_network').ipam_config).toEqual([
      { subnet: 'fd00:28::/64', ip_range: 'fd00:28::8:0/112', gateway: 'fd00:28::1' },
    ]);
  });

  test.each([
    'fd00:28::%eth0/64',
    'fd00:28::/129',
    'fd00::28::/64',
    'fd00:28:0:0:0:0:0:0:0/64',
    '172.28.0.0/016',
    '172.028.0.0/16',
    '172.28.0.256/32',
    '172.28.0.0/-1',
  ])('rejects the malformed subnet %p', (subnet) => {
    expect(() => new Network(newStack(), 'net', { subnet })).toThrow(
      `Network test/net: subnet "${subnet}" is not a CIDR block; write an address and a prefix length, e.g. "172.28.0.0/16".`,
    );
  });

  test.each(['172.28.0.01', '172.28.0.256', 'fe80::1%eth0', 'gateway.local'])('rejects the gateway %p, which is not an IP address', (gateway) => {
    expect(() => new Network(newStack(), 'net', { subnet: '172.28.0.0/16', gateway })).toThrow(
      `Network test/net: gateway "${gateway}" is not an IP address; write one inside subnet 172.28.0.0/16, e.g. "172.28.0.1".`,
    );
  });

  test('suggests an IPv6 gateway for an IPv6 subnet', () => {
    expect(() => new Network(newStack(), 'net', { subnet: 'fd00:28::/64', gateway: 'fd00:28::1%eth0' })).toThrow(
      'Network test/net: gateway "fd00:28::1%eth0" is not an IP address; write one inside subnet fd00:28::/64, e.g. "fd00:28::1".',
    );
  });

  test('rejects a gateway of the other family', () => {
    expect(() => new Network(newStack(), 'net', { subnet: '172.28.0.0/16', gateway: 'fd00::1' })).toThrow(
      'Network test/net: gateway fd00::1 is outside subnet 172.28.0.0/16; pick an address inside it.',
    );
  });

  test('rejects an ip range without a subnet', () => {
    expect(() => new Network(newStack(), 'net', { ipRange: '172.28.5.0/24' })).toThrow(
      'Network test/net: `gateway` and `ipRange` need a `subnet`; set `subnet` too.',
    );
  });
});

describe('Network.fromName', () => {
  test('reads an existing network through the docker_network data source', () => {
    const stack = newStack();
    Network.fromName(stack, 'shared', 'corp-network');
    const synthesized = Testing.synth(stack);
    expect(synthesized).toHaveDataSourceWithProperties(DataDockerNetwork, { name: 'corp-network' });
    expect(synthesized).not.toHaveResource(DockerNetwork);
  });

  test('can be attached to like a created network', () => {
    const stack = newStack();
    const shared = Network.fromName(stack, 'shared', 'corp-network');
    new ServiceContainer(stack, 'app', { image: 'nginx:1.27', networks: [{ network: shared, aliases: ['web'] }] });
    expect(onlyResource(Testing.synth(stack), 'docker_container').networks_advanced).toEqual([
      { name: expect.stringMatching(/^\$\{data\.docker_network\.shared_[0-9A-F]+\.id\}$/), aliases: ['web'] },
    ]);
  });

  test('rejects an invalid name', () => {
    expect(() => Network.fromName(newStack(), 'shared', 'bad name')).toThrow('invalid network name "bad name"');
  });
});

describe('Network interContainerTraffic', () => {
  test('false turns off traffic between members with the bridge option', () => {
    const stack = newStack();
    new Network(stack, 'public', { interContainerTraffic: false });
    expect(onlyResource(Testing.synth(stack), 'docker_network').options).toEqual({ 'com.docker.network.bridge.enable_icc': 'false' });
  });

  test('keeps the other driver options', () => {
    const stack = newStack();
    new Network(stack, 'public', { interContainerTraffic: true, options: { 'com.docker.network.driver.mtu': '1400' } });
    expect(onlyResource(Testing.synth(stack), 'docker_network').options).toEqual({
      'com.docker.network.driver.mtu': '1400',
      'com.docker.network.bridge.enable_icc': 'true',
    });
  });

  test('rejects a driver option that says the opposite', () => {
    expect(
      () =>
        new Network(newStack(), 'public', {
          interContainerTraffic: false,
          options: { 'com.docker.network.bridge.enable_icc': 'true' },
        }),
    ).toThrow(
      'Network test/public: interContainerTraffic is false but options sets com.docker.network.bridge.enable_icc="true"; keep only `interContainerTraffic`.',
    );
  });
});
