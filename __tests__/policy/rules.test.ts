import { TerraformVariable } from 'cdktf';
import { Container, ContainerConfig } from '@cdktf/provider-docker/lib/container';
import { Network, PolicyLevel, ServiceContainer, DockerPolicy } from '../../lib';
import { newStack } from '../helpers';
import { COMPLIANT, check, findingsOf, stackWith } from './fixtures';
import { isDatabaseImage } from '../../lib/policy/rules/dkr16-database-beside-published-ports';

describe('the compliant fixture', () => {
  test('has no finding of any rule', () => {
    expect(check(stackWith()).findings).toEqual([]);
  });
});

describe('rule ids and levels', () => {
  test('are DKR1 to DKR16, in order, with the documented levels', () => {
    expect(DockerPolicy.RULES.map((r) => `${r.id} ${r.name} ${r.level}`)).toEqual([
      'DKR1 privileged error',
      'DKR2 host-namespace error',
      'DKR3 docker-socket error',
      'DKR4 sensitive-host-path error',
      'DKR5 port-on-all-interfaces warning',
      'DKR6 unpinned-image warning',
      'DKR7 no-healthcheck info',
      'DKR8 no-resource-limits warning',
      'DKR9 writable-root-filesystem info',
      'DKR10 capabilities-not-dropped warning',
      'DKR11 dangerous-capability error',
      'DKR12 no-new-privileges-missing warning',
      'DKR13 secret-in-environment warning',
      'DKR14 restart-policy info',
      'DKR15 default-bridge warning',
      'DKR16 database-beside-published-ports warning',
    ]);
  });
});

/** [rule, what the non-compliant fixture changes, the findingIds expected] */
const NON_COMPLIANT: [string, string, Partial<ContainerConfig>, (string | undefined)[]][] = [
  ['DKR1', 'privileged', { privileged: true }, [undefined]],
  ['DKR2', 'network_mode host', { networkMode: 'host', networksAdvanced: undefined }, ['network']],
  ['DKR2', 'pid_mode host', { pidMode: 'host' }, ['pid']],
  ['DKR2', 'ipc_mode host', { ipcMode: 'host' }, ['ipc']],
  ['DKR2', 'userns_mode host', { usernsMode: 'host' }, ['userns']],
  ['DKR3', 'the socket in volumes', { volumes: [{ hostPath: '/var/run/docker.sock', containerPath: '/var/run/docker.sock', readOnly: true }] }, ['/var/run/docker.sock']],
  ['DKR3', 'the socket in mounts', { mounts: [{ type: 'bind', source: '/run/docker.sock', target: '/docker.sock' }] }, ['/run/docker.sock']],
  ['DKR4', '/etc read-write', { volumes: [{ hostPath: '/etc', containerPath: '/host-etc' }] }, ['/etc']],
  ['DKR4', 'a directory under /usr read-write', { mounts: [{ type: 'bind', source: '/usr/lib', target: '/l' }] }, ['/usr/lib']],
  ['DKR4', 'the host root read-write', { volumes: [{ hostPath: '/', containerPath: '/host' }] }, ['/']],
  ['DKR5', 'a port without host address', { ports: [{ internal: 80, external: 8080 }] }, ['8080/tcp']],
  ['DKR5', 'a port on 0.0.0.0', { ports: [{ internal: 53, external: 53, ip: '0.0.0.0', protocol: 'udp' }] }, ['53/udp']],
  ['DKR5', 'publish_all_ports', { publishAllPorts: true }, ['publish_all_ports']],
  ['DKR6', 'an image without tag', { image: 'nginx' }, ['nginx']],
  ['DKR6', 'an image tagged latest', { image: 'registry.example:5000/team/nginx:latest' }, ['registry.example:5000/team/nginx:latest']],
  ['DKR7', 'no healthcheck', { healthcheck: undefined }, [undefined]],
  ['DKR7', 'healthcheck NONE', { healthcheck: { test: ['NONE'] } }, [undefined]],
  ['DKR8', 'no memory limit', { memory: undefined }, ['memory']],
  ['DKR8', 'no CPU limit', { cpuQuota: undefined }, ['cpu']],
  ['DKR9', 'a writable root filesystem', { readOnly: undefined }, [undefined]],
  ['DKR10', 'no capabilities block', { capabilities: undefined }, [undefined]],
  ['DKR10', 'some capabilities dropped but not ALL', { capabilities: { drop: ['NET_RAW'] } }, [undefined]],
  ['DKR11', 'SYS_ADMIN added', { capabilities: { drop: ['ALL'], add: ['SYS_ADMIN'] } }, ['SYS_ADMIN']],
  ['DKR11', 'CAP_NET_ADMIN and SYS_PTRACE added', { capabilities: { drop: ['ALL'], add: ['CAP_NET_ADMIN', 'sys_ptrace'] } }, ['NET_ADMIN', 'SYS_PTRACE']],
  ['DKR12', 'no security_opts', { securityOpts: undefined }, [undefined]],
  ['DKR12', 'no-new-privileges:false', { securityOpts: ['no-new-privileges:false'] }, [undefined]],
  ['DKR13', 'a literal password', { env: ['POSTGRES_PASSWORD=hunter2'] }, ['POSTGRES_PASSWORD']],
  ['DKR13', 'a literal API key and token', { env: ['API_KEY=abc', 'GITHUB_TOKEN=ghp_x', 'LOG_LEVEL=debug'] }, ['API_KEY', 'GITHUB_TOKEN']],
  ['DKR14', 'restart no', { restart: 'no' }, [undefined]],
  ['DKR14', 'no restart policy', { restart: undefined }, [undefined]],
  ['DKR14', 'on-failure without a maximum', { restart: 'on-failure', maxRetryCount: 0 }, [undefined]],
  ['DKR15', 'no network', { networksAdvanced: undefined }, [undefined]],
  ['DKR15', 'network_mode bridge', { networksAdvanced: undefined, networkMode: 'bridge' }, [undefined]],
];

describe.each(NON_COMPLIANT)('%s flags %s', (ruleId, _what, overrides, findingIds) => {
  test('with one finding per item', () => {
    expect(findingsOf(stackWith(overrides), ruleId).map((f) => f.findingId)).toEqual(findingIds);
  });
});

/** [rule, what the compliant variant does] */
const COMPLIANT_VARIANTS: [string, string, Partial<ContainerConfig>][] = [
  ['DKR1', 'privileged false', { privileged: false }],
  ['DKR2', 'network_mode of a user network', { networkMode: 'app-network' }],
  ['DKR3', 'another host path', { volumes: [{ hostPath: '/srv/data', containerPath: '/data' }] }],
  ['DKR4', '/etc read-only', { volumes: [{ hostPath: '/etc/ssl/certs', containerPath: '/certs', readOnly: true }] }],
  ['DKR4', 'a named volume', { volumes: [{ volumeName: 'data', containerPath: '/data' }] }],
  ['DKR5', 'a port on 127.0.0.1', { ports: [{ internal: 80, external: 8080, ip: '127.0.0.1' }] }],
  ['DKR6', 'a digest', { image: 'nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000' }],
  ['DKR6', 'a registry with a port and a tag', { image: 'registry.example:5000/nginx:1.27' }],
  ['DKR8', 'cpus instead of cpu_quota', { cpuQuota: undefined, cpus: '0.5' }],
  ['DKR10', 'ALL dropped and NET_BIND_SERVICE added', { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } }],
  ['DKR11', 'a harmless capability added', { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE', 'CHOWN'] } }],
  ['DKR12', 'no-new-privileges in short form', { securityOpts: ['no-new-privileges'] }],
  ['DKR13', 'a *_FILE pointer', { env: ['POSTGRES_PASSWORD_FILE=/run/secrets/db-password'] }],
  ['DKR13', 'a name that only contains KEY inside a word', { env: ['KEYBOARD_LAYOUT=us'] }],
  ['DKR14', 'on-failure with a maximum', { restart: 'on-failure', maxRetryCount: 3 }],
  ['DKR14', 'always', { restart: 'always' }],
];

describe.each(COMPLIANT_VARIANTS)('%s accepts %s', (ruleId, _what, overrides) => {
  test('without a finding', () => {
    expect(findingsOf(stackWith(overrides), ruleId)).toEqual([]);
  });
});

describe('rules that need more than one attribute', () => {
  test('DKR13 accepts a secret passed as a reference to a sensitive variable', () => {
    const stack = newStack();
    const password = new TerraformVariable(stack, 'password', { type: 'string', sensitive: true });
    stackWith({ env: [`DB_PASSWORD=${password.value}`] }, stack);
    expect(findingsOf(stack, 'DKR13')).toEqual([]);
  });

  test('DKR6 resolves the image through the docker_image resource of a ServiceContainer', () => {
    const stack = newStack();
    new ServiceContainer(stack, 'app', { image: 'dockersamples/examplevotingapp_worker' });
    expect(findingsOf(stack, 'DKR6').map((f) => f.findingId)).toEqual(['dockersamples/examplevotingapp_worker']);
  });

  test('DKR6 passes a pinned ServiceContainer image', () => {
    const stack = newStack();
    new ServiceContainer(stack, 'app', { image: 'redis:7.4-alpine' });
    expect(findingsOf(stack, 'DKR6')).toEqual([]);
  });

  test('DKR16 flags a database on a network where another container publishes a port', () => {
    const stack = newStack();
    stackWith({ name: 'db', image: 'postgres:17-alpine' }, stack);
    new Container(stack, 'web', { ...COMPLIANT, name: 'web', ports: [{ internal: 80, external: 8080, ip: '127.0.0.1' }] });
    const findings = findingsOf(stack, 'DKR16');
    expect(findings.map((f) => [f.container, f.findingId, f.problem])).toEqual([
      [
        'db',
        'app-network',
        'the data store (postgres:17-alpine) shares network app-network with containers that publish ports on the host: web',
      ],
    ]);
  });

  test('DKR16 accepts a database whose network has no published ports', () => {
    const stack = newStack();
    stackWith({ name: 'db', image: 'bitnami/mongodb:8.0' }, stack);
    new Container(stack, 'worker', { ...COMPLIANT, name: 'worker' });
    expect(findingsOf(stack, 'DKR16')).toEqual([]);
  });

  test('DKR16 sees a network of the Network construct under its Docker name', () => {
    const stack = newStack();
    const data = new Network(stack, 'data', { name: 'data-network' });
    new ServiceContainer(stack, 'db', { image: 'mariadb:11', networks: [{ network: data }] });
    new ServiceContainer(stack, 'web', { image: 'nginx:1.27', networks: [{ network: data }], ports: [{ internal: 80, hostIp: '127.0.0.1' }] });
    expect(findingsOf(stack, 'DKR16').map((f) => f.findingId)).toEqual(['data-network']);
  });

  test.each([
    ['voting-app-local/db:local', true],
    ['team/database:2', true],
    ['dbeaver/cloudbeaver:24', false],
    ['nginx:1.27', false],
  ])('DKR16 counts %p as a data store: %p', (image, isDataStore) => {
    expect(isDatabaseImage(image)).toBe(isDataStore);
  });

  test('a rule sees an escape-hatch override on a ServiceContainer', () => {
    const stack = newStack();
    const app = new ServiceContainer(stack, 'app', { image: 'nginx:1.27' });
    app.resource.addOverride('privileged', true);
    expect(findingsOf(stack, 'DKR1').map((f) => f.path)).toEqual(['test/app/Resource']);
  });
});

describe('ServiceContainer defaults', () => {
  test('set no-new-privileges, so DKR12 passes without configuration', () => {
    const stack = newStack();
    new ServiceContainer(stack, 'app', { image: 'nginx:1.27' });
    expect(findingsOf(stack, 'DKR12')).toEqual([]);
  });

  test('leave only warnings that a hardened ServiceContainer clears', () => {
    const stack = newStack();
    new ServiceContainer(stack, 'app', { image: 'nginx:1.27' });
    const warnings = check(stack).findings.filter((f) => f.level === PolicyLevel.WARNING).map((f) => f.ruleId);
    expect(warnings).toEqual(['DKR8', 'DKR8', 'DKR10', 'DKR15']);
  });
});
