import * as cdktf from 'cdktf';
import * as constructs from 'constructs';
import * as lib from '../../lib';
import { PolicyTesting } from '../../lib';
import { newStack, synthValidated } from '../helpers';

/**
 * A second copy of the library, as an app gets when a package it uses bundles its own: fresh module instances of
 * every lib/ file (and of the provider bindings), sharing this process's cdktf and constructs.
 */
function secondCopy(): typeof lib {
  let copy: typeof lib | undefined;
  jest.isolateModules(() => {
    jest.doMock('cdktf', () => cdktf);
    jest.doMock('constructs', () => constructs);
    copy = require('../../lib');
  });
  return copy!;
}

describe('two copies of the library in one app', () => {
  const other = secondCopy();

  test('are separate module instances', () => {
    expect(other.Network).not.toBe(lib.Network);
  });

  test('recognise each other constructs through the one Symbol.for brand', () => {
    const stack = newStack();
    const network = new other.Network(stack, 'net');
    const container = new other.ServiceContainer(stack, 'app', { image: 'app:1.0' });
    const volume = new other.Volume(stack, 'data');
    expect(lib.Network.isNetwork(network)).toBe(true);
    expect(lib.Network.isINetwork(other.Network.fromName(stack, 'shared', 'corp-network'))).toBe(true);
    expect(lib.ServiceContainer.isServiceContainer(container)).toBe(true);
    expect(lib.Volume.isVolume(volume)).toBe(true);
    expect(lib.Network.isNetwork(container)).toBe(false);
  });

  test("place each other's constructs on their engines, and share the stack's default engine", () => {
    const stack = new cdktf.TerraformStack(cdktf.Testing.app(), 'test');
    const worker = new other.Engine(stack, 'worker');
    new lib.Engine(stack, 'lab', { stackDefault: true });
    const container = new lib.ServiceContainer(worker, 'app', { image: 'app:1.0' });
    expect(lib.Engine.of(container)).toBe(worker);
    expect(container.resource.provider).toBe(worker.provider);
    expect(other.Engine.of(stack)?.node.path).toBe('test/lab');
  });

  test('check container names across both copies, reporting the clash once', () => {
    const stack = newStack();
    new lib.ServiceContainer(stack, 'first', { name: 'web', image: 'app:1.0' });
    new other.ServiceContainer(stack, 'second', { name: 'web', image: 'app:1.0' });
    expect(() => synthValidated(stack)).toThrow(
      'ServiceContainer test/second: container name "web" is already used by ServiceContainer test/first',
    );
    const message = (() => {
      try {
        synthValidated(stack);
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    })();
    expect(message.split('container name "web" is already used').length - 1).toBe(1);
  });

  test('check network names across both copies', () => {
    const stack = newStack();
    new lib.Network(stack, 'a', { name: 'shared-net' });
    new other.Network(stack, 'b', { name: 'shared-net' });
    expect(() => synthValidated(stack)).toThrow('Network test/b: network name "shared-net" is already used by Network test/a');
  });

  test('check a fixed address against a network of the other copy', () => {
    const stack = newStack();
    const network = new other.Network(stack, 'net');
    const container = new lib.ServiceContainer(stack, 'app', { image: 'app:1.0' });
    expect(() => container.connect(network, { ipv4Address: '172.28.0.10' })).toThrow(
      'ipv4Address 172.28.0.10 needs a network with a user-defined IPv4 subnet, and test/net has none',
    );
  });

  test('share one Reachability per stack and honour suppressions made through the other copy', () => {
    const stack = newStack();
    lib.DockerPolicy.applyTo(stack);
    expect(other.Reachability.of(stack)).toBe(lib.Reachability.of(stack));
    const container = new other.ServiceContainer(stack, 'app', { image: 'app:1.0' });
    container.resource.privileged = true;
    other.DockerPolicy.suppress(container, [{ id: 'DKR1', reason: 'a test of suppressions across copies' }]);
    const result = PolicyTesting.synth(stack);
    expect(result.findings.find((f) => f.ruleId === 'DKR1')?.status).toBe(lib.FindingStatus.SUPPRESSED);
    expect(other.DockerPolicy.of(stack)).toBe(lib.DockerPolicy.of(stack));
  });

  test('find two voting apps of one prefix across both copies', () => {
    const stack = newStack();
    new lib.VotingApp(stack, 'blue', { databasePassword: 'secret-for-tests' });
    new other.VotingApp(stack, 'green', { databasePassword: 'secret-for-tests', votePort: 6000, resultPort: 6001 });
    expect(() => synthValidated(stack)).toThrow('VotingApp test/green: VotingApp test/blue in the same stack already uses');
  });
});
