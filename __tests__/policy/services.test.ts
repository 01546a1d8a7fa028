import { Service, ServiceConfig } from '@cdktf/provider-docker/lib/service';
import { Capability, Duration, Healthcheck, Network, NetworkDriver, PublishMode, Size, SwarmService } from '../../lib';
import { newStack } from '../helpers';
import { check } from './fixtures';

/** A raw provider service (made without our constructs) that complies with every rule that applies to services. */
const COMPLIANT_SERVICE: ServiceConfig = {
  name: 'api',
  taskSpec: {
    containerSpec: {
      image: 'api:1.2',
      readOnly: true,
      capDrop: ['ALL'],
      healthcheck: { test: ['CMD', 'true'] },
    },
    resources: { limits: { memoryBytes: 64 * 1024 * 1024, nanoCpus: 500_000_000 } },
    networksAdvanced: [{ name: 'api-network' }],
  },
};

function serviceStack(change: (spec: any) => void = () => undefined) {
  const stack = newStack();
  const config = JSON.parse(JSON.stringify(COMPLIANT_SERVICE));
  change(config);
  new Service(stack, 'api', config);
  return stack;
}

const ids = (stack: any) => check(stack).findings.map((f) => `${f.ruleId}${f.findingId ? ` ${f.findingId}` : ''}`);

describe('the policy pack on Swarm services (docker_service)', () => {
  test('a compliant service has no finding: the container-only rules (privileged, namespaces, no-new-privileges, default bridge) skip it', () => {
    expect(ids(serviceStack())).toEqual([]);
  });

  test('reads capabilities, read_only, healthcheck and limits from the task spec', () => {
    const stack = serviceStack((c) => {
      c.taskSpec.containerSpec = { image: 'api:1.2', capAdd: ['SYS_ADMIN'] };
      delete c.taskSpec.resources;
    });
    expect(ids(stack)).toEqual(['DKR7', 'DKR8 memory', 'DKR8 cpu', 'DKR9', 'DKR10', 'DKR11 SYS_ADMIN']);
  });

  test('the Docker socket mounted, a secret in env, an unpinned image, a restart policy of none', () => {
    const stack = serviceStack((c) => {
      c.taskSpec.containerSpec.image = 'api:latest';
      c.taskSpec.containerSpec.env = { DB_PASSWORD: 'hunter2', DB_PASSWORD_FILE: '/run/secrets/pw' };
      c.taskSpec.containerSpec.mounts = [{ type: 'bind', source: '/var/run/docker.sock', target: '/var/run/docker.sock' }];
      c.taskSpec.restartPolicy = { condition: 'none' };
    });
    expect(ids(stack)).toEqual(['DKR3 /var/run/docker.sock', 'DKR6 api:latest', 'DKR13 DB_PASSWORD', 'DKR14']);
  });

  test('a published port is on all interfaces (Swarm has no host address), and the message says "service"', () => {
    const stack = serviceStack((c) => {
      c.endpointSpec = { ports: [{ targetPort: 80, publishedPort: 8080, publishMode: 'host' }] };
    });
    const [finding] = check(stack).findings;
    expect(finding).toMatchObject({ ruleId: 'DKR5', findingId: '8080/tcp', container: 'api' });
    expect(finding.message).toMatch(/^\[DKR5\] port-on-all-interfaces \(warning\) on service "api": port 8080\/tcp/);
  });

  test('a database service beside a service that publishes ports (DKR16)', () => {
    const stack = newStack();
    const net = new Network(stack, 'net', { name: 'data', driver: NetworkDriver.OVERLAY });
    const hardened = {
      readOnlyRootFilesystem: true,
      capabilities: { drop: [Capability.ALL] },
      healthcheck: Healthcheck.command(['true'], { interval: Duration.seconds(2) }),
      limits: { memory: Size.mebibytes(64), cpus: 0.5 },
      networks: [{ network: net }],
    };
    new SwarmService(stack, 'db', { image: 'postgres:17', ...hardened });
    new SwarmService(stack, 'web', { image: 'web:1', ports: [{ target: 80, published: 8080, mode: PublishMode.HOST }], ...hardened });
    expect(ids(stack)).toEqual(['DKR16 data', 'DKR5 8080/tcp']);
  });
});
