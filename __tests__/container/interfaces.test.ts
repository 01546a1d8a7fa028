import { Construct } from 'constructs';
import { Testing, TerraformStack } from 'cdktf';
import { Container } from '@cdktf/provider-docker/lib/container';
import { Volume as DockerVolume } from '@cdktf/provider-docker/lib/volume';
import { IServiceContainer, IVolume, PolicyTesting, Reachability, ServiceContainer, Network } from '../../lib';
import { newStack, onlyResource, resourcesOf } from '../helpers';

/** A container of the user's own, written straight against the provider, behind the library's interface. */
class SidecarContainer extends Construct implements IServiceContainer {
  public readonly name = 'sidecar';
  public readonly resource: Container;
  constructor(scope: Construct, id: string, network: Network) {
    super(scope, id);
    this.resource = new Container(this, 'Resource', { name: this.name, image: 'sidecar:1.0', networksAdvanced: [{ name: network.networkId }] });
  }
}

/** A volume of the user's own. */
class ScratchVolume extends Construct implements IVolume {
  public readonly name = 'scratch';
  public readonly volumeName: string;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.volumeName = new DockerVolume(this, 'Resource', { name: this.name }).name;
  }
}

function containerNamed(stack: TerraformStack, name: string): any {
  return Object.values(resourcesOf(Testing.synth(stack), 'docker_container')).find((c: any) => c.name === name);
}

describe('interfaces accepted wherever a container or a volume is referenced', () => {
  test('dependsOn takes any IServiceContainer', () => {
    const stack = newStack();
    const net = new Network(stack, 'net');
    const sidecar = new SidecarContainer(stack, 'sidecar', net);
    new ServiceContainer(stack, 'app', { image: 'app:1.0', dependsOn: [sidecar] });
    expect(containerNamed(stack, 'app').depends_on).toEqual([expect.stringMatching(/^docker_container\.sidecar_[0-9A-F]+$/)]);
  });

  test('a volume mount takes any IVolume', () => {
    const stack = newStack();
    new ServiceContainer(stack, 'app', { image: 'app:1.0', volumes: [{ volume: new ScratchVolume(stack, 'scratch'), path: '/scratch' }] });
    expect(onlyResource(Testing.synth(stack), 'docker_container').volumes).toEqual([
      { volume_name: expect.stringMatching(/^\$\{docker_volume\.scratch_[0-9A-F]+\.name\}$/), container_path: '/scratch' },
    ]);
  });

  test('a declared flow takes any IServiceContainer', () => {
    const stack = newStack();
    const net = new Network(stack, 'net');
    const sidecar = new SidecarContainer(stack, 'sidecar', net);
    const app = new ServiceContainer(stack, 'app', { image: 'app:1.0', networks: [{ network: net }] });
    Reachability.of(stack).allow(app, sidecar);
    expect(PolicyTesting.synth(stack).ruleIds('error')).toEqual([]);
    expect(Reachability.of(stack).flows).toEqual([expect.objectContaining({ from: app.resource, to: sidecar.resource, needed: true })]);
  });
});
