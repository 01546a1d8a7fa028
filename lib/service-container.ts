import { createHash } from 'crypto';
import { isIPv4 } from 'net';
import { Construct, IConstruct } from 'constructs';
import { dependable } from 'cdktf';
import { Container } from '@cdktf/provider-docker/lib/container';
import { Image } from '@cdktf/provider-docker/lib/image';
import { Capabilities, NO_NEW_PRIVILEGES, TmpfsMount, toProviderCapabilities, toProviderTmpfs } from './container-security';
import { Healthcheck } from './healthcheck';
import { toLabels } from './labels';
import { INetwork, Network } from './network';
import { RestartPolicy } from './restart-policy';
import { Size } from './size';
import { Volume } from './volume';
import {
  ValidationError,
  cidrContains,
  constructLabel,
  constructsBefore,
  isKnown,
  validateAlias,
  validateContainerPath,
  validateDockerName,
  validatePort,
} from './validation';

/** The transport protocol of a published port. */
export enum Protocol {
  TCP = 'tcp',
  UDP = 'udp',
}

/** A container port published on the host (`docker run -p HOST_IP:EXTERNAL:INTERNAL/PROTOCOL`). */
export interface PortMapping {
  /** The port the process listens on inside the container. */
  readonly internal: number;

  /**
   * The port on the host.
   * @default - Docker picks a free host port
   */
  readonly external?: number;

  /**
   * The host address the port is published on.
   * @default '0.0.0.0' - every host interface, as `docker run -p` does
   */
  readonly hostIp?: string;

  /**
   * @default Protocol.TCP
   */
  readonly protocol?: Protocol;
}

/** How a container joins one network (`docker network connect`). */
export interface ConnectOptions {
  /**
   * Extra names under which the container answers on this network only (`--alias`).
   * @default - only the container's name
   */
  readonly aliases?: string[];

  /**
   * A fixed IPv4 address; the network must have a `subnet` that contains it.
   * @default - Docker assigns a free address
   */
  readonly ipv4Address?: string;
}

/** A container's attachment to one network. */
export interface NetworkAttachment extends ConnectOptions {
  readonly network: INetwork;
}

/** A named volume mounted into the container (`docker run -v NAME:PATH`). */
export interface VolumeMount {
  readonly volume: Volume;
  /** Absolute path inside the container, e.g. `/var/lib/postgresql/data`. */
  readonly path: string;
  /**
   * @default false
   */
  readonly readOnly?: boolean;
}

/** A file written into the container before it starts. Its content is stored in Terraform state. */
export interface ContainerFile {
  /** Absolute path inside the container. */
  readonly path: string;
  readonly content: string;
  /**
   * @default false
   */
  readonly executable?: boolean;
}

export interface ServiceContainerProps {
  /**
   * The container's Docker name; peers on a shared network resolve it through Docker's embedded DNS.
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * The image reference, e.g. `redis:7.4-alpine` or a locally built `voting-app-local/redis:local`.
   * An image already on the engine is used as it is; a missing one is pulled.
   */
  readonly image: string;

  /**
   * Delete the image from the engine when the container is destroyed.
   * @default false - the image stays, so a locally built image survives `cdktf destroy`
   */
  readonly removeImageOnDestroy?: boolean;

  /**
   * The command, replacing the image's `CMD`.
   * @default - the image's command
   */
  readonly command?: string[];

  /**
   * The entrypoint, replacing the image's `ENTRYPOINT`.
   * @default - the image's entrypoint
   */
  readonly entrypoint?: string[];

  /**
   * Environment variables.
   * @default - none beyond the image's
   */
  readonly env?: Record<string, string>;

  /**
   * Ports published on the host.
   * @default - no ports are published; peers on shared networks still reach every port
   */
  readonly ports?: PortMapping[];

  /**
   * The networks the container is attached to, with per-network aliases.
   * @default - none here; attach with `connect()`. A container with no network ends up on Docker's default bridge,
   * where names do not resolve.
   */
  readonly networks?: NetworkAttachment[];

  /**
   * @default RestartPolicy.UNLESS_STOPPED - a crashed service comes back; one stopped by hand (`docker stop` or
   * `docker kill`) stays stopped
   */
  readonly restartPolicy?: RestartPolicy;

  /**
   * How Docker tells that the container is healthy.
   * @default - none: the container counts as ready as soon as it runs
   */
  readonly healthcheck?: Healthcheck;

  /**
   * With a healthcheck: the deploy finishes only once the container is healthy, and fails if it turns unhealthy.
   * Containers that depend on this one then start after it can serve.
   * @default true when a healthcheck is set
   */
  readonly waitForHealthy?: boolean;

  /**
   * The signal `docker stop` sends first (`--stop-signal`), e.g. `SIGINT` for PostgreSQL's fast shutdown.
   * @default - the image's stop signal, SIGTERM unless the image says otherwise
   */
  readonly stopSignal?: string;

  /**
   * Memory limit (`--memory`).
   * @default - no limit
   */
  readonly memoryLimit?: Size;

  /**
   * CPU limit in CPUs (`--cpus`), e.g. 0.5 for half a core.
   * @default - no limit
   */
  readonly cpuLimit?: number;

  /**
   * Labels on the container.
   * @default - no labels
   */
  readonly labels?: Record<string, string>;

  /**
   * Containers created (and, where they have a healthcheck, healthy) before this one.
   * @default - none
   */
  readonly dependsOn?: ServiceContainer[];

  /**
   * Named volumes mounted into the container: data that survives the container's replacement.
   * @default - none: what the container writes goes with it
   */
  readonly volumes?: VolumeMount[];

  /**
   * Files written into the container before it starts, e.g. a secret read through a `*_FILE` variable.
   * @default - none
   */
  readonly files?: ContainerFile[];

  /**
   * Mount the image's root filesystem read-only (`--read-only`); give the process scratch space with `tmpfs`.
   * Docker refuses to copy `files` into a read-only root filesystem, so the two do not combine.
   * @default false - many images write into their root filesystem (pid files, caches), and would fail at run time
   */
  readonly readOnlyRootFilesystem?: boolean;

  /**
   * tmpfs mounts (`--tmpfs`), e.g. `[{ path: '/tmp', size: Size.mebibytes(16) }]` for a read-only image.
   * @default - none
   */
  readonly tmpfs?: TmpfsMount[];

  /**
   * Linux capabilities to drop and add, e.g. `{ drop: [Capability.ALL], add: [Capability.NET_BIND_SERVICE] }`.
   * @default - Docker's default set: images that start as root and switch to their own user (postgres, redis)
   * need CHOWN, SETUID and SETGID from it
   */
  readonly capabilities?: Capabilities;

  /**
   * Stop processes from gaining privileges through setuid binaries or file capabilities
   * (`--security-opt no-new-privileges`). A root entrypoint that switches to its own user (gosu, su-exec,
   * setpriv) still works.
   * @default true - service images rarely need setuid binaries; set false for one that does (e.g. sudo)
   */
  readonly noNewPrivileges?: boolean;

  /**
   * The user (and group) the process runs as (`--user`), e.g. `'10001'` or `'app:app'`.
   * @default - the image's `USER`
   */
  readonly user?: string;

  /**
   * More security options (`--security-opt`), e.g. `'seccomp=/path/profile.json'` or `'apparmor=my-profile'`.
   * @default - none beyond `no-new-privileges` (see `noNewPrivileges`)
   */
  readonly securityOptions?: string[];
}

const CPU_PERIOD = 100_000;

/**
 * Label whose value changes with the settings that Docker cannot change on a running container (healthcheck, CPU
 * limit). The provider plans such changes as in-place updates that never reach the engine; a label change replaces
 * the container, so the change takes effect.
 */
export const REPLACE_ON_CHANGE_LABEL = 'cdktf-docker-networking.replace-on-change';

function replaceOnChangeLabel(props: ServiceContainerProps): Record<string, string> {
  if (props.healthcheck === undefined && props.cpuLimit === undefined) return {};
  const settings = JSON.stringify({ healthcheck: props.healthcheck?.toProvider(), cpuLimit: props.cpuLimit });
  return { [REPLACE_ON_CHANGE_LABEL]: createHash('sha256').update(settings).digest('hex').slice(0, 12) };
}

const SERVICE_CONTAINER = Symbol.for('cdktf-docker-networking.ServiceContainer');

/** One long-running container (`docker run -d`) with its networks, aliases and published ports. */
export class ServiceContainer extends Construct {
  /** True for a ServiceContainer, also one from another copy of this library. */
  public static isServiceContainer(x: unknown): x is ServiceContainer {
    return typeof x === 'object' && x !== null && SERVICE_CONTAINER in x;
  }

  /** The container's Docker name. */
  public readonly name: string;

  /** The provider's `docker_container` resource, for what this construct does not model. */
  public readonly resource: Container;

  /** The provider's `docker_image` resource the container runs. */
  public readonly image: Image;

  public readonly healthcheck?: Healthcheck;

  private readonly _attachments: NetworkAttachment[] = [];
  private readonly _ports: PortMapping[] = [];
  private readonly _env: Record<string, string> = {};
  private readonly _dependencies = new Set<ServiceContainer>();

  constructor(scope: Construct, id: string, props: ServiceContainerProps) {
    super(scope, id);
    Object.defineProperty(this, SERVICE_CONTAINER, { value: true });
    this.name = props.name ?? id;
    validateDockerName(this, 'container', this.name);
    if (props.cpuLimit !== undefined && isKnown(props.cpuLimit) && !(props.cpuLimit > 0)) {
      throw new ValidationError(this, `cpuLimit ${props.cpuLimit} must be a positive number of CPUs, e.g. 0.5.`);
    }
    if (props.readOnlyRootFilesystem && (props.files ?? []).length > 0) {
      throw new ValidationError(
        this,
        'readOnlyRootFilesystem and files do not combine: Docker refuses to copy files into a read-only root ' +
          'filesystem ("container rootfs is marked read-only"); drop one of the two.',
      );
    }
    this.healthcheck = props.healthcheck;
    const restart = props.restartPolicy ?? RestartPolicy.UNLESS_STOPPED;
    const waitForHealthy = props.healthcheck !== undefined && (props.waitForHealthy ?? true);

    this.image = new Image(this, 'Image', {
      name: props.image,
      keepLocally: !(props.removeImageOnDestroy ?? false),
    });

    this.resource = new Container(this, 'Resource', {
      name: this.name,
      image: this.image.imageId,
      command: props.command,
      entrypoint: props.entrypoint,
      stopSignal: props.stopSignal,
      restart: restart.mode,
      maxRetryCount: restart.maxRetries,
      healthcheck: props.healthcheck?.toProvider(),
      wait: waitForHealthy ? true : undefined,
      waitTimeout: waitForHealthy ? Math.max(60, props.healthcheck!.timeToUnhealthy.toSeconds()) : undefined,
      // Without memory_swap Docker sets twice the memory, the provider reads it back and every plan shows a diff.
      memory: props.memoryLimit?.toMebibytes(),
      memorySwap: props.memoryLimit?.toMebibytes(),
      // The provider (3.6.2) crashes on `cpus`; a quota over the default 100 ms period is the same limit.
      cpuPeriod: props.cpuLimit !== undefined ? CPU_PERIOD : undefined,
      cpuQuota: props.cpuLimit !== undefined ? Math.round(props.cpuLimit * CPU_PERIOD) : undefined,
      labels: toLabels({ ...props.labels, ...replaceOnChangeLabel(props) }),
      volumes: props.volumes?.map((mount) => {
        validateContainerPath(this, 'volume path', mount.path, '/data');
        return { volumeName: mount.volume.volumeName, containerPath: mount.path, readOnly: mount.readOnly };
      }),
      upload: props.files?.map((file) => ({
        file: file.path,
        content: file.content,
        executable: file.executable,
      })),
      readOnly: props.readOnlyRootFilesystem ? true : undefined,
      tmpfs: toProviderTmpfs(this, props.tmpfs),
      capabilities: toProviderCapabilities(props.capabilities),
      securityOpts: securityOptions(props),
      user: props.user,
    });

    for (const [key, value] of Object.entries(props.env ?? {})) this.addEnvironment(key, value);
    for (const port of props.ports ?? []) this.addPort(port);
    for (const { network, ...options } of props.networks ?? []) this.connect(network, options);
    this.addDependency(...(props.dependsOn ?? []));

    this.node.addValidation({ validate: () => this.checkAgainstOtherContainers() });
  }

  /** The networks this container is attached to, in the order they were added. */
  public get attachments(): readonly NetworkAttachment[] {
    return [...this._attachments];
  }

  /** The ports this container publishes. */
  public get ports(): readonly PortMapping[] {
    return [...this._ports];
  }

  /** Attaches the container to one more network (`docker network connect [--alias A] NETWORK CONTAINER`). */
  public connect(network: INetwork, options: ConnectOptions = {}): void {
    if (this._attachments.some((a) => a.network === network)) {
      throw new ValidationError(
        this,
        `is already attached to network ${network.node.path}; give all its aliases in that one attachment.`,
      );
    }
    const aliases = [...new Set(options.aliases ?? [])];
    aliases.forEach((alias) => validateAlias(this, alias));
    this.validateIpv4Address(network, options.ipv4Address);
    this._attachments.push({ network, aliases, ipv4Address: options.ipv4Address });
    this.resource.putNetworksAdvanced(
      // By id, not name: a replaced network then replaces its containers first, instead of failing to delete
      // a network that still has containers on it.
      this._attachments.map((a) => ({
        name: a.network.networkId,
        aliases: a.aliases && a.aliases.length > 0 ? a.aliases : undefined,
        ipv4Address: a.ipv4Address,
      })),
    );
  }

  /** Publishes one more port on the host. */
  public addPort(port: PortMapping): void {
    validatePort(this, 'internal port', port.internal);
    validatePort(this, 'external port', port.external);
    const clash = this._ports.find((other) => portsClash(other, port));
    if (clash) {
      throw new ValidationError(this, `publishes ${describePort(port)} twice; remove one of the two port mappings.`);
    }
    this._ports.push(port);
    this.resource.putPorts(
      this._ports.map((p) => ({ internal: p.internal, external: p.external, ip: p.hostIp, protocol: p.protocol })),
    );
  }

  /** Sets one environment variable. */
  public addEnvironment(key: string, value: string): void {
    if (isKnown(key) && (key === '' || key.includes('='))) {
      throw new ValidationError(this, `environment variable name "${key}" is empty or contains "="; rename it.`);
    }
    this._env[key] = value;
    this.resource.env = Object.entries(this._env).map(([k, v]) => `${k}=${v}`);
  }

  /** Creates this container after `containers`, and after they are healthy where they have a healthcheck. */
  public addDependency(...containers: ServiceContainer[]): void {
    const added = containers.filter((c) => c !== this && !this._dependencies.has(c));
    if (added.length === 0) return;
    added.forEach((c) => this._dependencies.add(c));
    this.resource.dependsOn = [...this._dependencies].map((c) => dependable(c.resource));
  }


  private validateIpv4Address(network: INetwork, address: string | undefined): void {
    if (address === undefined || !isKnown(address)) return;
    if (!isIPv4(address)) {
      throw new ValidationError(this, `ipv4Address "${address}" is not an IPv4 address; write it like "172.28.0.10".`);
    }
    if (network instanceof Network && network.subnet === undefined) {
      throw new ValidationError(
        this,
        `ipv4Address ${address} needs a network with a user-defined subnet, and ${network.node.path} has none; ` +
          'set `subnet` on that network.',
      );
    }
    const ipv4Subnets = network.declaredSubnets.filter((s) => s.family === 'ipv4');
    if (ipv4Subnets.length > 0 && !ipv4Subnets.some((subnet) => cidrContains(subnet, address))) {
      const cidrs = ipv4Subnets.map((s) => `${s.address}/${s.prefix}`).join(', ');
      throw new ValidationError(
        this,
        `ipv4Address ${address} is outside the subnet ${cidrs} of network ${network.node.path}; pick an address inside it.`,
      );
    }
  }

  /** Clashes that Docker would only report halfway through an apply: names, host ports and aliases. */
  private checkAgainstOtherContainers(): string[] {
    const errors: string[] = [];
    // Each clash is reported once, on the later of the two containers.
    const earlier = constructsBefore(this).filter((c): c is ServiceContainer => isOther(this, c));
    const sameName = earlier.find((c) => c.name === this.name);
    if (sameName && isKnown(this.name)) {
      errors.push(
        `${constructLabel(this)}: container name "${this.name}" is already used by ${constructLabel(sameName)}; ` +
          'Docker container names are unique on an engine, so give one of them another `name`.',
      );
    }
    for (const port of this._ports) {
      const owner = earlier.find((c) => c._ports.some((p) => portsClash(p, port)));
      if (owner) {
        errors.push(
          `${constructLabel(this)}: host port ${describePort(port)} is already published by ${constructLabel(owner)}; ` +
            'Docker can bind it only once, so change `external` (or `hostIp`) on one of them.',
        );
      }
    }
    for (const attachment of this._attachments) {
      for (const alias of attachment.aliases ?? []) {
        const owner = earlier.find((c) => c.answersTo(attachment.network, alias));
        if (owner) errors.push(aliasClash(this, alias, attachment.network, owner));
      }
      const aliasOwner = isKnown(this.name)
        ? earlier.find((c) => c.aliasesOn(attachment.network).includes(this.name))
        : undefined;
      if (aliasOwner) errors.push(aliasClash(this, this.name, attachment.network, aliasOwner));
    }
    return errors;
  }

  private aliasesOn(network: INetwork): string[] {
    return this._attachments.find((a) => a.network === network)?.aliases ?? [];
  }

  /** True when this container answers to `name` on `network`: by its own name or by an alias. */
  private answersTo(network: INetwork, name: string): boolean {
    if (!isKnown(name) || !this._attachments.some((a) => a.network === network)) return false;
    return this.name === name || this.aliasesOn(network).includes(name);
  }
}

/** `no-new-privileges` (unless turned off) followed by the caller's options. */
function securityOptions(props: ServiceContainerProps): string[] | undefined {
  const options = [...((props.noNewPrivileges ?? true) ? [NO_NEW_PRIVILEGES] : []), ...(props.securityOptions ?? [])];
  return options.length > 0 ? [...new Set(options)] : undefined;
}

function isOther(self: ServiceContainer, c: IConstruct): c is ServiceContainer {
  return c !== self && ServiceContainer.isServiceContainer(c);
}

function aliasClash(self: ServiceContainer, name: string, network: INetwork, owner: ServiceContainer): string {
  return (
    `${constructLabel(self)}: the name "${name}" on network ${network.node.path} already belongs to ` +
    `${constructLabel(owner)}; Docker's DNS would answer it with either container, so pick another alias.`
  );
}

const ALL_INTERFACES = new Set([undefined, '0.0.0.0', '::', '']);

/** Two mappings clash when they bind the same host port and protocol on overlapping host addresses. */
function portsClash(a: PortMapping, b: PortMapping): boolean {
  if (a.external === undefined || b.external === undefined) return false;
  if (!isKnown(a.external) || !isKnown(b.external) || !isKnown(a.hostIp) || !isKnown(b.hostIp)) return false;
  if (a.external !== b.external || (a.protocol ?? Protocol.TCP) !== (b.protocol ?? Protocol.TCP)) return false;
  return a.hostIp === b.hostIp || ALL_INTERFACES.has(a.hostIp) || ALL_INTERFACES.has(b.hostIp);
}

function describePort(port: PortMapping): string {
  return `${port.hostIp ?? '0.0.0.0'}:${port.external}/${port.protocol ?? Protocol.TCP}`;
}
