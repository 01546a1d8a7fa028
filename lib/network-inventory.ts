import { Construct, IConstruct } from 'constructs';
import { Lazy, TerraformOutput, TerraformStack } from 'cdktf';
import { INetwork } from './network';
import { ServiceContainer } from './service-container';

export interface NetworkInventoryProps {
  /**
   * The name of the stack output.
   * @default 'networks'
   */
  readonly outputName?: string;
}

/**
 * A stack output listing every network of the stack, by Docker name, with its id, its subnets as Docker reports
 * them and the containers attached to it: `docker network ls` and `docker network inspect` as `cdktf output`.
 *
 * The list is computed at synth, so containers and networks added after this construct are included.
 */
export class NetworkInventory extends Construct {
  public readonly output: TerraformOutput;

  constructor(scope: Construct, id: string, props: NetworkInventoryProps = {}) {
    super(scope, id);
    this.output = new TerraformOutput(this, 'Output', {
      value: Lazy.anyValue({ produce: () => this.inventory() }),
      description: 'Networks of this stack: Docker name, id, subnets and attached containers.',
    });
    this.output.overrideLogicalId(props.outputName ?? 'networks');
  }

  private inventory(): Record<string, unknown> {
    const constructs = TerraformStack.of(this).node.findAll();
    const containers = constructs.filter(ServiceContainer.isServiceContainer);
    const networks = [...new Set([...constructs.filter(isNetwork), ...containers.flatMap((c) => c.attachments.map((a) => a.network))])];
    return Object.fromEntries(
      networks.map((network) => [
        network.name,
        {
          id: network.networkId,
          ipam: network.ipamConfig,
          members: containers
            .filter((c) => c.attachments.some((a) => a.network === network))
            .map((c) => ({
              container: c.name,
              aliases: c.attachments.find((a) => a.network === network)?.aliases ?? [],
            })),
        },
      ]),
    );
  }
}

function isNetwork(c: IConstruct): c is INetwork {
  return 'networkName' in c && 'declaredSubnets' in c && 'ipamConfig' in c;
}
