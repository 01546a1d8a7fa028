import { createHash } from 'crypto';
import { Construct, IConstruct } from 'constructs';
import { IResolvable } from 'cdktf';
import { Network as DockerNetwork } from '@cdktf/provider-docker/lib/network';
import { DataDockerNetwork } from '@cdktf/provider-docker/lib/data-docker-network';
import { hasBrand, registerConstruct } from '../core/brand';
import { ClashSource, addClashSource } from '../core/clashes';
import { BRIDGE_OPTION_PREFIX, ENABLE_ICC_OPTION, OVERLAY_ENCRYPTED_OPTION, OVERLAY_VXLAN_OPTION } from '../core/docker-options';
import { DockerNames, validateDockerName } from '../core/docker-names';
import { ValidationError, constructLabel, isKnown } from '../core/errors';
import { parseIpAddress } from '../core/ip-address';
import { objectLabels } from '../core/labels';
import { claimedEngines, providerOf, requireManager } from '../engine/placement';
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
   * Let standalone containers attach to an overlay network (`docker network create --attachable`), e.g. a probe
   * or a one-off job next to a Swarm service.
   * @default false
   */
  readonly attachable?: boolean;

  /**
   * Encrypt the traffic of an overlay network between the nodes of a swarm (IPsec, the overlay driver option
   * `encrypted`). Overlay networks only; traffic between tasks on one node never leaves it.
   * @default false
   */
  readonly encrypted?: boolean;

  /**
   * The VXLAN id of an overlay network (the driver option `com.docker.network.driver.overlay.vxlanid_list`), unique
   * in the swarm. Docker reports the id it picked as a driver option, and the provider replaces a network whose
   * options differ from the code: writing the id out keeps `cdktf diff` empty after a deploy.
   * @default - for an overlay network, an id in 4097-16777215 derived from the network's name
   */
  readonly vxlanId?: number;

  /**
   * The network's IPv4 or IPv6 subnet in CIDR notation, e.g. `172.28.0.0/16` or `fd00:28::/64`: the network
   * address, without host bits set. An IPv6 subnet turns on IPv6 for the network (`docker network create --ipv6`),
   * without which Docker ignores it; the containers then also get an IPv4 address from Docker's default pools.
   * @default - Docker picks a free IPv4 subnet from its default pools, and the network has no IPv6
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
        registerConstruct(this, 'INetwork');
        validateDockerName(this, 'network', name);
        this.resource = new DataDockerNetwork(this, 'Resource', { name, provider: providerOf(this) });
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

  /** The driver, e.g. `NetworkDriver.OVERLAY` for a network that spans the nodes of a swarm. */
  public readonly driver: NetworkDriver;

  /** Standalone containers may attach to this overlay network. */
  public readonly attachable: boolean;

  /** The provider's `docker_network` resource, for what this construct does not model. */
  public readonly resource: DockerNetwork;

  constructor(scope: Construct, id: string, props: NetworkProps = {}) {
    super(scope, id);
    registerConstruct(this, 'Network', 'INetwork');
    this.name = DockerNames.prefixOf(this) + (props.name ?? id);
    this.subnet = props.subnet;
    this.driver = props.driver ?? NetworkDriver.BRIDGE;
    this.attachable = props.attachable ?? false;
    validateDockerName(this, 'network', this.name);
    if (this.driver.name === NetworkDriver.OVERLAY.name) requireManager(this, 'an overlay network');
    this.validateDriverOptions(props);
    this.declaredSubnets = this.validateAddressing(props);

    this.resource = new DockerNetwork(this, 'Resource', {
      provider: providerOf(this),
      name: this.name,
      driver: this.driver.name,
      internal: props.internal,
      attachable: props.attachable,
      ipv6: this.declaredSubnets.some((subnet) => subnet.family === 'ipv6') ? true : undefined,
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

    addClashSource(this, NETWORK_CLASHES);
  }

  private driverOptions(props: NetworkProps): Record<string, string> | undefined {
    if (this.driver.name === NetworkDriver.OVERLAY.name) {
      const options = { ...props.options };
      if (props.encrypted) options[OVERLAY_ENCRYPTED_OPTION] = 'true';
      options[OVERLAY_VXLAN_OPTION] ??= String(props.vxlanId ?? defaultVxlanId(this.name));
      return options;
    }
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

  /** Options of one driver on a network of another: Docker ignores them silently, so the intent would be lost. */
  private validateDriverOptions(props: NetworkProps): void {
    const overlay = this.driver.name === NetworkDriver.OVERLAY.name;
    const driver = `the ${this.driver.name} driver`;
    if (!overlay) {
      const swarmOnly = [
        props.encrypted !== undefined ? '`encrypted`' : undefined,
        props.vxlanId !== undefined ? '`vxlanId`' : undefined,
        ...Object.keys(props.options ?? {})
          .filter((key) => key === OVERLAY_ENCRYPTED_OPTION || key === OVERLAY_VXLAN_OPTION)
          .map((key) => `option "${key}"`),
      ].filter((x): x is string => x !== undefined);
      if (swarmOnly.length > 0) {
        throw new ValidationError(
          this,
          `${swarmOnly.join(' and ')} ${swarmOnly.length > 1 ? 'are' : 'is'} an overlay option, and this network uses ${driver}, ` +
            'which ignores it; set `driver: NetworkDriver.OVERLAY` for a Swarm network, or remove it.',
        );
      }
      return;
    }
    const bridgeOnly = [
      props.interContainerTraffic !== undefined ? '`interContainerTraffic`' : undefined,
      ...Object.keys(props.options ?? {})
        .filter((key) => key.startsWith(BRIDGE_OPTION_PREFIX))
        .map((key) => `option "${key}"`),
    ].filter((x): x is string => x !== undefined);
    if (bridgeOnly.length > 0) {
      throw new ValidationError(
        this,
        `${bridgeOnly.join(' and ')} ${bridgeOnly.length > 1 ? 'are' : 'is'} a bridge option, and this network uses ${driver}, ` +
          'which ignores it (an overlay network always lets its members reach each other); remove it, or split the ' +
          'services over more overlay networks.',
      );
    }
    if (props.vxlanId !== undefined && isKnown(props.vxlanId) && !(Number.isInteger(props.vxlanId) && props.vxlanId >= 1 && props.vxlanId <= MAX_VXLAN_ID)) {
      throw new ValidationError(this, `vxlanId ${props.vxlanId} is not a VXLAN id; use a whole number from 1 to ${MAX_VXLAN_ID}.`);
    }
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
    if (props.gateway !== undefined && isKnown(props.gateway)) {
      if (parseIpAddress(props.gateway) === undefined) {
        throw new ValidationError(
          this,
          `gateway "${props.gateway}" is not an IP address; write one inside subnet ${props.subnet}, e.g. "${firstHostAddress(subnet)}".`,
        );
      }
      if (!cidrContains(subnet, props.gateway)) {
        throw new ValidationError(this, `gateway ${props.gateway} is outside subnet ${props.subnet}; pick an address inside it.`);
      }
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

const MAX_VXLAN_ID = 16_777_215;
/** Docker's own overlay networks take VXLAN ids from 4097 up (4096 and below are left to VLANs). */
const FIRST_VXLAN_ID = 4097;

/** A VXLAN id from the network's name: stable across synths, and unlikely to meet another name's in 16.7 million. */
function defaultVxlanId(name: string): number {
  const hash = createHash('sha256').update(name).digest().readUInt32BE(0);
  return FIRST_VXLAN_ID + (hash % (MAX_VXLAN_ID - FIRST_VXLAN_ID + 1));
}

/** Networks in the stack-wide clash check: Docker refuses a second network of one name, halfway through an apply. */
const NETWORK_CLASHES: ClashSource = {
  kind: 'network',
  rank: 0,
  claimsOf: (construct) =>
    Network.isNetwork(construct)
      ? { name: construct.name, engines: claimedEngines(construct, construct.driver.name === NetworkDriver.OVERLAY.name) }
      : undefined,
  nameTaken: (name, holder) =>
    `network name "${name}" is already used by ${constructLabel(holder.construct)} in this stack; ` +
    'Docker network names are unique on an engine, so give one of them another `name`.',
};
