/**
 * ComposeProject: each family of compose keys, translated into the constructs as compose would create them, the keys
 * it refuses (file, line, key and what to do), the maps of what it made, and Swarm.
 */
import * as path from 'path';
import { Testing } from 'cdktf';
import { Network, Orchestrator, Reachability, ServiceContainer, UnsupportedKeys } from '../../lib';
import { ComposeVotingAppStack } from '../../stacks/compose-voting-app';
import { containersByName, resourcesOf, synthValidated } from '../helpers';
import { annotations, importError, imported, networkName } from './fixtures';

const attachmentsOf = (synthesized: string, container: any) =>
  container.networks_advanced.map((a: any) => ({ network: networkName(synthesized, a.name), aliases: a.aliases, ipv4: a.ipv4_address }));

describe('networks and names', () => {
  const file =
    'services:\n  web:\n    image: nginx:1.27\n    networks:\n      front:\n        aliases: [www]\n      back:\n        priority: 10\n        ipv4_address: 172.28.0.10\n' +
    '  db:\n    image: postgres:17\n    container_name: shop-database\n    networks: [back]\n  cache:\n    image: redis:7.4\n' +
    'networks:\n  front:\n    driver_opts:\n      com.docker.network.bridge.name: br-front\n    labels: [tier=front]\n' +
    '  back:\n    name: shop-backend\n    internal: true\n    ipam:\n      config:\n        - subnet: 172.28.0.0/16\n          gateway: 172.28.0.1\n';

  test('networks are named <project>_<key> unless named, with their driver options, labels, internal and subnet', () => {
    const { byName } = imported(file);
    const networks = byName('docker_network');
    expect(Object.keys(networks).sort()).toEqual(['shop-backend', 'shop_default', 'shop_front']);
    expect(networks.shop_front).toMatchObject({ driver: 'bridge', options: { 'com.docker.network.bridge.name': 'br-front' } });
    expect(networks.shop_front.labels).toContainEqual({ label: 'tier', value: 'front' });
    expect(networks['shop-backend']).toMatchObject({ internal: true, ipam_config: [{ subnet: '172.28.0.0/16', gateway: '172.28.0.1' }] });
  });

  test('containers are <project>-<service>-1 unless container_name says otherwise', () => {
    expect(Object.keys(imported(file).containers()).sort()).toEqual(['shop-cache-1', 'shop-database', 'shop-web-1']);
  });

  test('each attachment carries the service name as an alias, with its own aliases and address, by priority', () => {
    const { synth, containers } = imported(file);
    expect(attachmentsOf(synth(), containers()['shop-web-1'])).toEqual([
      { network: 'shop-backend', aliases: ['web'], ipv4: '172.28.0.10' },
      { network: 'shop_front', aliases: ['web', 'www'], ipv4: undefined },
    ]);
    expect(attachmentsOf(synth(), containers()['shop-database'])).toEqual([{ network: 'shop-backend', aliases: ['db'], ipv4: undefined }]);
  });

  test('a service that names no network joins <project>_default, as compose does', () => {
    const { synth, containers, project } = imported(file);
    expect(attachmentsOf(synth(), containers()['shop-cache-1'])).toEqual([{ network: 'shop_default', aliases: ['cache'], ipv4: undefined }]);
    expect(Object.keys(project.networks).sort()).toEqual(['back', 'default', 'front']);
  });

  test('an external network is referred to by name and not created', () => {
    const { synth, byName } = imported('services:\n  web:\n    image: nginx:1.27\n    networks: [proxy]\nnetworks:\n  proxy:\n    external: true\n    name: traefik-public\n');
    expect(byName('docker_network')).toEqual({});
    expect(Object.values(JSON.parse(synth()).data.docker_network)).toEqual([{ name: 'traefik-public' }]);
  });

  test('network_mode sets the container\'s mode; service:x becomes container:<x\'s name> and waits for x', () => {
    const { containers } = imported('services:\n  vpn:\n    image: alpine:3.20\n  app:\n    image: alpine:3.20\n    network_mode: service:vpn\n  tool:\n    image: alpine:3.20\n    network_mode: host\n');
    expect(containers()['shop-app-1']).toMatchObject({ network_mode: 'container:shop-vpn-1', depends_on: [expect.stringMatching(/^docker_container\.app_vpn_/)] });
    expect(containers()['shop-app-1'].networks_advanced).toBeUndefined();
    expect(containers()['shop-tool-1'].network_mode).toBe('host');
  });

  test('the reachability report names the compose services: container names and the service names they answer to', () => {
    const stack = new ComposeVotingAppStack(Testing.app(), 'compose-voting-app');
    const report = Reachability.of(stack).report();
    expect(report).toContain(
      '| compose-voting-app_front-tier | compose-voting-app-vote-1 (compose-voting-app-vote-1, vote); compose-voting-app-result-1 (compose-voting-app-result-1, result) | allowed |',
    );
    expect(Reachability.of(stack).pairs().map((p) => [p.a.name, p.b.name].sort().join(' '))).toContain('compose-voting-app-db-1 compose-voting-app-worker-1');
  });
});

describe('ports', () => {
  test('short and long syntax, ranges, host IP and protocol; no host IP is every interface, as in compose', () => {
    const { containers } = imported(
      'services:\n  web:\n    image: nginx:1.27\n    ports:\n      - "80"\n      - "8080:80"\n      - "127.0.0.1:9000-9001:9000-9001"\n      - "[::1]:5353:53/udp"\n' +
        '      - target: 443\n        published: "8443"\n        host_ip: 10.0.0.5\n        protocol: tcp\n        name: https\n',
    );
    expect(containers()['shop-web-1'].ports).toEqual([
      { internal: 80, ip: '0.0.0.0' },
      { internal: 80, external: 8080, ip: '0.0.0.0' },
      { internal: 9000, external: 9000, ip: '127.0.0.1' },
      { internal: 9001, external: 9001, ip: '127.0.0.1' },
      { internal: 53, external: 5353, ip: '::1', protocol: 'udp' },
      { internal: 443, external: 8443, ip: '10.0.0.5', protocol: 'tcp' },
    ]);
  });

  test('hostIp changes the address of ports that name none', () => {
    expect(imported('services:\n  web:\n    image: nginx:1.27\n    ports: ["8080:80"]\n', { hostIp: '127.0.0.1' }).containers()['shop-web-1'].ports).toEqual([
      { internal: 80, external: 8080, ip: '127.0.0.1' },
    ]);
  });

  test('a host range for one container port is refused: the provider cannot pick a port in a range', () => {
    expect(importError('services:\n  web:\n    image: nginx:1.27\n    ports: ["8000-8009:80"]\n')).toBe(
      'ComposeProject test/app: 1 compose key is not translated; remove them, or set `unsupported: UnsupportedKeys.WARN` to skip them with a warning:\n' +
        '  <dir>/docker-compose.yml:4 services.web.ports[0]: a host port range for one container port lets Docker pick a port in the range, which the provider cannot (it publishes a given port or any); publish one port',
    );
  });
});

describe('dependencies and health', () => {
  const file =
    'services:\n  db:\n    image: postgres:17\n    healthcheck:\n      test: ["CMD", "pg_isready"]\n      interval: 5s\n  cache:\n    image: redis:7.4\n    healthcheck:\n      test: redis-cli ping\n' +
    '  migrate:\n    image: app:1\n    restart: "no"\n  web:\n    image: app:1\n    depends_on:\n      db:\n        condition: service_healthy\n      cache:\n        condition: service_started\n      migrate:\n        condition: service_completed_successfully\n';

  test('depends_on creates after; service_healthy makes the deploy wait for the dependency\'s health', () => {
    const { containers } = imported(file);
    const web = containers()['shop-web-1'];
    expect(web.depends_on).toHaveLength(3);
    expect(containers()['shop-db-1']).toMatchObject({ wait: true });
    // Nobody waits for cache's health: like compose, the deploy does not either.
    expect(containers()['shop-cache-1'].wait).toBeUndefined();
  });

  test('service_completed_successfully waits for the dependency to exit, and says the exit code is not checked', () => {
    const { containers, stack } = imported(file);
    expect(containers()['shop-migrate-1']).toMatchObject({ attach: true, must_run: false, restart: 'no' });
    expect(annotations(stack, 'info')).toContain(
      'ComposeProject test/app: services.migrate: others wait for it to exit (service_completed_successfully); the provider waits for the exit (attach) but does not check the exit code',
    );
  });

  test('healthchecks take compose\'s defaults (30s, 30s, 3 retries); a string test runs in a shell; disable sets NONE', () => {
    const { containers } = imported(`${file}  off:\n    image: app:1\n    healthcheck:\n      disable: true\n`);
    expect(containers()['shop-db-1'].healthcheck).toEqual({ test: ['CMD', 'pg_isready'], interval: '5s', timeout: '30s', retries: 3, start_period: '0s' });
    expect(containers()['shop-cache-1'].healthcheck.test).toEqual(['CMD-SHELL', 'redis-cli ping']);
    expect(containers()['shop-off-1'].healthcheck).toEqual({ test: ['NONE'] });
  });

  test('service_healthy on a service without a healthcheck in the file is refused', () => {
    expect(importError('services:\n  db:\n    image: postgres:17\n  web:\n    image: app:1\n    depends_on:\n      db:\n        condition: service_healthy\n')).toBe(
      'ComposeProject test/app: 1 compose key is not translated; remove them, or set `unsupported: UnsupportedKeys.WARN` to skip them with a warning:\n' +
        "  (unknown place) services.db.healthcheck: another service waits for db to be healthy (condition: service_healthy), and the provider waits only for a healthcheck written here; copy the image's HEALTHCHECK into healthcheck:, or use condition: service_started",
    );
  });

  test('depends_on restart: true is refused: Terraform does not restart dependents', () => {
    expect(importError('services:\n  db:\n    image: postgres:17\n  web:\n    image: app:1\n    depends_on:\n      db:\n        condition: service_started\n        restart: true\n')).toBe(
      'ComposeProject test/app: 1 compose key is not translated; remove them, or set `unsupported: UnsupportedKeys.WARN` to skip them with a warning:\n' +
        '  <dir>/docker-compose.yml:7 services.web.depends_on.db.restart: compose restarts web when it updates db; Terraform replaces only what changed, so remove restart: true',
    );
  });

  test('a cycle of dependencies is named', () => {
    expect(importError('services:\n  a:\n    image: x:1\n    depends_on: [b]\n  b:\n    image: x:1\n    depends_on: [a]\n')).toBe(
      'ComposeProject test/app: <dir>/docker-compose.yml:4: services depend on each other in a cycle: a -> b -> a; break it.',
    );
  });
});

describe('the container', () => {
  test('command and entrypoint strings are split as compose splits them; environment, labels, user, working dir', () => {
    const { containers } = imported(
      'services:\n  web:\n    image: app:1\n    entrypoint: /bin/run --flag\n    command: serve "a b" \'c d\'\n    environment: [A=1]\n    labels: {team: web}\n    user: "1000:1000"\n    working_dir: /srv\n    hostname: web01\n',
    );
    expect(containers()['shop-web-1']).toMatchObject({
      entrypoint: ['/bin/run', '--flag'],
      command: ['serve', 'a b', 'c d'],
      env: ['A=1'],
      user: '1000:1000',
      working_dir: '/srv',
      hostname: 'web01',
      restart: 'no',
    });
  });

  test('restart policies, and deploy.restart_policy where restart is not set', () => {
    const { containers } = imported(
      'services:\n  a:\n    image: x:1\n    restart: always\n  b:\n    image: x:1\n    restart: on-failure:3\n  c:\n    image: x:1\n    deploy:\n      restart_policy:\n        condition: on-failure\n        max_attempts: 2\n',
    );
    expect(containers()['shop-a-1'].restart).toBe('always');
    expect(containers()['shop-b-1']).toMatchObject({ restart: 'on-failure', max_retry_count: 3 });
    expect(containers()['shop-c-1']).toMatchObject({ restart: 'on-failure', max_retry_count: 2 });
  });

  test('security: capabilities, read-only root, security options; no-new-privileges only where the file asks', () => {
    const { containers } = imported(
      'services:\n  a:\n    image: x:1\n    cap_drop: [ALL]\n    cap_add: [CAP_NET_BIND_SERVICE]\n    read_only: "true"\n    security_opt: ["no-new-privileges:true", "apparmor=unconfined"]\n  b:\n    image: x:1\n    privileged: true\n',
    );
    expect(containers()['shop-a-1']).toMatchObject({
      capabilities: { add: ['CAP_NET_BIND_SERVICE'], drop: ['ALL'] },
      read_only: true,
      security_opts: ['no-new-privileges:true', 'apparmor=unconfined'],
    });
    expect(containers()['shop-b-1'].security_opts).toBeUndefined();
    expect(containers()['shop-b-1'].privileged).toBe(true);
  });

  test('resources: mem_limit and cpus, or deploy.resources.limits; memswap, shm, ulimits, sysctls', () => {
    const { containers } = imported(
      'services:\n  a:\n    image: x:1\n    mem_limit: 512m\n    cpus: 0.5\n    memswap_limit: 1g\n    shm_size: 64m\n    ulimits:\n      nofile: {soft: 1024, hard: 2048}\n      nproc: 512\n    sysctls: [net.core.somaxconn=1024]\n' +
        '  b:\n    image: x:1\n    deploy:\n      resources:\n        limits: {cpus: "2", memory: 1G}\n',
    );
    expect(containers()['shop-a-1']).toMatchObject({
      memory: 512,
      memory_swap: 1024,
      cpu_period: 100000,
      cpu_quota: 50000,
      shm_size: 64,
      ulimit: [{ name: 'nofile', soft: 1024, hard: 2048 }, { name: 'nproc', soft: 512, hard: 512 }],
      sysctls: { 'net.core.somaxconn': '1024' },
    });
    expect(containers()['shop-b-1']).toMatchObject({ memory: 1024, cpu_quota: 200000 });
  });

  test('logging, dns, extra hosts, devices, init, tty', () => {
    const { containers } = imported(
      'services:\n  a:\n    image: x:1\n    logging:\n      driver: json-file\n      options: {max-size: 10m}\n    dns: 1.1.1.1\n    extra_hosts: ["host.docker.internal:host-gateway", "db=10.0.0.2"]\n    devices: ["/dev/fuse:/dev/fuse:rwm"]\n    init: true\n    tty: true\n',
    );
    expect(containers()['shop-a-1']).toMatchObject({
      log_driver: 'json-file',
      log_opts: { 'max-size': '10m' },
      dns: ['1.1.1.1'],
      host: [{ host: 'host.docker.internal', ip: 'host-gateway' }, { host: 'db', ip: '10.0.0.2' }],
      devices: [{ host_path: '/dev/fuse', container_path: '/dev/fuse', permissions: 'rwm' }],
      init: true,
      tty: true,
    });
  });

  test('build: the provider builds the image <project>-<service> from the context, with args and target', () => {
    const { byName } = imported('services:\n  api:\n    build:\n      context: ./api\n      dockerfile: Dockerfile.prod\n      args: {VERSION: "2"}\n      target: runtime\n');
    const image = byName('docker_image')['shop-api'];
    expect(image.build).toEqual({ context: expect.stringMatching(/\/shop\/api$/), dockerfile: 'Dockerfile.prod', build_args: { VERSION: '2' }, target: 'runtime' });
    expect(image.keep_locally).toBe(true);
  });
});

describe('volumes, secrets and configs', () => {
  const file =
    'services:\n  db:\n    image: postgres:17\n    volumes:\n      - db-data:/var/lib/postgresql/data\n      - ./init:/docker-entrypoint-initdb.d:ro\n      - type: tmpfs\n        target: /tmp\n        tmpfs: {size: 1048576}\n' +
    '      - shared:/shared\n    secrets: [db-password]\n    configs:\n      - source: motd\n        target: /etc/motd\n      - settings\n' +
    'volumes:\n  db-data:\n    labels: {backup: daily}\n  shared:\n    external: true\n    name: team-shared\n' +
    'secrets:\n  db-password:\n    file: ./secrets/db-password.txt\nconfigs:\n  motd:\n    content: "hello"\n  settings:\n    file: ./settings.ini\n';

  test('named volumes are <project>_<key>; an external one is mounted by name and not created', () => {
    const { containers, byName, project } = imported(file, {}, { 'init/.keep': '', 'secrets/db-password.txt': 's3cret', 'settings.ini': '' });
    expect(Object.keys(byName('docker_volume'))).toEqual(['shop_db-data']);
    expect(containers()['shop-db-1'].volumes).toEqual([
      { container_path: '/var/lib/postgresql/data', volume_name: expect.stringMatching(/docker_volume\..*\.name/) },
      { container_path: '/shared', volume_name: 'team-shared' },
    ]);
    expect(Object.keys(project.volumes).sort()).toEqual(['db-data', 'shared']);
  });

  test('bind mounts, file secrets and file configs are read-only bind mounts; tmpfs is a tmpfs; content is a file', () => {
    const { containers, dir } = imported(file, {}, { 'init/.keep': '', 'secrets/db-password.txt': 's3cret', 'settings.ini': '' });
    const db = containers()['shop-db-1'];
    expect(db.mounts).toEqual([
      { type: 'bind', source: path.join(dir, 'init'), target: '/docker-entrypoint-initdb.d', read_only: true },
      { type: 'bind', source: path.join(dir, 'secrets/db-password.txt'), target: '/run/secrets/db-password', read_only: true },
      { type: 'bind', source: path.join(dir, 'settings.ini'), target: '/settings', read_only: true },
    ]);
    expect(db.tmpfs).toEqual({ '/tmp': 'size=1048576' });
    expect(db.upload).toEqual([{ file: '/etc/motd', content: 'hello' }]);
  });

  test('an anonymous volume is a volume mount without a source: Docker names it and removes it with the container', () => {
    const { containers } = imported('services:\n  web:\n    image: node:22\n    volumes: [/app/node_modules]\n');
    expect(containers()['shop-web-1'].mounts).toEqual([{ type: 'volume', target: '/app/node_modules' }]);
  });

  test('a bind source missing on this machine is a warning: Docker\'s mount API does not create it', () => {
    const { stack } = imported('services:\n  web:\n    image: nginx:1.27\n    volumes: ["./site:/usr/share/nginx/html"]\n');
    expect(annotations(stack, 'warning')[0]).toMatch(
      /^ComposeProject test\/app: .*docker-compose.yml:4: services.web.volumes\[0\]: the bind source .*\/site does not exist here; Docker's mount API does not create it \(compose does\), so create it on the engine's host$/,
    );
  });
});

describe('keys the library does not translate', () => {
  const file =
    'services:\n  web:\n    image: nginx:1.27\n    links: [db]\n    blkio_config:\n      weight: 300\n    deploy:\n      placement:\n        constraints: [node.role==manager]\n  db:\n    image: postgres:17\n    oom_score_adj: -500\n';

  test('fail the synth, each with its file, line, key and what to do', () => {
    expect(importError(file)).toBe(
      'ComposeProject test/app: 4 compose keys are not translated; remove them, or set `unsupported: UnsupportedKeys.WARN` to skip them with a warning:\n' +
        '  <dir>/docker-compose.yml:4 services.web.links: links are legacy: services on a shared network find each other by service name; remove it, or add an alias under networks\n' +
        '  <dir>/docker-compose.yml:5 services.web.blkio_config: the provider (kreuzwerker/docker 3.6.2) cannot set block-IO limits; remove it\n' +
        '  <dir>/docker-compose.yml:8 services.web.deploy.placement: a Swarm setting; set `orchestrator: Orchestrator.SWARM`, or remove it (compose ignores it without Swarm)\n' +
        '  <dir>/docker-compose.yml:12 services.db.oom_score_adj: the provider (kreuzwerker/docker 3.6.2) cannot set an OOM score; remove it',
    );
  });

  test('with UnsupportedKeys.WARN they are skipped and listed in one warning', () => {
    const { stack, containers } = imported(file, { unsupported: UnsupportedKeys.WARN });
    expect(Object.keys(containers()).sort()).toEqual(['shop-db-1', 'shop-web-1']);
    const [warning] = annotations(stack, 'warning');
    expect(warning.split('\n')[0]).toBe('ComposeProject test/app: 4 compose keys are not translated and skipped (unsupported: UnsupportedKeys.WARN):');
    expect(warning.split('\n')).toHaveLength(5);
  });

  test('keys that make nothing on an engine are noted in an info annotation', () => {
    const { stack } = imported('services:\n  web:\n    image: nginx:1.27\n    expose: ["80"]\n    develop:\n      watch: [{path: ./src, action: sync, target: /src}]\n');
    expect(annotations(stack, 'info')).toEqual([
      'ComposeProject test/app: services.web.expose: peers on a shared network reach every port of a container whether exposed or not, as with compose; the provider has no EXPOSE; nothing to create',
      'ComposeProject test/app: services.web.develop: only used by `docker compose watch`; nothing to create',
    ]);
  });

  test('replicas above 1 with containers are refused: one container a service', () => {
    expect(importError('services:\n  web:\n    image: nginx:1.27\n    scale: 3\n')).toContain(
      '  <dir>/docker-compose.yml:4 services.web.scale: 3 replicas; the library makes one container a service: use 1, or `orchestrator: Orchestrator.SWARM`',
    );
  });
});

describe('what the project exposes', () => {
  const file = 'services:\n  web:\n    image: nginx:1.27\n  db:\n    image: postgres:17\n    volumes: [data:/var/lib/postgresql/data]\nvolumes:\n  data:\n';

  test('containers, networks and volumes by compose name, to add to what the file says', () => {
    const { project, stack } = imported(file);
    expect(Object.keys(project.containers)).toEqual(['web', 'db']);
    expect(project.container('web')).toBeInstanceOf(ServiceContainer);
    expect(project.network('default')).toBeInstanceOf(Network);
    project.container('web').addEnvironment('EXTRA', '1');
    project.container('web').addPort({ internal: 80, external: 8080 });
    const web = containersByName(synthValidated(stack))['shop-web-1'];
    expect(web.env).toEqual(['EXTRA=1']);
    expect(web.ports).toEqual([{ internal: 80, external: 8080, ip: '127.0.0.1' }]);
  });

  test('asking for a service the project does not have names the ones it has', () => {
    expect(() => imported(file).project.container('api')).toThrow('ComposeProject test/app: has no container "api"; it has "web", "db".');
    expect(() => imported(file).project.secret('x')).toThrow('ComposeProject test/app: has no secret "x"; it has none.');
  });
});

describe('Swarm', () => {
  const file =
    'services:\n  web:\n    image: nginx:1.27\n    ports: ["8080:80", {target: 443, published: 8443, mode: host}]\n    deploy:\n      replicas: 2\n      update_config: {parallelism: 1, order: start-first, delay: 10s}\n      restart_policy: {condition: on-failure, max_attempts: 3}\n' +
    '      resources:\n        limits: {cpus: "0.5", memory: 256M}\n        reservations: {memory: 128M}\n  db:\n    image: postgres:17\n    secrets:\n      - source: db-password\n        target: db_password\n        mode: 0400\n' +
    '    deploy:\n      placement:\n        constraints: [node.role==manager]\n      endpoint_mode: dnsrr\n    volumes: [data:/var/lib/postgresql/data]\n' +
    'volumes:\n  data:\nsecrets:\n  db-password:\n    file: ./db-password.txt\n';

  test('services are <project>_<service> on overlay networks, with replicas, ports, update and restart policies', () => {
    const { byName, project } = imported(file, { orchestrator: Orchestrator.SWARM }, { 'db-password.txt': 'x' });
    const web = byName('docker_service').shop_web;
    expect(web.mode).toEqual({ replicated: { replicas: 2 } });
    expect(web.endpoint_spec.ports).toEqual([
      { target_port: 80, published_port: 8080, publish_mode: 'ingress', protocol: 'tcp' },
      { target_port: 443, published_port: 8443, publish_mode: 'host', protocol: 'tcp' },
    ]);
    expect(web.update_config).toMatchObject({ parallelism: 1, order: 'start-first', delay: '10s' });
    expect(web.task_spec.restart_policy).toMatchObject({ condition: 'on-failure', max_attempts: 3 });
    expect(web.task_spec.resources).toEqual({ limits: { memory_bytes: 268435456, nano_cpus: 500000000 }, reservation: { memory_bytes: 134217728 } });
    expect(web.task_spec.networks_advanced[0].aliases).toEqual(['web']);
    expect(byName('docker_network').shop_default.driver).toBe('overlay');
    expect(Object.keys(project.services)).toEqual(['web', 'db']);
    expect(project.containers).toEqual({});
  });

  test('file secrets are Swarm secrets read by Terraform, mounted with their target and mode; placement and dnsrr', () => {
    const { byName, synth } = imported(file, { orchestrator: Orchestrator.SWARM }, { 'db-password.txt': 'x' });
    const db = byName('docker_service').shop_db;
    expect(db.task_spec.placement).toEqual({ constraints: ['node.role==manager'] });
    expect(db.endpoint_spec.mode).toBe('dnsrr');
    expect(db.task_spec.container_spec.secrets[0]).toMatchObject({ file_name: '/run/secrets/db_password', file_mode: 0o400 });
    const secret = Object.values(resourcesOf(synth(), 'docker_secret'))[0] as any;
    expect(secret.name).toBe('shop_db-password');
    expect(secret.data).toMatch(/^\$\{base64encode\(file\(".*\/shop\/db-password.txt"\)\)\}$/);
  });

  test('a secret from the environment is refused, and with UnsupportedKeys.WARN the service is made without it', () => {
    const env = 'services:\n  web:\n    image: nginx:1.27\n    secrets: [token]\nsecrets:\n  token:\n    environment: TOKEN\n';
    const { byName, stack } = imported(env, { orchestrator: Orchestrator.SWARM, unsupported: UnsupportedKeys.WARN });
    expect(byName('docker_service').shop_web.task_spec.container_spec.secrets).toBeUndefined();
    expect(annotations(stack, 'warning')[0]).toContain(
      'secrets.token.environment: its value would be written into cdk.tf.json; put it in a file and use `file`',
    );
  });

  test('what Swarm cannot do is refused: bind mounts, build, container_name', () => {
    expect(importError('services:\n  web:\n    build: .\n    container_name: web\n    volumes: ["./html:/html"]\n', { orchestrator: Orchestrator.SWARM })).toBe(
      'ComposeProject test/app: 4 compose keys are not translated; remove them, or set `unsupported: UnsupportedKeys.WARN` to skip them with a warning:\n' +
        '  <dir>/docker-compose.yml:3 services.web.build: Swarm runs images from a registry: build and push it, then set `image`\n' +
        '  <dir>/docker-compose.yml:4 services.web.container_name: Swarm names the tasks itself; remove it\n' +
        '  (unknown place) services.web.image: Swarm runs images from a registry: build and push it, then set image\n' +
        '  <dir>/docker-compose.yml:5 services.web.volumes[0]: a bind mount on Swarm needs its path on every node; use a named volume',
    );
  });
});
