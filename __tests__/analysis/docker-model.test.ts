/**
 * The pure model (DockerModel), from a Terraform JSON document and from either side of a plan. The plans in
 * __tests__/ops/review/fixtures are real (containers only); fixtures/swarm.plan.json is written by hand in the shape
 * `terraform show -json` gives for the Swarm voting app: vote switched from host-mode to ingress publishing, the db
 * password secret rotated (replaced: its id is known only after the apply), and a new service, result, on backend
 * and on a new network, metrics (whose id is known only after the apply).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DataDockerNetwork } from '@cdktf/provider-docker/lib/data-docker-network';
import { Network as ProviderNetwork } from '@cdktf/provider-docker/lib/network';
import {
  ContainerModel,
  DockerModel,
  Engine,
  EngineHost,
  Network,
  NetworkDriver,
  Orchestrator,
  PlanSide,
  Segmentation,
  ServiceContainer,
  Swarm,
  TlsMaterial,
} from '../../lib';
import { LOCAL_IMAGES, PUBLIC_IMAGES } from '../../stacks/images';
import { VotingAppStack } from '../../stacks/voting-app';
import { newStack } from '../helpers';

const REVIEW_FIXTURES = path.join(__dirname, '..', 'ops', 'review', 'fixtures');
const plan = (name: string) => JSON.parse(fs.readFileSync(path.join(REVIEW_FIXTURES, `${name}.plan.json`), 'utf8'));
const SWARM_PLAN = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'swarm.plan.json'), 'utf8'));

const workload = (model: DockerModel, name: string) => model.containers.find((c) => c.name === name)!;
/** Each network a workload is on, with its aliases there, as `network: alias, alias`. */
const attachments = (c: ContainerModel) => c.networks.map((n) => `${n.networkName}: ${n.aliases.join(', ')}`.trim());

function votingAppDocument(props: ConstructorParameters<typeof VotingAppStack>[2]): Record<string, any> {
  return JSON.parse(Testing.synth(new VotingAppStack(Testing.app(), 'voting-app', props)));
}

describe('DockerModel from a Terraform JSON document', () => {
  const containers = DockerModel.fromDocument(votingAppDocument({ images: PUBLIC_IMAGES }));
  const swarm = DockerModel.fromDocument(votingAppDocument({ images: PUBLIC_IMAGES, orchestrator: Orchestrator.SWARM }));

  test('reads the networks the stack creates', () => {
    expect(containers.networks.map((n) => [n.name, n.driver, n.external, n.isolated])).toEqual([
      ['backend-network', 'bridge', false, false],
      ['frontend-network', 'bridge', false, false],
    ]);
    expect(containers.networks[0].labels).toEqual({ 'cdktf-docker-networking.stack': 'voting-app' });
  });

  test('reads each container: its address, image through docker_image, attachments, ports, mounts and dependencies', () => {
    const db = workload(containers, 'db');
    expect(db).toMatchObject({ kind: 'container', address: 'docker_container.app_db_3425BFEF', nameKnown: true, resource: undefined });
    expect(db.image).toBe(PUBLIC_IMAGES.db);
    expect(db.imageAddress).toMatch(/^docker_image\.app_db_Image_/);
    expect(attachments(db)).toEqual(['backend-network: db']);
    expect(db.networks[0].names).toEqual(['db', 'db']);
    expect(db.mounts).toEqual([
      { type: 'volume', source: 'db-data', volumeAddress: 'docker_volume.app_db-data_F0D0821D', target: '/var/lib/postgresql/data', readOnly: false },
    ]);
    const vote = workload(containers, 'vote');
    expect(vote.ports).toEqual([{ internal: 80, external: 5000, ip: '127.0.0.1', protocol: 'tcp' }]);
    expect(vote.dependsOn).toEqual(['docker_container.app_redis_284D9703']);
    expect(containers.volumes.map((v) => [v.name, v.address])).toEqual([['db-data', 'docker_volume.app_db-data_F0D0821D']]);
  });

  test('reads each Swarm service: tasks, publishing, endpoint mode, update policy, secrets and placement', () => {
    expect(swarm.networks.map((n) => [n.name, n.driver, n.attachable])).toEqual([
      ['backend-network', 'overlay', true],
      ['frontend-network', 'overlay', true],
    ]);
    const vote = workload(swarm, 'vote');
    expect(vote.kind).toBe('service');
    expect(vote.ports).toEqual([{ internal: 80, external: 5000, ip: '0.0.0.0', protocol: 'tcp', publishMode: 'ingress' }]);
    expect(vote.swarm).toMatchObject({ mode: 'replicated', replicas: 2, endpointMode: 'vip' });
    expect(vote.swarm!.updatePolicy).toMatchObject({ parallelism: 1, order: 'stop-first', failureAction: 'pause' });
    const db = workload(swarm, 'db');
    expect(db.networks[0].names).toEqual(['db', 'tasks.db', 'db']);
    expect(db.swarm).toMatchObject({ endpointMode: 'dnsrr', placement: { constraints: ['node.role==manager'], preferences: [] } });
    expect(db.swarm!.secrets).toEqual([
      { secretAddress: 'docker_secret.app_db-password-secret_6F00504F', secretName: 'db-password', fileName: '/run/secrets/db-password' },
    ]);
    expect(db.mounts).toEqual([
      { type: 'volume', source: 'db-data', volumeAddress: 'docker_volume.app_db-data_F0D0821D', target: '/var/lib/postgresql/data', readOnly: false },
    ]);
    expect(swarm.secrets.map((s) => [s.name, s.services])).toEqual([['db-password', ['db', 'result', 'worker']]]);
  });

  test('keys a network one way whether a container names it by reference or by its literal name, and reads data sources', () => {
    const stack = newStack();
    const own = new ProviderNetwork(stack, 'own', { name: 'own-network', options: { 'com.docker.network.bridge.enable_icc': 'false' } });
    new DataDockerNetwork(stack, 'shared', { name: 'shared-network' });
    new Container(stack, 'a', { name: 'a', image: 'nginx:1.27', networksAdvanced: [{ name: own.id, ipv4Address: '10.0.0.5' }] });
    new Container(stack, 'b', { name: 'b', image: 'nginx:1.27', networksAdvanced: [{ name: 'own-network' }, { name: 'shared-network' }] });
    new Container(stack, 'c', { name: 'c', image: 'nginx:1.27', networkMode: 'host' });
    new Container(stack, 'd', { name: 'd', image: 'nginx:1.27' });
    const model = DockerModel.fromDocument(JSON.parse(Testing.synth(stack)));
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name) => workload(model, name));
    expect(a.networks[0]).toMatchObject({ key: 'docker_network.own', networkName: 'own-network', ipv4Address: '10.0.0.5', isolated: true });
    expect(b.networks.map((n) => [n.key, n.isolated, n.network?.external])).toEqual([
      ['docker_network.own', true, false],
      ['data.docker_network.shared', false, true],
    ]);
    expect(model.containersOn('docker_network.own').map((x) => x.name)).toEqual(['a', 'b']);
    expect([c.onDefaultBridge, c.networkMode, d.onDefaultBridge, d.networkMode]).toEqual([false, 'host', true, undefined]);
    expect(model.networkAt('data.docker_network.shared')).toMatchObject({ name: 'shared-network', external: true, driver: undefined });
  });

  test('names a workload whose Docker name is known only at apply time by its address', () => {
    const stack = newStack();
    const network = new Network(stack, 'net', { name: 'net' });
    new ServiceContainer(stack, 'app', { image: 'nginx:1.27', networks: [{ network }] }).resource.addOverride('name', '${var.name}');
    const app = DockerModel.fromDocument(JSON.parse(Testing.synth(stack))).containers[0];
    expect([app.name, app.nameKnown]).toEqual([app.address, false]);
  });
});

describe('DockerModel from a plan', () => {
  test('before and after: the attachments as deployed and as planned, images through docker_image', () => {
    const connect = plan('connect');
    const before = workload(DockerModel.fromPlan(connect, PlanSide.BEFORE), 'e2e-chg-app');
    const after = workload(DockerModel.fromPlan(connect, PlanSide.AFTER), 'e2e-chg-app');
    expect(attachments(before)).toEqual(['e2e-chg-a:']);
    expect(attachments(after)).toEqual(['e2e-chg-a:', 'e2e-chg-b:']);
    expect(after.networks[1]).toMatchObject({ key: 'docker_network.net-b_05E6A178', names: ['e2e-chg-app'], isolated: false });
    expect(after.image).toBe(before.image);
    expect(after.imageAddress).toBe('docker_image.app_Image_880965DD');
  });

  test('a network known only after the apply: the configuration says which one each attachment is', () => {
    // e2e-chg-a is replaced: the container's attachment has no network id in the planned values.
    const app = workload(DockerModel.fromPlan(plan('network-change'), PlanSide.AFTER), 'e2e-chg-app');
    expect(app.networks.map((n) => [n.networkName, n.key, n.network?.subnets])).toEqual([['e2e-chg-a', 'docker_network.net-a_61F3C65D', []]]);
  });

  test('a replaced container keeps the prior value of an attribute known only after the apply that its code does not set', () => {
    const strict = plan('segmentation-strict');
    const before = workload(DockerModel.fromPlan(strict, PlanSide.BEFORE), 'redis');
    const after = workload(DockerModel.fromPlan(strict, PlanSide.AFTER), 'redis');
    // Left out of the planned values, as Docker sets it at create.
    expect(before.config.ipc_mode).toBe('private');
    expect(after.config.ipc_mode).toBe('private');
  });

  test('reads values in the terms of a document: no nulls, single blocks as objects', () => {
    const db = workload(DockerModel.fromPlan(plan('segmentation-strict'), PlanSide.BEFORE), 'db');
    expect(Object.values(db.config)).not.toContain(null);
    expect(db.config.healthcheck.test).toEqual(['CMD-SHELL', expect.stringContaining('pg_isready')]);
    expect(Array.isArray(db.config.capabilities)).toBe(false);
  });

  test('the planned values of a deploy model what the document of the same code does', () => {
    const document = DockerModel.fromDocument(votingAppDocument({ images: LOCAL_IMAGES, segmentation: Segmentation.STRICT }));
    const planned = DockerModel.fromPlan(plan('segmentation-strict'), PlanSide.AFTER);
    const view = (model: DockerModel) => ({
      networks: model.networks.map((n) => [n.address, n.name, n.driver, n.isolated]),
      workloads: model.containers
        .map((c) => [c.address, c.name, c.kind, c.image, c.imageAddress, [...attachments(c)].sort(), c.ports, c.onDefaultBridge])
        .sort(),
      volumes: model.volumes.map((v) => [v.address, v.name]),
    });
    expect(view(planned)).toEqual(view(document));
  });

  describe('of a Swarm change (fixtures/swarm.plan.json)', () => {
    const before = DockerModel.fromPlan(SWARM_PLAN, PlanSide.BEFORE);
    const after = DockerModel.fromPlan(SWARM_PLAN, PlanSide.AFTER);

    test('reads services as services: publish mode before and after', () => {
      expect(workload(before, 'vote').ports).toEqual([{ internal: 80, external: 5000, ip: '0.0.0.0', protocol: 'tcp', publishMode: 'host' }]);
      expect(workload(after, 'vote').ports[0].publishMode).toBe('ingress');
      expect(workload(after, 'vote').swarm).toMatchObject({ mode: 'replicated', replicas: 2, updatePolicy: { parallelism: 1, delay: '10s' } });
    });

    test('reads a service in container terms for the rules', () => {
      const db = workload(before, 'db');
      expect(db.config).toMatchObject({ env: ['POSTGRES_PASSWORD_FILE=/run/secrets/db-password'], memory: 256, cpus: 0.5, restart: 'always' });
      expect(db.swarm).toMatchObject({ endpointMode: 'dnsrr', placement: { constraints: ['node.role==manager'], maxReplicas: undefined } });
      expect(db.mounts).toEqual([
        { type: 'volume', source: 'db-data', volumeAddress: 'docker_volume.app_db-data_F0D0821D', target: '/var/lib/postgresql/data', readOnly: false },
      ]);
    });

    test('a new network whose id is known only after the apply: the configuration says which', () => {
      const result = workload(after, 'result');
      expect(attachments(result)).toEqual(['backend-network:', 'metrics-network:']);
      expect(result.networks.map((n) => n.key)).toEqual(['docker_network.app_backend_485520B1', 'docker_network.app_metrics_9C8D7E6F']);
      expect(result.dependsOn).toEqual(['docker_service.app_db_3425BFEF']);
    });

    test('a rotated secret whose id is known only after the apply, with the services that mount it', () => {
      expect(workload(after, 'db').swarm!.secrets).toEqual([
        { secretAddress: 'docker_secret.app_db-password-secret_6F00504F', secretName: 'db-password', fileName: '/run/secrets/db-password' },
      ]);
      expect(after.secrets.map((s) => [s.name, s.id, s.services])).toEqual([['db-password', undefined, ['db']]]);
      expect(before.secrets.map((s) => s.id)).toEqual(['s0db0password0old000000c']);
    });

    test('members of each overlay network', () => {
      const members = (model: DockerModel) => model.networks.map((n) => [n.name, model.containersOn(n.address).map((c) => c.name)]);
      expect(members(after)).toEqual([
        ['backend-network', ['db', 'result', 'worker']],
        ['frontend-network', ['redis', 'vote', 'worker']],
        ['metrics-network', ['result']],
      ]);
    });
  });
});

describe('DockerModel from a state', () => {
  test('reads the objects of the last apply with their Docker ids, managed ones apart from data sources', () => {
    const state = {
      version: 4,
      resources: [
        {
          mode: 'managed',
          type: 'docker_network',
          name: 'net',
          instances: [{ attributes: { id: 'n1d', name: 'app-network', driver: 'bridge', options: {}, ipam_config: [], labels: [] } }],
        },
        { mode: 'data', type: 'docker_network', name: 'shared', instances: [{ attributes: { id: 'n2d', name: 'shared', driver: 'bridge' } }] },
        {
          mode: 'managed',
          type: 'docker_container',
          name: 'app',
          instances: [{ attributes: { id: 'c1d', name: 'app', image: 'sha256:abc', networks_advanced: [{ name: 'n1d', aliases: ['web'] }] } }],
        },
        { mode: 'managed', type: 'docker_volume', name: 'data', instances: [{ attributes: { id: 'data', name: 'data' } }] },
      ],
    };
    const model = DockerModel.fromState(state);
    expect(model.networks.map((n) => [n.address, n.id, n.external])).toEqual([
      ['docker_network.net', 'n1d', false],
      ['data.docker_network.shared', 'n2d', true],
    ]);
    expect(model.containers.map((c) => [c.address, c.id, attachments(c)])).toEqual([['docker_container.app', 'c1d', ['app-network: web']]]);
    expect(model.volumes.map((v) => v.id)).toEqual(['data']);
  });
});

describe('engines: which engine each object is on', () => {
  test('from a document: the provider meta-argument of each object, the hosts of the provider blocks', () => {
    const stack = newStack();
    const swarm = new Swarm(stack, 'lab');
    const manager = new Engine(stack, 'manager', { host: EngineHost.tls('tcp://10.0.0.2:2376', TlsMaterial.fromPath('/certs')), swarm, manager: true });
    const worker = new Engine(stack, 'worker', { host: EngineHost.ssh('ssh://deploy@10.0.0.3'), swarm });
    const mesh = new Network(manager, 'mesh', { driver: NetworkDriver.OVERLAY, attachable: true });
    new ServiceContainer(worker, 'web', { image: 'nginx:1.27', networks: [{ network: mesh }] });
    new ServiceContainer(stack, 'local', { image: 'nginx:1.27' });
    const model = DockerModel.fromDocument(JSON.parse(Testing.synth(stack)));
    expect(model.engines).toEqual([
      { key: 'docker' },
      { key: 'docker.manager', alias: 'manager', host: 'tcp://10.0.0.2:2376' },
      { key: 'docker.worker', alias: 'worker', host: 'ssh://deploy@10.0.0.3' },
    ]);
    expect(model.containers.map((c) => [c.name, c.engine])).toEqual([['local', 'docker'], ['web', 'docker.worker']]);
    expect(model.networks.map((n) => [n.name, n.engine])).toEqual([['mesh', 'docker.manager']]);
    expect(model.images.map((i) => i.engine)).toEqual(['docker', 'docker.worker']);
    expect(model.engineAt(model.containers[1].address)?.host).toBe('ssh://deploy@10.0.0.3');
    expect(model.engineByKey('docker.manager')?.host).toBe('tcp://10.0.0.2:2376');
  });

  test('a document with no provider block: every object on the default engine', () => {
    const model = DockerModel.fromDocument(votingAppDocument({ images: PUBLIC_IMAGES }));
    expect(model.engines).toEqual([{ key: 'docker' }]);
    expect(new Set([...model.containers, ...model.networks, ...model.volumes, ...model.images].map((o) => o.engine))).toEqual(new Set(['docker']));
  });

  test("from a plan: the configuration's provider of each object and the hosts of the provider configurations", () => {
    const plan = JSON.parse(fs.readFileSync(path.join(REVIEW_FIXTURES, 'engines-change.plan.json'), 'utf8'));
    const after = DockerModel.fromPlan(plan, PlanSide.AFTER);
    expect(after.engines).toEqual([
      { key: 'docker' },
      { key: 'docker.manager', alias: 'manager', host: 'tcp://10.99.0.2:2376' },
      { key: 'docker.worker', alias: 'worker', host: 'tcp://10.99.0.3:2376' },
    ]);
    expect(after.containers.map((c) => [c.name, c.engine])).toEqual([
      ['e2e-eng-a', 'docker.manager'],
      ['e2e-eng-b', 'docker.worker'],
      ['e2e-eng-c', 'docker.worker'],
      ['e2e-eng-svc', 'docker.manager'],
    ]);
    // What the plan deletes is no longer in the configuration, and a plan's values name no provider configuration.
    expect(DockerModel.fromPlan(plan, PlanSide.BEFORE).containers.map((c) => [c.name, c.engine])).toEqual([
      ['e2e-eng-a', 'docker.manager'],
      ['e2e-eng-b', 'docker.worker'],
      ['e2e-eng-old', undefined],
    ]);
  });

  test("from a plan: a host given by a variable is the variable's value in the plan", () => {
    const plan = {
      variables: { worker_host: { value: 'ssh://deploy@10.0.0.3' } },
      configuration: {
        provider_config: {
          'docker.worker': { name: 'docker', alias: 'worker', expressions: { host: { references: ['var.worker_host'] } } },
          'docker.other': { name: 'docker', alias: 'other', expressions: { host: { references: ['var.a', 'var.b'] } } },
        },
      },
    };
    expect(DockerModel.fromPlan(plan, PlanSide.AFTER).engines).toEqual([
      { key: 'docker.worker', alias: 'worker', host: 'ssh://deploy@10.0.0.3' },
      { key: 'docker.other', alias: 'other' },
    ]);
  });

  test("from a state: each resource's provider configuration; a state keeps no host", () => {
    const instance = (name: string) => [{ attributes: { id: name, name } }];
    const model = DockerModel.fromState({
      version: 4,
      resources: [
        { mode: 'managed', type: 'docker_volume', name: 'a', provider: 'provider["registry.example/kreuzwerker/docker"].worker', instances: instance('a') },
        { mode: 'managed', type: 'docker_volume', name: 'b', provider: 'provider["registry.example/kreuzwerker/docker"]', instances: instance('b') },
      ],
    });
    expect(model.volumes.map((v) => [v.name, v.engine])).toEqual([['a', 'docker.worker'], ['b', 'docker']]);
    expect(model.engines).toEqual([{ key: 'docker.worker', alias: 'worker' }, { key: 'docker' }]);
  });
});

describe('what the model knows of the provider', () => {
  test('the kind of each type it reads', () => {
    expect(['docker_network', 'docker_service', 'docker_secret', 'docker_tag'].map(DockerModel.kindOfType)).toEqual([
      'network',
      'service',
      'secret',
      undefined,
    ]);
  });

  test('where a workload keeps its attachments', () => {
    expect(DockerModel.holdsAttachments('docker_container', ['networks_advanced'])).toBe(true);
    expect(DockerModel.holdsAttachments('docker_service', ['task_spec', 0, 'networks_advanced'])).toBe(true);
    expect(DockerModel.holdsAttachments('docker_container', ['ports', 0, 'external'])).toBe(false);
  });

  test('what Swarm does when an attribute of a service changes', () => {
    const paths: (string | number)[][] = [
      ['task_spec', 0, 'container_spec', 0, 'env'],
      ['task_spec', 0, 'placement', 0, 'constraints'],
      ['endpoint_spec', 0, 'ports'],
      ['mode', 0, 'replicated', 0, 'replicas'],
      ['update_config', 0, 'order'],
      ['labels'],
    ];
    expect(paths.map(DockerModel.serviceChangeOf)).toEqual(['tasks', 'placement', 'endpoint', 'replicas', 'service', 'service']);
  });

  test('values that may hold secrets', () => {
    expect(DockerModel.mayHoldSecrets(['env'])).toBe(true);
    expect(DockerModel.mayHoldSecrets(['task_spec', 0, 'container_spec', 0, 'env'])).toBe(true);
    expect(DockerModel.mayHoldSecrets(['ports', 0, 'external'])).toBe(false);
  });
});
