import { Construct, IConstruct } from 'constructs';
import { IResolvable, TerraformStack } from 'cdktf';
import { Network as DockerNetwork } from '@cdktf/provider-docker/lib/network';
import { DataDockerNetwork } from '@cdktf/provider-docker/lib/data-docker-network';
import { brand, hasBrand } from '../core/brand';
import { addStackValidationOnce } from '../core/construct-tree';
import { ENABLE_ICC_OPTION } from '../core/docker-options';
import { DockerNames, validateDockerName } from '../core/docker-names';
import { ValidationError, constructLabel, isKnown } from '../core/errors';
import { checkFrameworkCopies } from '../core/framework-copies';
import { objectLabels } from '../core/labels';
import { Cidr, cidrContains, firstHostAddress, parseCidr } from './cidr';
import { NetworkDriver } from './network-driver';

/** A Docker network that containers can be attached to: one created by this app, or one that already exists. */
export interface INetwork extends IConstruct {
  /** The network's Docker name as written in code. */
  readonly name: string;

  /** The network's Docker name, as a reference: containers attached by it are created after the network. */
  readonly networkName: string;

  /** The network's Docker id. */
  readonly networkId: string;

  /**
   * The subnets declared in code, known at synth time.
   * Empty when Docker chooses the subnet or the network was not created by this app; then addresses are not checked.
   */
  readonly declaredSubnets: Cidr[];

  /** The subnets, gateways and IP ranges as Docker reports them, for outputs. */
  readonly ipamConfig: IResolvable;
}

export interface NetworkProps {
  /**
   * The network's Docker name (`docker network create NAME`), after the prefix of any enclosing
   * `DockerNames.prefix` scope.
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * The driver that implements the network.
   * @default NetworkDriver.BRIDGE
   */
  readonly driver?: NetworkDriver;

  /**
   * Cut the network off from the outside: containers on it reach each other but nothing beyond the host.
   * @default false
   */
  readonly internal?: boolean;

  /**
   * Let standalone containers attach to an overlay network.
   * @default false
   */
  readonly attachable?: boolean;

  /**
   * The network's IPv4 or IPv6 subnet in CIDR notation, e.g. `172.28.0.0/16`.
   * @default - Docker picks a free subnet from its default pools
   */
  readonly subnet?: string;

  /**
   * The gateway address; must lie in `subnet`.
   * @default - the first host address of `subnet` (Docker's own choice, written out so that plans stay stable)
   */
  readonly gateway?: string;

  /**
   * The part of `subnet` from which Docker assigns container addresses, in CIDR notation.
   * @default - the whole subnet
   */
  readonly ipRange?: string;

  /**
   * Labels on the network.
   * @default - no labels
   */
  readonly labels?: Record<string, string>;

  /**
   * Driver options (`docker network create --opt`).
   * @default - none
   */
  readonly options?: Record<string, string>;

  /**
   * Whether containers on this bridge network may reach each other (`--opt com.docker.network.bridge.enable_icc`).
   * `false` makes a network that only publishes ports: its members reach the host and the outside, not each other.
   * @default true - Docker's default: every member reaches every other on every port
   */
  readonly interContainerTraffic?: boolean;
}

/** A Docker network (`docker network create`). */
export class Network extends Construct implements INetwork {
  /** True for a network this library created, also with another copy of the library. */
  public static isNetwork(x: unknown): x is Network {
    return hasBrand(x, 'Network');
  }

  /** True for any `INetwork` of this library: created (`new Network`) or referred to (`Network.fromName`). */
  public static isINetwork(x: unknown): x is INetwork {
    return hasBrand(x, 'INetwork');
  }

  /** Refers to a network that exists already, by its Docker name (`docker network inspect NAME`). */
  public static fromName(scope: Construct, id: string, name: string): INetwork {
    class ImportedNetwork extends Construct implements INetwork {
      public readonly networkName: string;
      public readonly networkId: string;
      public readonly name = name;
      public readonly declaredSubnets: Cidr[] = [];
      public readonly ipamConfig: IResolvable;
      /** The provider's `docker_network` data source. */
      public readonly resource: DataDockerNetwork;

      constructor() {
        super(scope, id);
        brand(this, 'INetwork');
        checkFrameworkCopies(this);
        validateDockerName(this, 'network', name);
        this.resource = new DataDockerNetwork(this, 'Resource', { name });
        this.networkName = this.resource.name;
        this.networkId = this.resource.id;
        this.ipamConfig = this.resource.interpolationForAttribute('ipam_config');
      }
    }
    return new ImportedNetwork();
  }

  public readonly networkName: string;
  public readonly networkId: string;
  public readonly declaredSubnets: Cidr[];
  public readonly name: string;
  public readonly ipamConfig: IResolvable;

  /** The subnet given in code, if any. */
  public readonly subnet?: string;

  /** The provider's `docker_network` resource, for what this construct does not model. */
  public readonly resource: DockerNetwork;

  constructor(scope: Construct, id: string, props: NetworkProps = {}) {
    super(scope, id);
    brand(this, 'Network', 'INetwork');
    checkFrameworkCopies(this);
    this.name = DockerNames.prefixOf(this) + (props.name ?? id);
    this.subnet = props.subnet;
    validateDockerName(this, 'network', this.name);
    this.declaredSubnets = this.validateAddressing(props);

    this.resource = new DockerNetwork(this, 'Resource', {
      name: this.name,
      driver: (props.driver ?? NetworkDriver.BRIDGE).name,
      internal: props.internal,
      attachable: props.attachable,
      ipamConfig: props.subnet
        ? [
            {
              subnet: props.subnet,
              gateway: props.gateway ?? this.defaultGateway(),
              ipRange: props.ipRange,
            },
          ]
        : undefined,
      labels: objectLabels(this, props.labels),
      options: this.driverOptions(props),
    });
    this.networkName = this.resource.name;
    this.networkId = this.resource.id;
    this.ipamConfig = this.resource.interpolationForAttribute('ipam_config');

    addStackValidationOnce(this, 'network-names', checkNetworkNames);
  }

  private driverOptions(props: NetworkProps): Record<string, string> | undefined {
    if (props.interContainerTraffic === undefined) return props.options;
    const given = props.options?.[ENABLE_ICC_OPTION];
    const wanted = String(props.interContainerTraffic);
    if (given !== undefined && given !== wanted) {
      throw new ValidationError(
        this,
        `interContainerTraffic is ${wanted} but options sets ${ENABLE_ICC_OPTION}="${given}"; keep only \`interContainerTraffic\`.`,
      );
    }
    return { ...props.options, [ENABLE_ICC_OPTION]: wanted };
  }

  private validateAddressing(props: NetworkProps): Cidr[] {
    if (props.subnet === undefined) {
      if (props.gateway !== undefined || props.ipRange !== undefined) {
        throw new ValidationError(this, '`gateway` and `ipRange` need a `subnet`; set `subnet` too.');
      }
      return [];
    }
    if (!isKnown(props.subnet)) return [];
    const subnet = parseCidr(this, 'subnet', props.subnet);
    if (props.gateway !== undefined && isKnown(props.gateway) && !cidrContains(subnet, props.gateway)) {
      throw new ValidationError(this, `gateway ${props.gateway} is outside subnet ${props.subnet}; pick an address inside it.`);
    }
    if (props.ipRange !== undefined && isKnown(props.ipRange)) {
      const range = parseCidr(this, 'ipRange', props.ipRange);
      if (range.family !== subnet.family || range.prefix < subnet.prefix || !cidrContains(subnet, range.address)) {
        throw new ValidationError(this, `ipRange ${props.ipRange} is not inside subnet ${props.subnet}; pick a block inside it.`);
      }
    }
    return [subnet];
  }

  private defaultGateway(): string | undefined {
    const [subnet] = this.declaredSubnets;
    return subnet?.family === 'ipv4' ? firstHostAddress(subnet) : undefined;
  }
}

/** Docker refuses a second network of the same name; say so at synth rather than halfway through an apply. */
function checkNetworkNames(stack: TerraformStack): string[] {
  const byName = new Map<string, Network>();
  const errors: string[] = [];
  for (const network of stack.node.findAll().filter(Network.isNetwork)) {
    if (!isKnown(network.name)) continue;
    const earlier = byName.get(network.name);
    if (earlier) {
      errors.push(
        `${constructLabel(network)}: network name "${network.name}" is already used by ${constructLabel(earlier)} in this stack; ` +
          'Docker network names are unique on an engine, so give one of them another `name`.',
      );
    } else {
      byName.set(network.name, network);
    }
  }
  return errors;
}
