import { TerraformVariable, Testing } from 'cdktf';
import {
  Capability,
  Duration,
  Engine,
  EngineHost,
  EndpointMode,
  Healthcheck,
  Network,
  NetworkDriver,
  PlacementConstraint,
  Protocol,
  PublishMode,
  ServiceContainer,
  ServiceMode,
  Size,
  SwarmRestartPolicy,
  SwarmSecret,
  SwarmService,
  UpdateOrder,
  UpdatePolicy,
  Swarm,
  TlsMaterial,
} from '../../lib';
import { newStack, onlyResource, resourcesOf, synthValidated } from '../helpers';

const overlay = (stack: any, name = 'backend') => new Network(stack, name, { name, driver: NetworkDriver.OVERLAY });

describe('SwarmService', () => {
  test('a replicated service with networks, aliases, ports, healthcheck, resources, policies, placement and a secret', () => {
    const stack = newStack();
    const backend = overlay(stack);
    const password = new SwarmSecret(stack, 'db-password', { data: 'hunter2' });
    new SwarmService(stack, 'worker', {
      image: 'worker:1',
      mode: ServiceMode.replicated(2),
      endpointMode: EndpointMode.DNSRR,
      networks: [{ network: backend, aliases: ['jobs'] }],
      ports: [{ target: 8080, published: 18080, mode: PublishMode.HOST }],
      env: { DB_HOST: 'db' },
      labels: { team: 'votes' },
      healthcheck: Healthcheck.command(['true'], { interval: Duration.seconds(2) }),
      limits: { memory: Size.mebibytes(256), cpus: 0.5 },
      reservations: { memory: Size.mebibytes(64), cpus: 0.1 },
      restartPolicy: SwarmRestartPolicy.onFailure(3, { delay: Duration.seconds(1) }),
      updatePolicy: UpdatePolicy.rolling({ parallelism: 1, order: UpdateOrder.START_FIRST }),
      placement: [PlacementConstraint.MANAGER, PlacementConstraint.nodeLabel('zone', 'a')],
      secrets: [{ secret: password, target: 'db-password', mode: '0400' }],
      capabilities: { drop: [Capability.ALL] },
      readOnlyRootFilesystem: true,
    });
    const synth = Testing.synth(stack);
    const service = onlyResource(synth, 'docker_service');
    expect(service).toMatchObject({
      name: 'worker',
      labels: [
        { label: 'team', value: 'votes' },
        { label: 'cdktf-docker-networking.stack', value: 'test' },
      ],
      mode: { replicated: { replicas: 2 } },
      endpoint_spec: { mode: 'dnsrr', ports: [{ target_port: 8080, published_port: 18080, publish_mode: 'host', protocol: 'tcp' }] },
      update_config: { parallelism: 1, order: 'start-first', delay: '0s', monitor: '5s', failure_action: 'pause' },
      converge_config: { delay: '1s', timeout: '3m0s' },
      task_spec: {
        container_spec: {
          image: 'worker:1',
          env: { DB_HOST: 'db' },
          read_only: true,
          cap_drop: ['ALL'],
          healthcheck: { test: ['CMD', 'true'], interval: '2s', timeout: '3s', retries: 10, start_period: '0s' },
          secrets: [
            {
              secret_id: expect.stringMatching(/^\$\{docker_secret\..+\.id\}$/),
              secret_name: expect.stringMatching(/^\$\{docker_secret\..+\.name\}$/),
              file_name: '/run/secrets/db-password',
              file_mode: 0o400,
              file_uid: '0',
              file_gid: '0',
            },
          ],
        },
        networks_advanced: [{ name: expect.stringMatching(/^\$\{docker_network\..+\.id\}$/), aliases: ['jobs'] }],
        resources: {
          limits: { memory_bytes: 256 * 1024 * 1024, nano_cpus: 500_000_000 },
          reservation: { memory_bytes: 64 * 1024 * 1024, nano_cpus: 100_000_000 },
        },
        restart_policy: { condition: 'on-failure', max_attempts: 3, delay: '1s', window: '0s' },
        placement: { constraints: ['node.role==manager', 'node.labels.zone==a'] },
      },
    });
  });

  test('defaults: one replica, vip, restart any, stop-first, no ports', () => {
    const stack = newStack();
    const service = new SwarmService(stack, 'web', { image: 'nginx:1.27' });
    expect(service.tasksName).toBe('tasks.web');
    expect(onlyResource(Testing.synth(stack), 'docker_service')).toMatchObject({
      mode: { replicated: { replicas: 1 } },
      endpoint_spec: { mode: 'vip' },
      update_config: { order: 'stop-first', parallelism: 1 },
      task_spec: { restart_policy: { condition: 'any', max_attempts: 0, delay: '5s', window: '0s' } },
    });
  });

  test('global mode', () => {
    const stack = newStack();
    new SwarmService(stack, 'agent', { image: 'agent:1', mode: ServiceMode.GLOBAL });
    expect(onlyResource(Testing.synth(stack), 'docker_service').mode).toEqual({ global: true });
  });

  test('SwarmSecret base64-encodes its data at apply time and carries the stack label', () => {
    const stack = newStack();
    const variable = new TerraformVariable(stack, 'pw', { type: 'string', sensitive: true });
    new SwarmSecret(stack, 'secret', { name: 'db-password', data: variable.value });
    const synth = Testing.synth(stack);
    expect(synth).not.toContain('hunter2');
    expect(onlyResource(synth, 'docker_secret')).toEqual({
      name: 'db-password',
      data: '${base64encode(var.pw)}',
      labels: [{ label: 'cdktf-docker-networking.stack', value: 'test' }],
    });
  });

  test('takes an image from a registry with a port and a digest, and publishes SCTP', () => {
    const stack = newStack();
    const image = `registry.example:5000/team/app:1.0@sha256:${'0'.repeat(64)}`;
    new SwarmService(stack, 'svc', { image, ports: [{ target: 3868, published: 3868, protocol: Protocol.SCTP }] });
    const service = onlyResource(Testing.synth(stack), 'docker_service');
    expect(service.task_spec.container_spec.image).toBe(image);
    expect(service.endpoint_spec.ports).toEqual([{ target_port: 3868, published_port: 3868, publish_mode: 'ingress', protocol: 'sctp' }]);
  });

  describe('validation names the construct, the value and the fix', () => {
    test('an invalid service name', () => {
      expect(() => new SwarmService(newStack(), 'svc', { name: 'web.1', image: 'x:1' })).toThrow(
        'SwarmService test/svc: invalid service name "web.1". Swarm service names are DNS labels',
      );
    });

    test('an invalid secret name', () => {
      expect(() => new SwarmSecret(newStack(), 's', { name: '-x', data: 'a' })).toThrow('invalid secret name "-x"');
    });

    test('ports out of range and twice the same published port', () => {
      expect(() => new SwarmService(newStack(), 'svc', { image: 'x:1', ports: [{ target: 0 }] })).toThrow(
        'target port 0 is not a port number; use a whole number from 1 to 65535.',
      );
      expect(
        () =>
          new SwarmService(newStack(), 'svc', {
            image: 'x:1',
            ports: [{ target: 80, published: 8080 }, { target: 81, published: 8080, mode: PublishMode.HOST }],
          }),
      ).toThrow('SwarmService test/svc: publishes port 8080/tcp (host mode) twice; remove one of the two.');
      expect(
        () =>
          new SwarmService(newStack(), 'svc', {
            image: 'x:1',
            ports: [{ target: 53, published: 53 }, { target: 53, published: 53, protocol: Protocol.UDP }],
          }),
      ).not.toThrow();
    });

    test('an image reference Docker would not parse', () => {
      expect(() => new SwarmService(newStack(), 'svc', { image: 'Nginx :1.27' })).toThrow(
        'SwarmService test/svc: image "Nginx :1.27" is not an image reference: Docker takes a repository path of lower-case ' +
          'letters and digits, separated by ".", "_", "__", "-" or "/", after an optional registry host and port, then an ' +
          'optional ":tag" and "@digest"; write it like "nginx:1.27", "registry.example:5000/team/app:1.0" or ' +
          '"app@sha256:<64 hex digits>".',
      );
    });

    test('a protocol Docker does not publish', () => {
      expect(() => new SwarmService(newStack(), 'svc', { image: 'x:1', ports: [{ target: 53, protocol: 'dns' as Protocol }] })).toThrow(
        'SwarmService test/svc: port 53 has protocol "dns", which Docker does not publish; use Protocol.TCP, Protocol.UDP or Protocol.SCTP.',
      );
    });

    test('ingress publishing with dnsrr', () => {
      expect(
        () => new SwarmService(newStack(), 'svc', { image: 'x:1', endpointMode: EndpointMode.DNSRR, ports: [{ target: 80, published: 80 }] }),
      ).toThrow('in ingress mode with endpoint mode dnsrr, which Docker refuses');
    });

    test('a bridge network', () => {
      const stack = newStack();
      const bridge = new Network(stack, 'local');
      expect(() => new SwarmService(stack, 'svc', { image: 'x:1', networks: [{ network: bridge }] })).toThrow(
        'SwarmService test/svc: network test/local uses the bridge driver, which is local to one engine; a Swarm service ' +
          'attaches to swarm-scoped networks: set `driver: NetworkDriver.OVERLAY` on it.',
      );
    });

    test('the same network twice, an invalid alias, the tasks. name as an alias', () => {
      const stack = newStack();
      const net = overlay(stack);
      expect(() => new SwarmService(stack, 'a', { image: 'x:1', networks: [{ network: net }, { network: net }] })).toThrow(
        'is already attached to network test/backend',
      );
      expect(() => new SwarmService(stack, 'b', { image: 'x:1', networks: [{ network: net, aliases: ['bad alias'] }] })).toThrow(
        'invalid network alias "bad alias"',
      );
      expect(() => new SwarmService(stack, 'c', { image: 'x:1', networks: [{ network: net, aliases: ['tasks.c'] }] })).toThrow(
        'the alias "tasks.c" is the name Swarm gives the service\'s tasks',
      );
    });

    test('resources: non-positive CPUs, a reservation above the limit', () => {
      expect(() => new SwarmService(newStack(), 'svc', { image: 'x:1', limits: { cpus: 0 } })).toThrow(
        'limits.cpus 0 must be a positive number of CPUs',
      );
      expect(
        () => new SwarmService(newStack(), 'svc', { image: 'x:1', limits: { memory: Size.mebibytes(64) }, reservations: { memory: Size.mebibytes(128) } }),
      ).toThrow('reserves 128 MiB of memory but is limited to 64 MiB; reserve at most the limit.');
    });

    test('two secrets at one path, a bad mode, a bad env name', () => {
      const stack = newStack();
      const a = new SwarmSecret(stack, 'pw-a', { data: 'a' });
      const b = new SwarmSecret(stack, 'pw-b', { data: 'b' });
      expect(
        () => new SwarmService(stack, 's1', { image: 'x:1', secrets: [{ secret: a, target: 'pw' }, { secret: b, target: '/run/secrets/pw' }] }),
      ).toThrow('mounts two secrets at /run/secrets/pw; give one of them another `target`.');
      expect(() => new SwarmService(stack, 's2', { image: 'x:1', secrets: [{ secret: a, mode: '999' }] })).toThrow(
        'secret mode "999" for /run/secrets/pw-a is not an octal file mode',
      );
      expect(() => new SwarmService(stack, 's3', { image: 'x:1', env: { 'A=B': '1' } })).toThrow(
        'environment variable name "A=B" is empty or contains "="',
      );
    });
  });

  describe('warnings', () => {
    test('host-mode publishing with more replicas than one node can place, and with a start-first update', () => {
      const stack = newStack();
      const service = new SwarmService(stack, 'vote', {
        image: 'vote:1',
        mode: ServiceMode.replicated(3),
        ports: [{ target: 80, published: 5000, mode: PublishMode.HOST }],
        updatePolicy: UpdatePolicy.rolling({ order: UpdateOrder.START_FIRST }),
      });
      const messages = service.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
      expect(messages).toEqual([
        expect.stringContaining(
          'publishes 5000/tcp (host mode) in host mode with 3 replicas. A node runs only one task that binds a host port, ' +
            'so 3 replicas need 3 nodes',
        ),
        expect.stringContaining('with a start-first update: the new task cannot bind the port while the old one holds it'),
      ]);
    });

    test('none for one replica in host mode, or many replicas in ingress mode', () => {
      const stack = newStack();
      const a = new SwarmService(stack, 'a', { image: 'x:1', ports: [{ target: 80, published: 5000, mode: PublishMode.HOST }] });
      const b = new SwarmService(stack, 'b', { image: 'x:1', mode: ServiceMode.replicated(4), ports: [{ target: 80, published: 5001 }] });
      expect([...a.node.metadata, ...b.node.metadata].filter((m) => m.type === '@cdktf/warn')).toEqual([]);
    });
  });

  describe('stack-wide clashes fail synth once, on the later construct', () => {
    test('two services of one name, one published port twice, a port a container publishes too', () => {
      const stack = newStack();
      new SwarmService(stack, 'a', { name: 'web', image: 'x:1', ports: [{ target: 80, published: 8080 }] });
      new SwarmService(stack, 'b', { name: 'web', image: 'x:1' });
      new SwarmService(stack, 'c', { image: 'x:1', ports: [{ target: 80, published: 8080, mode: PublishMode.HOST }] });
      new ServiceContainer(stack, 'ctr', { image: 'x:1', ports: [{ internal: 80, external: 9090, hostIp: '127.0.0.1' }] });
      new SwarmService(stack, 'd', { image: 'x:1', ports: [{ target: 80, published: 9090 }] });
      expect(() => synthValidated(stack)).toThrow(
        /service name "web" is already used by SwarmService test\/a[\s\S]*port 8080\/tcp \(host mode\) is already published by SwarmService test\/a[\s\S]*port 9090\/tcp \(ingress mode\) is also published by the container ServiceContainer test\/ctr/,
      );
    });

    test('a name on a shared overlay network that belongs to another service or container', () => {
      const stack = newStack();
      const net = new Network(stack, 'net', { driver: NetworkDriver.OVERLAY, attachable: true });
      new ServiceContainer(stack, 'probe', { image: 'x:1', networks: [{ network: net }] });
      new SwarmService(stack, 'redis', { image: 'x:1', networks: [{ network: net, aliases: ['cache'] }] });
      new SwarmService(stack, 'other', { image: 'x:1', networks: [{ network: net, aliases: ['cache', 'probe'] }] });
      expect(() => synthValidated(stack)).toThrow(
        /SwarmService test\/other: the name "cache" on network test\/net already belongs to SwarmService test\/redis[\s\S]*the name "probe" on network test\/net already belongs to ServiceContainer test\/probe/,
      );
    });

    // Swarm binds every interface: a host-mode task's port, and the routing mesh's listener on each node.
    test.each([
      ['before', PublishMode.HOST],
      ['after', PublishMode.HOST],
      ['after', PublishMode.INGRESS],
    ])('a container on 127.0.0.1:5000 and a service publishing 5000 share the engine, with the container %s the service (%s)', (order, mode) => {
      const stack = newStack();
      const container = () => new ServiceContainer(stack, 'ctr', { image: 'x:1', ports: [{ internal: 80, external: 5000, hostIp: '127.0.0.1' }] });
      if (order === 'before') container();
      new SwarmService(stack, 'vote', { image: 'x:1', ports: [{ target: 80, published: 5000, mode }] });
      if (order === 'after') container();
      expect(() => synthValidated(stack)).toThrow(
        `SwarmService test/vote: port 5000/tcp (${mode} mode) is also published by the container ServiceContainer test/ctr on ` +
          "this engine; Swarm binds every interface, so change `published` or the container's `external`.",
      );
    });

    test('a container and a service on one port of two protocols synthesize', () => {
      const stack = newStack();
      new ServiceContainer(stack, 'dns', { image: 'x:1', ports: [{ internal: 53, external: 53, protocol: Protocol.UDP }] });
      new SwarmService(stack, 'web', { image: 'x:1', ports: [{ target: 53, published: 53, mode: PublishMode.HOST }] });
      expect(() => synthValidated(stack)).not.toThrow();
    });

    test('two services of one port, word for word', () => {
      const stack = newStack();
      new SwarmService(stack, 'a', { image: 'x:1', ports: [{ target: 80, published: 8080 }] });
      new SwarmService(stack, 'b', { image: 'x:1', ports: [{ target: 80, published: 8080, mode: PublishMode.HOST }] });
      expect(() => synthValidated(stack)).toThrow(
        'SwarmService test/b: port 8080/tcp (host mode) is already published by SwarmService test/a; a swarm binds a published ' +
          'port on every interface of its nodes (ingress: on all nodes), so change `published` on one of them.',
      );
    });

    test.each(['before', 'after'])('one alias from a container %s a service on one overlay network', (order) => {
      const stack = newStack();
      const net = new Network(stack, 'net', { driver: NetworkDriver.OVERLAY, attachable: true });
      const container = () => new ServiceContainer(stack, 'probe', { image: 'x:1', networks: [{ network: net, aliases: ['cache'] }] });
      if (order === 'before') container();
      new SwarmService(stack, 'redis', { image: 'x:1', networks: [{ network: net, aliases: ['cache'] }] });
      if (order === 'after') container();
      expect(() => synthValidated(stack)).toThrow(
        'SwarmService test/redis: the name "cache" on network test/net already belongs to ServiceContainer test/probe; ' +
          "Docker's DNS would answer it with both, so pick another alias or name.",
      );
    });

    test('a container and a service may have one name (two namespaces), unless they share a network', () => {
      const stack = newStack();
      new ServiceContainer(stack, 'ctr', { name: 'web', image: 'x:1' });
      new SwarmService(stack, 'svc', { name: 'web', image: 'x:1' });
      expect(() => synthValidated(stack)).not.toThrow();

      const shared = newStack();
      const net = new Network(shared, 'net', { driver: NetworkDriver.OVERLAY, attachable: true });
      new ServiceContainer(shared, 'ctr', { name: 'web', image: 'x:1', networks: [{ network: net }] });
      new SwarmService(shared, 'svc', { name: 'web', image: 'x:1', networks: [{ network: net }] });
      expect(() => synthValidated(shared)).toThrow('SwarmService test/svc: the name "web" on network test/net already belongs to ServiceContainer test/ctr');
    });

    test('two services of one name on one network are one clash, of names', () => {
      const stack = newStack();
      const net = overlay(stack);
      new SwarmService(stack, 'a', { name: 'web', image: 'x:1', networks: [{ network: net }] });
      new SwarmService(stack, 'b', { name: 'web', image: 'x:1', networks: [{ network: net }] });
      let message = '';
      try {
        synthValidated(stack);
      } catch (error) {
        message = String(error);
      }
      expect(message).toContain(
        'SwarmService test/b: service name "web" is already used by SwarmService test/a; service names are unique in a swarm, ' +
          'so give one of them another `name`.',
      );
      expect(message).not.toContain('on network');
    });

    test('distinct services synthesize', () => {
      const stack = newStack();
      const net = overlay(stack);
      new SwarmService(stack, 'redis', { image: 'x:1', networks: [{ network: net }] });
      new SwarmService(stack, 'db', { image: 'x:1', networks: [{ network: net }] });
      expect(Object.keys(resourcesOf(synthValidated(stack), 'docker_service'))).toHaveLength(2);
    });
  });
});

describe('Swarm value classes', () => {
  test('reject bad input with the fix', () => {
    expect(() => ServiceMode.replicated(-1)).toThrow('ServiceMode.replicated: the replica count must be a whole number >= 0, got -1');
    expect(() => SwarmRestartPolicy.onFailure(1.5)).toThrow('SwarmRestartPolicy.onFailure: maxAttempts must be a whole number >= 0');
    expect(() => UpdatePolicy.rolling({ parallelism: -1 })).toThrow('UpdatePolicy: parallelism must be a whole number >= 0');
    expect(() => PlacementConstraint.of('role=manager')).toThrow('PlacementConstraint: "role=manager" is not a placement constraint');
  });

  test('describe themselves', () => {
    expect(ServiceMode.replicated(2).toString()).toBe('2 replicas');
    expect(ServiceMode.GLOBAL.toString()).toBe('global');
    expect(PlacementConstraint.of('node.platform.os != windows').expression).toBe('node.platform.os != windows');
  });
});

describe('engines', () => {
  const manager = (stack: ReturnType<typeof newStack>, id: string, address: string, swarm: Swarm) =>
    new Engine(stack, id, { host: EngineHost.tls(`tcp://${address}:2376`, TlsMaterial.fromPath('/certs')), swarm, manager: true });

  test('a secret made through another manager of the swarm serves the service', () => {
    const stack = newStack();
    const lab = new Swarm(stack, 'lab');
    const secret = new SwarmSecret(manager(stack, 'one', '10.0.0.2', lab), 'token', { data: 'x' });
    new SwarmService(manager(stack, 'two', '10.0.0.3', lab), 'api', { image: 'nginx:1.27', secrets: [{ secret }] });
    expect(() => synthValidated(stack)).not.toThrow();
  });

  test('a secret of another swarm is refused: a secret belongs to the swarm it was created in', () => {
    const stack = newStack();
    const secret = new SwarmSecret(manager(stack, 'one', '10.0.0.2', new Swarm(stack, 'east')), 'token', { data: 'x' });
    expect(() => new SwarmService(manager(stack, 'two', '10.0.1.2', new Swarm(stack, 'west')), 'api', { image: 'nginx:1.27', secrets: [{ secret }] })).toThrow(
      'SwarmService test/two/api: is on Engine test/two (tcp://10.0.1.2:2376) and mounts secret test/one/token, which is on Engine ' +
        'test/one (tcp://10.0.0.2:2376), and this stack does not declare the two engines nodes of one swarm; a secret belongs to the ' +
        "swarm it was created in. Create the secret on the service's engine, or declare both engines nodes of one Swarm (`swarm` on each Engine).",
    );
  });
});
