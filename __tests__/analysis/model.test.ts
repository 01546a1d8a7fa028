import { TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { Container } from '@cdktf/provider-docker/lib/container';
import { DockerPolicy, Engine, EngineHost, Network, PolicyTesting, Reachability, ServiceContainer, StackModel, TlsMaterial } from '../../lib';
import { PUBLIC_IMAGES } from '../../stacks/images';
import { VotingAppStack } from '../../stacks/voting-app';
import { newStack } from '../helpers';
import { COMPLIANT } from '../policy/fixtures';

/** The synthesized docker_container blocks, keyed by Docker name, without cdktf's metadata. */
function synthesizedContainers(stack: TerraformStack): Record<string, unknown> {
  const tf = JSON.parse(Testing.synth(stack));
  return Object.fromEntries(Object.values<any>(tf.resource.docker_container).map((c) => [c.name, c]));
}

function modelContainers(stack: TerraformStack): Record<string, unknown> {
  return Object.fromEntries(
    StackModel.build(stack).containers.map((c) => {
      const { '//': _metadata, ...config } = c.config;
      return [c.name, config];
    }),
  );
}

/** Tokens, escape hatches and a network referred to by name: what the model must resolve as cdktf does. */
function trickyStack(): TerraformStack {
  const stack = newStack();
  const tag = new TerraformVariable(stack, 'tag', { type: 'string', default: '1.27' });
  const port = new TerraformVariable(stack, 'port', { type: 'number', default: 8080 });
  const shared = Network.fromName(stack, 'shared', 'shared-network');
  const own = new Network(stack, 'own', { name: 'own-network', interContainerTraffic: false });
  const web = new ServiceContainer(stack, 'web', {
    image: `nginx:${tag.stringValue}`,
    env: { TAG: tag.stringValue, PORT: `${port.numberValue}`, HOME_PAGE: 'https://example.test/${literal}' },
    networks: [{ network: shared, aliases: ['www'] }, { network: own }],
    ports: [{ internal: 80, external: 8080 }],
  });
  web.resource.addOverride('privileged', true);
  web.resource.addOverride('labels.0.value', tag.stringValue);
  new Container(stack, 'raw', { ...COMPLIANT, name: 'raw', env: [`WEB=${web.resource.name}`] });
  return stack;
}

describe('StackModel', () => {
  test("knows each workload's engine and the engines' hosts, without a synth of the whole stack", () => {
    const stack = newStack();
    const worker = new Engine(stack, 'worker', { host: EngineHost.tls('tcp://10.0.0.3:2376', TlsMaterial.fromPath('/certs')) });
    const web = new ServiceContainer(worker, 'web', { image: 'nginx:1.27' });
    const model = StackModel.build(stack);
    expect(model.containerOf(web.resource)?.engine).toBe('docker.worker');
    expect(model.engines).toEqual([{ key: 'docker' }, { key: 'docker.worker', alias: 'worker', host: 'tcp://10.0.0.3:2376' }]);
  });

  test.each([
    ['the voting app', () => new VotingAppStack(Testing.app(), 'voting-app', { images: PUBLIC_IMAGES })],
    ['tokens, escape hatches and a network by name', trickyStack],
  ])('reads the containers of %s as cdk.tf.json holds them', (_name, make) => {
    expect(modelContainers(make())).toEqual(synthesizedContainers(make()));
  });

  test('sees an override on the stack itself', () => {
    const stack = trickyStack();
    stack.addOverride('resource.docker_container.raw.privileged', true);
    expect((modelContainers(stack).raw as any).privileged).toBe(true);
  });

  test('resolves the network a container names by reference, also one referred to by name', () => {
    const networks = StackModel.build(trickyStack()).containers.find((c) => c.name === 'web')!.networks;
    expect(networks.map((n) => [n.networkName, n.names, n.isolated])).toEqual([
      ['shared-network', ['web', 'www'], false],
      ['own-network', ['web'], true],
    ]);
  });

  test('is built once a synth for the pack, the reachability check and both reports', () => {
    const stack = newStack();
    const net = new Network(stack, 'net', { name: 'app-network' });
    const a = new ServiceContainer(stack, 'aa', { image: 'nginx:1.27', networks: [{ network: net }] });
    const b = new ServiceContainer(stack, 'bb', { image: 'nginx:1.27', networks: [{ network: net }] });
    Reachability.of(stack).allow(a, b);
    DockerPolicy.applyTo(stack);
    const build = jest.spyOn(StackModel, 'build');
    try {
      PolicyTesting.synth(stack);
      expect(build).toHaveBeenCalledTimes(1);
    } finally {
      build.mockRestore();
    }
  });

  test('is built anew for the next synth, which sees what was added in between', () => {
    const stack = newStack();
    const net = new Network(stack, 'net', { name: 'app-network' });
    new ServiceContainer(stack, 'aa', { image: 'nginx:1.27', networks: [{ network: net }] });
    DockerPolicy.applyTo(stack);
    expect(PolicyTesting.synth(stack).reachabilityReport).toContain('| app-network | aa (aa) | allowed |');
    new ServiceContainer(stack, 'bb', { image: 'nginx:1.27', networks: [{ network: net }] });
    expect(PolicyTesting.synth(stack).reachabilityReport).toContain('| app-network | aa (aa); bb (bb) | allowed |');
  });
});
