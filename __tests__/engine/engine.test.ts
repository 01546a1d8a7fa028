import { Construct } from 'constructs';
import { TerraformStack, Testing } from 'cdktf';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { Container } from '@cdktf/provider-docker/lib/container';
import { Volume as DockerVolume } from '@cdktf/provider-docker/lib/volume';
import {
  Engine,
  EngineHost,
  Network,
  Orchestrator,
  ServiceContainer,
  Swarm,
  SwarmSecret,
  SwarmService,
  TlsMaterial,
  Volume,
  VotingApp,
} from '../../lib';
import { newStack, synthValidated } from '../helpers';

const TLS = EngineHost.tls('tcp://10.0.0.2:2376', TlsMaterial.fromPath('/certs'));

/** The provider meta-argument of each resource and data source of the synthesized stack, by type and logical id. */
function providersOf(stack: TerraformStack): Record<string, string | undefined> {
  const json = JSON.parse(Testing.synth(stack));
  const result: Record<string, string | undefined> = {};
  for (const [block, prefix] of [['resource', ''], ['data', 'data.']] as const) {
    for (const [type, byId] of Object.entries<Record<string, any>>(json[block] ?? {})) {
      for (const [id, values] of Object.entries<any>(byId)) result[`${prefix}${type}.${id}`] = values.provider;
    }
  }
  return result;
}

describe('Engine', () => {
  test('makes a docker provider whose alias is the construct id, with the host and its TLS arguments', () => {
    const stack = newStack();
    new Engine(stack, 'manager', { host: TLS });
    expect(JSON.parse(Testing.synth(stack)).provider.docker).toEqual([{}, { alias: 'manager', host: 'tcp://10.0.0.2:2376', cert_path: '/certs' }]);
  });

  test('puts every construct made inside it on its provider: networks, containers with their images, volumes, networks read by name', () => {
    const stack = newStack();
    const worker = new Engine(stack, 'worker', { host: TLS });
    const net = new Network(worker, 'net');
    const shared = Network.fromName(worker, 'shared', 'shared-net');
    const data = new Volume(worker, 'data');
    new ServiceContainer(worker, 'web', { image: 'nginx:1.27', networks: [{ network: net }, { network: shared }], volumes: [{ volume: data, path: '/data' }] });
    expect(providersOf(stack)).toEqual({
      'docker_container.worker_web_0D46FF04': 'docker.worker',
      'docker_image.worker_web_Image_689F9462': 'docker.worker',
      'docker_network.worker_net_027ED9F8': 'docker.worker',
      'docker_volume.worker_data_E3C65370': 'docker.worker',
      'data.docker_network.worker_shared_E42788F8': 'docker.worker',
    });
  });

  test('Swarm services and secrets made inside a manager are on it', () => {
    const stack = newStack();
    const manager = new Engine(stack, 'manager', { host: TLS, swarm: new Swarm(stack, 'lab'), manager: true });
    const secret = new SwarmSecret(manager, 'token', { data: 'x' });
    new SwarmService(manager, 'api', { image: 'nginx:1.27', secrets: [{ secret }] });
    expect(Object.values(providersOf(stack))).toEqual(['docker.manager', 'docker.manager']);
  });

  test('outside every Engine, constructs name no provider: the stack is synthesized as without engines', () => {
    const stack = newStack();
    new Engine(stack, 'worker', { host: TLS });
    new ServiceContainer(stack, 'web', { image: 'nginx:1.27' });
    expect(Object.values(providersOf(stack))).toEqual([undefined, undefined]);
  });

  test("a provider resource written inside an Engine's scope that names no provider is on it; one that names its own keeps it", () => {
    const stack = newStack();
    const [one, two] = [new Engine(stack, 'one', { host: TLS }), new Engine(stack, 'two', { host: TLS })];
    new Container(one, 'raw', { name: 'raw', image: 'nginx:1.27' });
    new DockerVolume(one, 'pinned', { name: 'pinned', provider: two.provider });
    expect(providersOf(stack)).toEqual({ 'docker_container.one_raw_49C9CAA5': 'docker.one', 'docker_volume.one_pinned_90A61021': 'docker.two' });
  });

  test('a construct is on the innermost Engine around it', () => {
    const stack = newStack();
    const outer = new Engine(stack, 'outer', { host: TLS });
    const inner = new Engine(new Construct(outer, 'group'), 'inner', { host: TLS });
    const web = new ServiceContainer(inner, 'web', { image: 'nginx:1.27' });
    expect([Engine.of(web), Engine.of(outer), Engine.of(stack)]).toEqual([inner, outer, undefined]);
  });

  test('the stack default engine has no alias, and every construct outside an Engine is on it', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const lab = new Engine(stack, 'lab', { host: TLS, stackDefault: true });
    const web = new ServiceContainer(stack, 'web', { image: 'nginx:1.27' });
    expect(Engine.of(web)).toBe(lab);
    expect(lab.alias).toBeUndefined();
    const json = JSON.parse(synthValidated(stack));
    expect(json.provider.docker).toEqual([{ host: 'tcp://10.0.0.2:2376', cert_path: '/certs' }]);
    expect(Object.values<any>(json.resource.docker_container)[0].provider).toBe('docker');
  });

  test('a second default engine is refused', () => {
    const stack = newStack();
    new Engine(stack, 'one', { stackDefault: true });
    expect(() => new Engine(stack, 'two', { stackDefault: true })).toThrow(
      "Engine test/two: is the stack's default engine, and so is Engine test/one; a stack has one default engine: set `stackDefault` on one of them only.",
    );
  });

  test("a default engine beside the stack's own provider without alias fails synth", () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    new DockerProvider(stack, 'docker');
    new Engine(stack, 'lab', { host: TLS, stackDefault: true });
    expect(() => synthValidated(stack)).toThrow(
      "Engine test/lab: the stack's default engine makes the docker provider without alias, and so does DockerProvider " +
        'test/docker; Terraform takes one provider configuration without alias: remove that DockerProvider, or drop `stackDefault`.',
    );
  });

  test('two engines of one alias fail synth', () => {
    const stack = newStack();
    new Engine(new Construct(stack, 'east'), 'node', { host: TLS });
    new Engine(new Construct(stack, 'west'), 'node', { host: TLS });
    expect(() => synthValidated(stack)).toThrow(
      'Engine test/west/node: the provider alias "node" is also the alias of Engine test/east/node; Terraform takes one ' +
        'provider configuration an alias: give the Engine another construct id.',
    );
  });

  test('an id that is not a Terraform identifier is refused: it is the alias', () => {
    expect(() => new Engine(newStack(), 'node.1', { host: TLS })).toThrow(
      'Engine test/node.1: its construct id "node.1" is its provider\'s alias, and Terraform takes letters, digits, "_" and "-" ' +
        'there, starting with a letter or "_"; give the Engine such an id.',
    );
  });

  test('a manager of no swarm is refused', () => {
    expect(() => new Engine(newStack(), 'manager', { manager: true })).toThrow(
      'Engine test/manager: is a manager of no swarm; set `swarm` to the Swarm it manages, or drop `manager`.',
    );
  });

  test('isEngine and isSwarm recognise their constructs only', () => {
    const stack = newStack();
    const swarm = new Swarm(stack, 'lab');
    const engine = new Engine(stack, 'node', { swarm });
    expect([Engine.isEngine(engine), Engine.isEngine(swarm), Swarm.isSwarm(swarm), Swarm.isSwarm(engine)]).toEqual([true, false, true, false]);
  });
});

describe('composite constructs follow their engine', () => {
  test.each([
    ['containers', Orchestrator.CONTAINERS],
    ['Swarm services', Orchestrator.SWARM],
  ])('a VotingApp of %s made inside an Engine: every resource of it on that engine', (_, orchestrator) => {
    const stack = newStack();
    const manager = new Engine(stack, 'manager', { host: TLS, swarm: new Swarm(stack, 'lab'), manager: true });
    new VotingApp(manager, 'app', { orchestrator });
    const providers = providersOf(stack);
    expect(Object.keys(providers).length).toBeGreaterThan(5);
    expect(new Set(Object.values(providers))).toEqual(new Set(['docker.manager']));
  });
});
