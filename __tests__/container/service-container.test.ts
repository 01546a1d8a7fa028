import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { Container } from '@cdktf/provider-docker/lib/container';
import { Image } from '@cdktf/provider-docker/lib/image';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import {
  Duration,
  Engine,
  EngineHost,
  Healthcheck,
  Network,
  Protocol,
  REPLACE_ON_CHANGE_LABEL,
  STACK_LABEL,
  RestartPolicy,
  ServiceContainer,
  ServiceContainerProps,
  Size,
  TlsMaterial,
  Volume,
} from '../../lib';
import { newStack, onlyResource, resourcesOf, synthValidated } from '../helpers';

function containerJson(props: Partial<ServiceContainerProps> = {}, stack = newStack()): any {
  new ServiceContainer(stack, 'app', { image: 'nginx:1.27', ...props });
  return onlyResource(Testing.synth(stack), 'docker_container');
}

describe('ServiceContainer', () => {
  describe('identity and image', () => {
    test('is named after the construct id by default', () => {
      expect(containerJson().name).toBe('app');
    });

    test('takes the Docker name from `name`', () => {
      expect(containerJson({ name: 'redis' }).name).toBe('redis');
    });

    test('runs the image through a docker_image resource that keeps the image on destroy', () => {
      const stack = newStack();
      new ServiceContainer(stack, 'app', { image: 'voting-app-local/redis:local' });
      const synthesized = Testing.synth(stack);
      expect(synthesized).toHaveResourceWithProperties(Image, { name: 'voting-app-local/redis:local', keep_locally: true });
      expect(onlyResource(synthesized, 'docker_container').image).toMatch(/^\$\{docker_image\.app_Image_[0-9A-F]+\.image_id\}$/);
    });

    test('removes the image on destroy only when asked', () => {
      const stack = newStack();
      new ServiceContainer(stack, 'app', { image: 'nginx:1.27', removeImageOnDestroy: true });
      expect(Testing.synth(stack)).toHaveResourceWithProperties(Image, { keep_locally: false });
    });

    test('exposes the provider resources: `resource` (id Resource) and `image`', () => {
      const container = new ServiceContainer(newStack(), 'app', { image: 'nginx:1.27' });
      expect(container.resource).toBeInstanceOf(Container);
      expect(container.resource.node.id).toBe('Resource');
      expect(container.image).toBeInstanceOf(Image);
    });

    test('is recognised by isServiceContainer', () => {
      const stack = newStack();
      const container = new ServiceContainer(stack, 'app', { image: 'nginx:1.27' });
      expect(ServiceContainer.isServiceContainer(container)).toBe(true);
      expect(ServiceContainer.isServiceContainer(stack)).toBe(false);
    });
  });

  describe('process', () => {
    test('passes command and entrypoint', () => {
      const json = containerJson({ command: ['redis-server', '--appendonly', 'yes'], entrypoint: ['/entry.sh'] });
      expect(json.command).toEqual(['redis-server', '--appendonly', 'yes']);
      expect(json.entrypoint).toEqual(['/entry.sh']);
    });

    test('leaves command and entrypoint to the image by default', () => {
      const json = containerJson();
      expect(json.command).toBeUndefined();
      expect(json.entrypoint).toBeUndefined();
    });

    test('passes the stop signal', () => {
      expect(containerJson({ stopSignal: 'SIGINT' }).stop_signal).toBe('SIGINT');
    });

    test('writes env as KEY=value', () => {
      expect(containerJson({ env: { REDIS_HOST: 'redis', MODE: 'a=b' } }).env).toEqual(['REDIS_HOST=redis', 'MODE=a=b']);
    });

    test('addEnvironment adds and overrides a variable', () => {
      const stack = newStack();
      const container = new ServiceContainer(stack, 'app', { image: 'nginx:1.27', env: { A: '1' } });
      container.addEnvironment('B', '2');
      container.addEnvironment('A', '3');
      expect(onlyResource(Testing.synth(stack), 'docker_container').env).toEqual(['A=3', 'B=2']);
    });

    test('rejects an environment variable name with "="', () => {
      expect(() => containerJson({ env: { 'A=B': '1' } })).toThrow(
        'ServiceContainer test/app: environment variable name "A=B" is empty or contains "="; rename it.',
      );
    });

    test('uploads files before start', () => {
      const json = containerJson({ files: [{ path: '/run/secrets/token', content: 's3cret' }] });
      expect(json.upload).toEqual([{ file: '/run/secrets/token', content: 's3cret' }]);
    });

    test('rejects a relative file path', () => {
      expect(() => containerJson({ files: [{ path: 'config.yml', content: 'x' }] })).toThrow(
        'ServiceContainer test/app: file path "config.yml" is not absolute; write it like "/etc/app/config.yml".',
      );
    });

    test('restarts unless stopped by default', () => {
      const json = containerJson();
      expect(json.restart).toBe('unless-stopped');
      expect(json.max_retry_count).toBeUndefined();
    });

    test.each([
      [RestartPolicy.NO, 'no', undefined],
      [RestartPolicy.ALWAYS, 'always', undefined],
      [RestartPolicy.UNLESS_STOPPED, 'unless-stopped', undefined],
      [RestartPolicy.onFailure(5), 'on-failure', 5],
    ])('writes the restart policy %#', (policy, restart, maxRetries) => {
      const json = containerJson({ restartPolicy: policy });
      expect(json.restart).toBe(restart);
      expect(json.max_retry_count).toBe(maxRetries);
    });

    test('sets memory in MiB, with an equal swap limit so that plans stay empty after a deploy', () => {
      const json = containerJson({ memoryLimit: Size.gibibytes(1) });
      expect(json.memory).toBe(1024);
      expect(json.memory_swap).toBe(1024);
    });

    test('sets the CPU limit as a quota over a 100 ms period, never as `cpus` (which crashes provider 3.6.2)', () => {
      const json = containerJson({ cpuLimit: 0.5 });
      expect(json.cpu_period).toBe(100000);
      expect(json.cpu_quota).toBe(50000);
      expect(json.cpus).toBeUndefined();
    });

    test('labels a container with a CPU limit or healthcheck so that changing either replaces it', () => {
      const label = (props: Partial<ServiceContainerProps>) =>
        (containerJson(props).labels ?? []).find((l: any) => l.label === REPLACE_ON_CHANGE_LABEL)?.value;
      expect(label({})).toBeUndefined();
      expect(label({ cpuLimit: 0.5 })).toMatch(/^[0-9a-f]{12}$/);
      expect(label({ cpuLimit: 0.5 })).toBe(label({ cpuLimit: 0.5 }));
      expect(label({ cpuLimit: 1 })).not.toBe(label({ cpuLimit: 0.5 }));
      expect(label({ healthcheck: Healthcheck.command(['true']) })).not.toBe(label({ healthcheck: Healthcheck.command(['false']) }));
    });

    test('keeps user labels beside the replace-on-change label', () => {
      const labels = containerJson({ cpuLimit: 1, labels: { tier: 'data' } }).labels.map((l: any) => l.label);
      expect(labels).toEqual(['tier', REPLACE_ON_CHANGE_LABEL, STACK_LABEL]);
    });

    test('sets no limits by default', () => {
      const json = containerJson();
      expect(json.memory).toBeUndefined();
      expect(json.cpus).toBeUndefined();
    });

    test('rejects a CPU limit that is not positive', () => {
      expect(() => containerJson({ cpuLimit: 0 })).toThrow(
        'ServiceContainer test/app: cpuLimit 0 must be a positive number of CPUs, e.g. 0.5.',
      );
    });

    test('writes labels, and the stack label that tells its own objects from a stranger\'s', () => {
      expect(containerJson({ labels: { tier: 'data' } }).labels).toEqual([
        { label: 'tier', value: 'data' },
        { label: 'cdktf-docker-networking.stack', value: 'test' },
      ]);
    });
  });

  describe('healthcheck', () => {
    test('writes the check in Docker notation and waits for health', () => {
      const json = containerJson({
        healthcheck: Healthcheck.command(['redis-cli', 'ping'], {
          interval: Duration.seconds(2),
          timeout: Duration.millis(1500),
          retries: 5,
          startPeriod: Duration.minutes(1),
        }),
      });
      expect(json.healthcheck).toEqual({
        test: ['CMD', 'redis-cli', 'ping'],
        interval: '2s',
        timeout: '1.5s',
        retries: 5,
        start_period: '1m0s',
      });
      expect(json.wait).toBe(true);
    });

    test('runs a shell check with CMD-SHELL', () => {
      const json = containerJson({ healthcheck: Healthcheck.shell('pg_isready -U postgres') });
      expect(json.healthcheck.test).toEqual(['CMD-SHELL', 'pg_isready -U postgres']);
    });

    test('waits at least as long as the check needs to declare the container unhealthy', () => {
      const json = containerJson({
        healthcheck: Healthcheck.command(['true'], { interval: Duration.seconds(5), timeout: Duration.seconds(5), retries: 10 }),
      });
      expect(json.wait_timeout).toBe(100);
    });

    test('waits at least the provider default of 60 s', () => {
      const json = containerJson({ healthcheck: Healthcheck.command(['true'], { interval: Duration.seconds(1), retries: 1 }) });
      expect(json.wait_timeout).toBe(60);
    });

    test('does not wait when waitForHealthy is false', () => {
      const json = containerJson({ healthcheck: Healthcheck.command(['true']), waitForHealthy: false });
      expect(json.wait).toBeUndefined();
      expect(json.wait_timeout).toBeUndefined();
    });

    test('does not wait without a healthcheck', () => {
      const json = containerJson();
      expect(json.healthcheck).toBeUndefined();
      expect(json.wait).toBeUndefined();
    });

    test('rejects waitForHealthy without a healthcheck (the provider would fail the deploy waiting for a health status)', () => {
      expect(() => containerJson({ waitForHealthy: true })).toThrow(
        'ServiceContainer test/app: waitForHealthy is true, but there is no healthcheck, so Docker reports no health to wait ' +
          'for; add a `healthcheck`, e.g. Healthcheck.command(["redis-cli", "ping"]), or remove `waitForHealthy`.',
      );
    });

    test('accepts waitForHealthy false without a healthcheck', () => {
      expect(containerJson({ waitForHealthy: false }).wait).toBeUndefined();
    });
  });

  describe('dependencies', () => {
    test('dependsOn orders creation after the given containers', () => {
      const stack = newStack();
      const db = new ServiceContainer(stack, 'db', { image: 'postgres:17-alpine' });
      new ServiceContainer(stack, 'worker', { image: 'worker:1', dependsOn: [db] });
      const worker = Object.values(resourcesOf(Testing.synth(stack), 'docker_container')).find((c) => c.name === 'worker');
      // Terraform takes bare addresses in depends_on; "${...}" fails at init ("A single static variable reference").
      expect(worker.depends_on).toEqual([expect.stringMatching(/^docker_container\.db_[0-9A-F]+$/)]);
    });

    test('addDependency adds each container once and ignores itself', () => {
      const stack = newStack();
      const redis = new ServiceContainer(stack, 'redis', { image: 'redis:7.4-alpine' });
      const vote = new ServiceContainer(stack, 'vote', { image: 'vote:1' });
      vote.addDependency(redis, redis, vote);
      const json = Object.values(resourcesOf(Testing.synth(stack), 'docker_container')).find((c) => c.name === 'vote');
      expect(json.depends_on).toEqual([expect.stringMatching(/^docker_container\.redis_[0-9A-F]+$/)]);
    });

    test('writes no depends_on without dependencies', () => {
      expect(containerJson().depends_on).toBeUndefined();
    });
  });

  describe('ports', () => {
    test('publishes ports like docker run -p', () => {
      const json = containerJson({
        ports: [
          { internal: 8080, external: 80, hostIp: '0.0.0.0' },
          { internal: 53, external: 5353, hostIp: '127.0.0.2', protocol: Protocol.UDP },
        ],
      });
      expect(json.ports).toEqual([
        { internal: 8080, external: 80, ip: '0.0.0.0' },
        { internal: 53, external: 5353, ip: '127.0.0.2', protocol: 'udp' },
      ]);
    });

    test('publishes on 127.0.0.1 unless hostIp says otherwise, unlike docker run -p', () => {
      expect(containerJson({ ports: [{ internal: 8080, external: 80 }] }).ports).toEqual([{ internal: 8080, external: 80, ip: '127.0.0.1' }]);
    });

    test('lets Docker pick the host port when external is not given', () => {
      expect(containerJson({ ports: [{ internal: 80 }] }).ports).toEqual([{ internal: 80, ip: '127.0.0.1' }]);
    });

    test('addPort publishes one more port', () => {
      const stack = newStack();
      const container = new ServiceContainer(stack, 'app', { image: 'nginx:1.27' });
      container.addPort({ internal: 80, external: 5000, hostIp: '127.0.0.1' });
      expect(container.ports).toEqual([{ internal: 80, external: 5000, hostIp: '127.0.0.1' }]);
      expect(onlyResource(Testing.synth(stack), 'docker_container').ports).toEqual([
        { internal: 80, external: 5000, ip: '127.0.0.1' },
      ]);
    });

    test.each([0, 65536, -1, 80.5])('rejects the external port %p', (external) => {
      expect(() => containerJson({ ports: [{ internal: 80, external }] })).toThrow(
        `ServiceContainer test/app: external port ${external} is not a port number; use a whole number from 1 to 65535.`,
      );
    });

    test.each(['localhost', 'LOCALHOST', 'my-host.example', '127.0.0.01', '256.0.0.1', 'fe80::1%eth0', '127.0.0.1:80', '[::1]'])(
      'rejects the hostIp %p, which is not an IP address',
      (hostIp) => {
        expect(() => containerJson({ ports: [{ internal: 80, external: 8080, hostIp }] })).toThrow(
          `ServiceContainer test/app: hostIp "${hostIp}" is not an IP address, and Docker publishes ports on IP addresses ` +
            'only; write "127.0.0.1" for this host only, "0.0.0.0" (or "::") for every interface, or another address of this host.',
        );
      },
    );

    test.each(['0.0.0.0', '::', '::1', '192.168.1.20', 'fd00:28::10', '::ffff:127.0.0.1', ''])('accepts the hostIp %p', (hostIp) => {
      expect(containerJson({ ports: [{ internal: 80, external: 8080, hostIp }] }).ports).toEqual([
        { internal: 80, external: 8080, ip: hostIp },
      ]);
    });

    test('publishes SCTP ports', () => {
      expect(containerJson({ ports: [{ internal: 3868, external: 3868, protocol: Protocol.SCTP }] }).ports).toEqual([
        { internal: 3868, external: 3868, ip: '127.0.0.1', protocol: 'sctp' },
      ]);
    });

    test.each(['icmp', 'TCP'])('rejects the protocol %p', (protocol) => {
      expect(() => containerJson({ ports: [{ internal: 80, protocol: protocol as Protocol }] })).toThrow(
        `ServiceContainer test/app: port 80 has protocol "${protocol}", which Docker does not publish; use Protocol.TCP, ` +
          'Protocol.UDP or Protocol.SCTP.',
      );
    });

    test('sees two spellings of one IPv6 host address as one, and writes IPv6 addresses in brackets', () => {
      expect(() =>
        containerJson({ ports: [{ internal: 80, external: 5000, hostIp: '::1' }, { internal: 81, external: 5000, hostIp: '0:0::1' }] }),
      ).toThrow('ServiceContainer test/app: publishes [0:0::1]:5000/tcp twice; remove one of the two port mappings.');
    });

    test('rejects an internal port out of range', () => {
      expect(() => containerJson({ ports: [{ internal: 70000 }] })).toThrow(
        'ServiceContainer test/app: internal port 70000 is not a port number; use a whole number from 1 to 65535.',
      );
    });

    test('rejects the same host port twice on one container', () => {
      expect(() =>
        containerJson({ ports: [{ internal: 80, external: 5000 }, { internal: 81, external: 5000 }] }),
      ).toThrow('ServiceContainer test/app: publishes 127.0.0.1:5000/tcp twice; remove one of the two port mappings.');
    });

    test('rejects, at synth, a host port another container of the stack publishes on the same address', () => {
      const stack = newStack();
      new ServiceContainer(stack, 'vote', { image: 'vote:1', ports: [{ internal: 80, external: 5000, hostIp: '127.0.0.1' }] });
      new ServiceContainer(stack, 'other', { image: 'nginx:1.27', ports: [{ internal: 8080, external: 5000, hostIp: '127.0.0.1' }] });
      expect(() => synthValidated(stack)).toThrow(
        'ServiceContainer test/other: host port 127.0.0.1:5000/tcp is already published by ServiceContainer test/vote; ' +
          'Docker can bind it only once, so change `external` (or `hostIp`) on one of them.',
      );
    });

    test('treats all interfaces as overlapping every address', () => {
      const stack = newStack();
      new ServiceContainer(stack, 'vote', { image: 'vote:1', ports: [{ internal: 80, external: 5000, hostIp: '0.0.0.0' }] });
      new ServiceContainer(stack, 'other', { image: 'nginx:1.27', ports: [{ internal: 80, external: 5000, hostIp: '127.0.0.1' }] });
      expect(() => synthValidated(stack)).toThrow('host port 127.0.0.1:5000/tcp is already published by ServiceContainer test/vote');
    });

    test('treats an address known only at apply time as overlapping all interfaces, and no other address', () => {
      const stack = newStack();
      const hostIp = new TerraformVariable(stack, 'ip', { type: 'string' }).stringValue;
      new ServiceContainer(stack, 'unknown', { image: 'vote:1', ports: [{ internal: 80, external: 5000, hostIp }] });
      new ServiceContainer(stack, 'loopback', { image: 'vote:1', ports: [{ internal: 80, external: 5000, hostIp: '127.0.0.1' }] });
      expect(() => synthValidated(stack)).not.toThrow();
      new ServiceContainer(stack, 'everywhere', { image: 'vote:1', ports: [{ internal: 80, external: 5000, hostIp: '0.0.0.0' }] });
      expect(() => synthValidated(stack)).toThrow(
        'ServiceContainer test/everywhere: host port 0.0.0.0:5000/tcp is already published by ServiceContainer test/unknown',
      );
    });

    test('allows one port number on two protocols or two addresses', () => {
      const stack = newStack();
      new ServiceContainer(stack, 'dns-tcp', { image: 'dns:1', ports: [{ internal: 53, external: 53, hostIp: '127.0.0.1' }] });
      new ServiceContainer(stack, 'dns-udp', {
        image: 'dns:1',
        ports: [{ internal: 53, external: 53, hostIp: '127.0.0.1', protocol: Protocol.UDP }],
      });
      new ServiceContainer(stack, 'dns-other-ip', { image: 'dns:1', ports: [{ internal: 53, external: 53, hostIp: '127.0.0.2' }] });
      expect(() => synthValidated(stack)).not.toThrow();
    });
  });

  describe('networks', () => {
    test('attaches to networks with per-network aliases and addresses', () => {
      const stack = newStack();
      const front = new Network(stack, 'front', { name: 'frontend-network' });
      const back = new Network(stack, 'back', { name: 'backend-network', subnet: '172.28.0.0/16' });
      new ServiceContainer(stack, 'redis', {
        image: 'redis:7.4-alpine',
        networks: [{ network: front }, { network: back, aliases: ['cache', 'queue'], ipv4Address: '172.28.0.10' }],
      });
      expect(onlyResource(Testing.synth(stack), 'docker_container').networks_advanced).toEqual([
        { name: expect.stringContaining('docker_network.front_') },
        { name: expect.stringContaining('docker_network.back_'), aliases: ['cache', 'queue'], ipv4_address: '172.28.0.10' },
      ]);
    });

    test('connect adds an attachment after construction (docker network connect --alias)', () => {
      const stack = newStack();
      const backend = new Network(stack, 'backend-network');
      const frontend2 = new Network(stack, 'frontend-network2');
      const redis = new ServiceContainer(stack, 'redis', { image: 'redis:7.4-alpine', networks: [{ network: backend }] });
      redis.connect(frontend2, { aliases: ['db'] });
      expect(redis.attachments.map((a) => [a.network, a.aliases])).toEqual([
        [backend, []],
        [frontend2, ['db']],
      ]);
      expect(onlyResource(Testing.synth(stack), 'docker_container').networks_advanced).toEqual([
        { name: expect.stringContaining('docker_network.backend-network_') },
        { name: expect.stringContaining('docker_network.frontend-network2_'), aliases: ['db'] },
      ]);
    });

    test('writes each alias once', () => {
      const stack = newStack();
      const network = new Network(stack, 'net');
      const json = containerJson({ networks: [{ network, aliases: ['db', 'db'] }] }, stack);
      expect(json.networks_advanced[0].aliases).toEqual(['db']);
    });

    test('has no networks by default', () => {
      expect(containerJson().networks_advanced).toBeUndefined();
    });

    test('rejects a second attachment to the same network', () => {
      const stack = newStack();
      const network = new Network(stack, 'net');
      const container = new ServiceContainer(stack, 'app', { image: 'nginx:1.27', networks: [{ network }] });
      expect(() => container.connect(network, { aliases: ['web'] })).toThrow(
        'ServiceContainer test/app: is already attached to network test/net; give all its aliases in that one attachment.',
      );
    });

    test.each(['-db', 'db..cache', 'has space', ''])('rejects the invalid alias %p', (alias) => {
      const stack = newStack();
      const network = new Network(stack, 'net');
      expect(() => containerJson({ networks: [{ network, aliases: [alias] }] }, stack)).toThrow(
        `ServiceContainer test/app: invalid network alias "${alias}". An alias is a DNS name: labels of letters, digits, ` +
          '"-" and "_" separated by dots, each at most 63 characters, 253 in all; fix `aliases`.',
      );
    });

    test('rejects an IPv4 address outside the network subnet', () => {
      const stack = newStack();
      const network = new Network(stack, 'net', { subnet: '172.28.0.0/16' });
      expect(() => containerJson({ networks: [{ network, ipv4Address: '10.0.0.5' }] }, stack)).toThrow(
        'ServiceContainer test/app: ipv4Address 10.0.0.5 is outside the subnet 172.28.0.0/16 of network test/net; ' +
          'pick an address inside it.',
      );
    });

    test('rejects an IPv4 address on a network without a declared subnet', () => {
      const stack = newStack();
      const network = new Network(stack, 'net');
      expect(() => containerJson({ networks: [{ network, ipv4Address: '172.28.0.5' }] }, stack)).toThrow(
        'ServiceContainer test/app: ipv4Address 172.28.0.5 needs a network with a user-defined IPv4 subnet, and test/net has ' +
          'none; set an IPv4 `subnet` on that network, or drop `ipv4Address`.',
      );
    });

    test('rejects something that is not an IPv4 address', () => {
      const stack = newStack();
      const network = new Network(stack, 'net', { subnet: '172.28.0.0/16' });
      expect(() => containerJson({ networks: [{ network, ipv4Address: '172.28.0.300' }] }, stack)).toThrow(
        'ServiceContainer test/app: ipv4Address "172.28.0.300" is not an IPv4 address; write it like "172.28.0.10".',
      );
    });

    test('attaches with a fixed IPv6 address on a network with an IPv6 subnet', () => {
      const stack = newStack();
      const network = new Network(stack, 'net', { subnet: 'fd00:28::/64' });
      expect(containerJson({ networks: [{ network, ipv6Address: 'fd00:28::10' }] }, stack).networks_advanced).toEqual([
        { name: expect.stringContaining('docker_network.net_'), ipv6_address: 'fd00:28::10' },
      ]);
    });

    test('rejects an IPv6 address outside the network subnet', () => {
      const stack = newStack();
      const network = new Network(stack, 'net', { subnet: 'fd00:28::/64' });
      expect(() => containerJson({ networks: [{ network, ipv6Address: 'fd00:29::10' }] }, stack)).toThrow(
        'ServiceContainer test/app: ipv6Address fd00:29::10 is outside the subnet fd00:28::/64 of network test/net; ' +
          'pick an address inside it.',
      );
    });

    test('rejects an IPv6 address on a network without IPv6', () => {
      const stack = newStack();
      const network = new Network(stack, 'net', { subnet: '172.28.0.0/16' });
      expect(() => containerJson({ networks: [{ network, ipv6Address: 'fd00:28::10' }] }, stack)).toThrow(
        'ServiceContainer test/app: ipv6Address fd00:28::10 needs a network with a user-defined IPv6 subnet, and test/net has ' +
          'only 172.28.0.0/16; set an IPv6 `subnet` on that network, or drop `ipv6Address`.',
      );
    });

    test('rejects an IPv6 address on a network without a declared subnet', () => {
      const stack = newStack();
      const network = new Network(stack, 'net');
      expect(() => containerJson({ networks: [{ network, ipv6Address: 'fd00:28::10' }] }, stack)).toThrow(
        'ServiceContainer test/app: ipv6Address fd00:28::10 needs a network with a user-defined IPv6 subnet, and test/net has ' +
          'none; set an IPv6 `subnet` on that network, or drop `ipv6Address`.',
      );
    });

    test('rejects an IPv4 address on a network with only an IPv6 subnet', () => {
      const stack = newStack();
      const network = new Network(stack, 'net', { subnet: 'fd00:28::/64' });
      expect(() => containerJson({ networks: [{ network, ipv4Address: '172.28.0.5' }] }, stack)).toThrow(
        'ServiceContainer test/app: ipv4Address 172.28.0.5 needs a network with a user-defined IPv4 subnet, and test/net has ' +
          'only fd00:28::/64; set an IPv4 `subnet` on that network, or drop `ipv4Address`.',
      );
    });

    test.each(['172.28.0.010', 'fd00:28::10', '172.28.0.10%eth0'])('rejects the ipv4Address %p', (ipv4Address) => {
      const stack = newStack();
      const network = new Network(stack, 'net', { subnet: '172.28.0.0/16' });
      expect(() => containerJson({ networks: [{ network, ipv4Address }] }, stack)).toThrow(
        `ServiceContainer test/app: ipv4Address "${ipv4Address}" is not an IPv4 address; write it like "172.28.0.10".`,
      );
    });

    test.each(['fd00:28::10%eth0', '172.28.0.10', 'fd00:28:::10'])('rejects the ipv6Address %p', (ipv6Address) => {
      const stack = newStack();
      const network = new Network(stack, 'net', { subnet: 'fd00:28::/64' });
      expect(() => containerJson({ networks: [{ network, ipv6Address }] }, stack)).toThrow(
        `ServiceContainer test/app: ipv6Address "${ipv6Address}" is not an IPv6 address; write it like "fd00:28::10".`,
      );
    });

    test.each([
      ['ipv4Address', '0.0.0.0', 'the unspecified address', '172.28.0.10'],
      ['ipv6Address', '::', 'the unspecified address', 'fd00:28::10'],
      ['ipv6Address', '::ffff:172.28.0.10', 'an IPv4-mapped address', 'fd00:28::10'],
    ])('rejects the %s %p, which Docker does not give a container', (field, address, what, example) => {
      const stack = newStack();
      const network = Network.fromName(stack, 'corp', 'corp-network');
      expect(() => containerJson({ networks: [{ network, [field]: address }] }, stack)).toThrow(
        `ServiceContainer test/app: ${field} ${address} is ${what}, which Docker does not give a container; write one like "${example}".`,
      );
    });

    test('accepts any IPv6 address on an imported network, whose subnet is unknown at synth', () => {
      const stack = newStack();
      const network = Network.fromName(stack, 'corp', 'corp-network');
      expect(containerJson({ networks: [{ network, ipv6Address: '2001:db8::7' }] }, stack).networks_advanced[0].ipv6_address).toBe(
        '2001:db8::7',
      );
    });

    test('accepts any IPv4 address on an imported network, whose subnet is unknown at synth', () => {
      const stack = newStack();
      const network = Network.fromName(stack, 'corp', 'corp-network');
      expect(containerJson({ networks: [{ network, ipv4Address: '10.9.8.7' }] }, stack).networks_advanced[0].ipv4_address).toBe(
        '10.9.8.7',
      );
    });
  });

  describe('clashes across the stack, at synth', () => {
    test('rejects two containers with one name', () => {
      const stack = newStack();
      new ServiceContainer(stack, 'first', { name: 'redis', image: 'redis:7.4-alpine' });
      new ServiceContainer(stack, 'second', { name: 'redis', image: 'redis:7.4-alpine' });
      expect(() => synthValidated(stack)).toThrow(
        'ServiceContainer test/second: container name "redis" is already used by ServiceContainer test/first; ' +
          'Docker container names are unique on an engine, so give one of them another `name`.',
      );
    });

    test('rejects one alias on two containers of a network', () => {
      const stack = newStack();
      const network = new Network(stack, 'frontend-network2');
      new ServiceContainer(stack, 'redis', { image: 'redis:7.4-alpine', networks: [{ network, aliases: ['db'] }] });
      new ServiceContainer(stack, 'postgres', { image: 'postgres:17-alpine', networks: [{ network, aliases: ['db'] }] });
      expect(() => synthValidated(stack)).toThrow(
        'ServiceContainer test/postgres: the name "db" on network test/frontend-network2 already belongs to ' +
          "ServiceContainer test/redis; Docker's DNS would answer it with either container, so pick another alias.",
      );
    });

    test('rejects an alias that is another container name on that network', () => {
      const stack = newStack();
      const network = new Network(stack, 'net');
      new ServiceContainer(stack, 'db', { image: 'postgres:17-alpine', networks: [{ network }] });
      new ServiceContainer(stack, 'redis', { image: 'redis:7.4-alpine', networks: [{ network, aliases: ['db'] }] });
      expect(() => synthValidated(stack)).toThrow('ServiceContainer test/redis: the name "db" on network test/net already belongs to ServiceContainer test/db');
    });

    test('rejects a container named like an alias an earlier container holds on that network', () => {
      const stack = newStack();
      const network = new Network(stack, 'net');
      new ServiceContainer(stack, 'redis', { image: 'redis:7.4-alpine', networks: [{ network, aliases: ['db'] }] });
      new ServiceContainer(stack, 'db', { image: 'postgres:17-alpine', networks: [{ network }] });
      expect(() => synthValidated(stack)).toThrow('ServiceContainer test/db: the name "db" on network test/net already belongs to ServiceContainer test/redis');
    });

    test('allows one alias on different networks', () => {
      const stack = newStack();
      const a = new Network(stack, 'net-a');
      const b = new Network(stack, 'net-b');
      new ServiceContainer(stack, 'redis', { image: 'redis:7.4-alpine', networks: [{ network: a, aliases: ['db'] }] });
      new ServiceContainer(stack, 'postgres', { image: 'postgres:17-alpine', networks: [{ network: b, aliases: ['db'] }] });
      expect(() => synthValidated(stack)).not.toThrow();
    });

    test('allows an alias equal to the container own name', () => {
      const stack = newStack();
      const network = new Network(stack, 'net');
      new ServiceContainer(stack, 'redis', { image: 'redis:7.4-alpine', networks: [{ network, aliases: ['redis'] }] });
      expect(() => synthValidated(stack)).not.toThrow();
    });

    test('checks each stack on its own', () => {
      const app = Testing.app();
      const stacks = ['one', 'two'].map((id) => {
        const stack = new TerraformStack(app, id);
        new DockerProvider(stack, 'docker');
        new ServiceContainer(stack, 'redis', { image: 'redis:7.4-alpine', ports: [{ internal: 6379, external: 6379 }] });
        return stack;
      });
      for (const stack of stacks) expect(() => synthValidated(stack)).not.toThrow();
    });
  });

  describe('rejects', () => {
    test.each(['r', '/redis', 'redis cache', '_redis'])('the invalid container name %p', (name) => {
      expect(() => containerJson({ name })).toThrow(
        `ServiceContainer test/app: invalid container name "${name}". Docker container names are at least 2 characters ` +
          'of letters, digits, "_", "." and "-", and start with a letter or digit; set `name` to such a value.',
      );
    });
  });

  test('skips checks on values that are tokens', () => {
    const stack = newStack();
    const network = new Network(stack, 'net', { subnet: '172.28.0.0/16' });
    expect(() =>
      containerJson(
        {
          name: network.networkName,
          image: network.networkName,
          ports: [{ internal: 80, external: network.resource.getNumberAttribute('port'), hostIp: network.networkId }],
          networks: [{ network, aliases: [network.networkId], ipv4Address: network.networkId, ipv6Address: network.networkId }],
        },
        stack,
      ),
    ).not.toThrow();
  });
});

describe('engines', () => {
  const engine = (stack: TerraformStack, id: string, address: string) =>
    new Engine(stack, id, { host: EngineHost.tls(`tcp://${address}:2376`, TlsMaterial.fromPath('/certs')) });

  test('a volume of another engine is refused: a volume lives on the engine that created it', () => {
    const stack = newStack();
    const data = new Volume(engine(stack, 'one', '10.0.0.2'), 'data');
    expect(() => new ServiceContainer(engine(stack, 'two', '10.0.0.3'), 'db', { image: 'postgres:17', volumes: [{ volume: data, path: '/data' }] })).toThrow(
      'ServiceContainer test/two/db: is on Engine test/two (tcp://10.0.0.3:2376) and mounts volume test/one/data, which is on ' +
        "Engine test/one (tcp://10.0.0.2:2376); a volume lives on the engine that created it: create the volume on the container's engine.",
    );
  });

  test('a volume referred to by name is the one of that name on the engine of the container', () => {
    const stack = newStack();
    const data = Volume.fromName(engine(stack, 'one', '10.0.0.2'), 'data', 'db-data');
    new ServiceContainer(engine(stack, 'two', '10.0.0.3'), 'db', { image: 'postgres:17', volumes: [{ volume: data, path: '/data' }] });
    expect(onlyResource(synthValidated(stack), 'docker_container').volumes).toEqual([{ volume_name: 'db-data', container_path: '/data' }]);
  });

  test('a dependency on another engine is kept: Terraform creates the container after the other is healthy', () => {
    const stack = newStack();
    const redis = new ServiceContainer(engine(stack, 'one', '10.0.0.2'), 'redis', {
      image: 'redis:7.4-alpine',
      healthcheck: Healthcheck.command(['redis-cli', 'ping']),
    });
    new ServiceContainer(engine(stack, 'two', '10.0.0.3'), 'vote', { image: 'nginx:1.27', dependsOn: [redis] });
    const containers = Object.values<any>(resourcesOf(synthValidated(stack), 'docker_container'));
    const [redisJson, voteJson] = ['redis', 'vote'].map((name) => containers.find((c) => c.name === name));
    expect([redisJson.provider, redisJson.wait, voteJson.provider]).toEqual(['docker.one', true, 'docker.two']);
    expect(voteJson.depends_on).toEqual([expect.stringMatching(/^docker_container\.one_redis_[0-9A-F]+$/)]);
  });
});
