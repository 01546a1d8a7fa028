import { Construct } from 'constructs';
import { FOR_EXPRESSION_VALUE, IResolvable, Lazy, TerraformOutput, TerraformStack, forExpression, propertyAccess } from 'cdktf';
import { Engine } from '../engine/engine';
import { INetwork, Network } from '../network/network';
import { ServiceContainer } from './service-container';

export interface NetworkInventoryProps {
  /**
   * The name of the stack output.
   * @default 'networks'
   */
  readonly outputName?: string;
}

/**
 * A stack output listing every network of the stack, by Docker name (after the engine's alias for a network on an
 * `Engine` with one: `worker/backend`), with its id, its subnets as Docker reports
 * them and the containers attached to it: `docker network ls` and `docker network inspect` as `cdktf output`.
 *
 * The list is computed at synth, so containers and networks added after this construct are included. Each network's
 * `ipam` is a list of `{ subnet, gateway, ip_range }` as Docker reports them.
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
    const networks = [...new Set([...constructs.filter(Network.isINetwork), ...containers.flatMap((c) => c.attachments.map((a) => a.network))])];
    return Object.fromEntries(
      networks.map((network) => [
        inventoryKey(network),
        {
          id: network.networkId,
          ipam: ipamSummary(network.ipamConfig),
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

/** The network's Docker name; on an engine with an alias, after the alias (`worker/backend`): names are per engine. */
function inventoryKey(network: INetwork): string {
  const alias = Engine.of(network)?.alias;
  return alias === undefined ? network.name : `${alias}/${network.name}`;
}

/**
 * Subnet, gateway and IP range of each IPAM block, as a Terraform `for` expression over `ipam_config`.
 *
 * Not the raw `ipam_config`: for a network with a subnet in code the provider stores `aux_address = null` at create
 * and reads `{}` back from the engine on the next refresh, so a raw output would make the first `cdktf diff` after
 * every deploy that creates such a network report "Changes to Outputs" although nothing changed.
 */
function ipamSummary(ipamConfig: IResolvable): IResolvable {
  const field = (name: string) => propertyAccess(FOR_EXPRESSION_VALUE, [name]);
  return forExpression(ipamConfig, { subnet: field('subnet'), gateway: field('gateway'), ip_range: field('ip_range') });
}
