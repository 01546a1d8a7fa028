import { createHash } from 'crypto';
import * as path from 'path';
import { Construct } from 'constructs';
import { dependable } from 'cdktf';
import { Container } from '@cdktf/provider-docker/lib/container';
import { Image } from '@cdktf/provider-docker/lib/image';
import { hasBrand, registerConstruct } from '../core/brand';
import { addClashSource } from '../core/clashes';
import { DockerNames, validateAlias, validateDockerName } from '../core/docker-names';
import { ValidationError, isKnown } from '../core/errors';
import { validateImageReference } from '../core/image-reference';
import { isIpv4Mapped, parseIpAddress } from '../core/ip-address';
import { REPLACE_ON_CHANGE_LABEL, objectLabels } from '../core/labels';
import { Engine } from '../engine/engine';
import { describeEngine, providerOf } from '../engine/placement';
import { ConnectOptions, NetworkAttachment } from '../network/attachment';
import { cidrContains, formatCidr } from '../network/cidr';
import { crossEngineProblem } from '../network/cross-engine';
import { INetwork, Network } from '../network/network';
import { CONTAINER_CLASHES } from './clash-checks';
import { validateContainerPath } from './container-path';
import { DEFAULT_HOST_IP, PortMapping, describePort, portsClash, validatePortMapping } from './ports';
import { Healthcheck } from './healthcheck';
import { RestartPolicy } from './restart-policy';
import { NO_NEW_PRIVILEGES, toProviderCapabilities, toProviderTmpfs } from './security';
import { IServiceContainer, ServiceContainerProps, VolumeMount } from './service-container-props';
import { Volume } from './volume';

const CPU_PERIOD = 100_000;

function replaceOnChangeLabel(props: ServiceContainerProps): Record<string, string> {
  if (props.healthcheck === undefined && props.cpuLimit === undefined) return {};
  const settings = JSON.stringify({ healthcheck: props.healthcheck?.toProvider(), cpuLimit: props.cpuLimit });
  return { [REPLACE_ON_CHANGE_LABEL]: createHash('sha256').update(settings).digest('hex').slice(0, 12) };
}

/** One long-running container (`docker run -d`) with its networks, aliases and published ports. */
export class ServiceContainer extends Construct implements IServiceContainer {
  /** True for a ServiceContainer, also one from another copy of this library. */
  public static isServiceContainer(x: unknown): x is ServiceContainer {
    return hasBrand(x, 'ServiceContainer');
  }

  /** The container's Docker name. */
  public readonly name: string;

  /**
   * The name without the prefix of enclosing `DockerNames.prefix` scopes; where the two differ, the container
   * answers to it on every network as an alias, so its peers keep using the short name.
   */
  public readonly shortName: string;

  /** The provider's `docker_container` resource, for what this construct does not model. */
  public readonly resource: Container;

  /** The provider's `docker_image` resource the container runs. */
  public readonly image: Image;

  public readonly healthcheck?: Healthcheck;

  private readonly _attachments: NetworkAttachment[] = [];
  private readonly _ports: PortMapping[] = [];
  private readonly _env: Record<string, string> = {};
  private readonly _dependencies = new Set<IServiceContainer>();

  constructor(scope: Construct, id: string, props: ServiceContainerProps) {
    super(scope, id);
    registerConstruct(this, 'ServiceContainer');
    this.shortName = props.name ?? id;
    this.name = DockerNames.prefixOf(this) + this.shortName;
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
    this.validateFiles(props);
    validateImageReference(this, props.image);
    if (props.waitForHealthy && props.healthcheck === undefined) {
      throw new ValidationError(
        this,
        'waitForHealthy is true, but there is no healthcheck, so Docker reports no health to wait for; add a ' +
          '`healthcheck`, e.g. Healthcheck.command(["redis-cli", "ping"]), or remove `waitForHealthy`.',
      );
    }
    this.healthcheck = props.healthcheck;
    const restart = props.restartPolicy ?? RestartPolicy.UNLESS_STOPPED;
    const waitForHealthy = props.healthcheck !== undefined && (props.waitForHealthy ?? true);

    const provider = providerOf(this);
    // An image is an object of one engine: each container takes its own onto the engine it runs on.
    this.image = new Image(this, 'Image', {
      provider,
      name: props.image,
      keepLocally: !(props.removeImageOnDestroy ?? false),
    });

    this.resource = new Container(this, 'Resource', {
      provider,
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
      labels: objectLabels(this, { ...props.labels, ...replaceOnChangeLabel(props) }),
      volumes: props.volumes?.map((mount) => {
        validateContainerPath(this, 'volume path', mount.path, '/data');
        this.validateVolumeEngine(mount);
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

    addClashSource(this, CONTAINER_CLASHES);
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
    const crossEngine = crossEngineProblem(this, network, 'container');
    if (crossEngine) throw new ValidationError(this, crossEngine);
    const shortNameAlias = this.shortName !== this.name && isKnown(this.shortName) ? [this.shortName] : [];
    const aliases = [...new Set([...(options.aliases ?? []), ...shortNameAlias])];
    aliases.forEach((alias) => validateAlias(this, alias));
    this.validateFixedAddress(network, 'ipv4', options.ipv4Address);
    this.validateFixedAddress(network, 'ipv6', options.ipv6Address);
    this._attachments.push({ network, aliases, ipv4Address: options.ipv4Address, ipv6Address: options.ipv6Address });
    this.resource.putNetworksAdvanced(
      // By id, not name: a replaced network then replaces its containers first, instead of failing to delete
      // a network that still has containers on it.
      this._attachments.map((a) => ({
        name: a.network.networkId,
        aliases: a.aliases && a.aliases.length > 0 ? a.aliases : undefined,
        ipv4Address: a.ipv4Address,
        ipv6Address: a.ipv6Address,
      })),
    );
  }

  /** Publishes one more port on the host (on 127.0.0.1 unless `hostIp` says otherwise). */
  public addPort(mapping: PortMapping): void {
    validatePortMapping(this, mapping);
    const port = { ...mapping, hostIp: mapping.hostIp ?? DEFAULT_HOST_IP };
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
  public addDependency(...containers: IServiceContainer[]): void {
    const added = containers.filter((c) => c !== this && !this._dependencies.has(c));
    if (added.length === 0) return;
    added.forEach((c) => this._dependencies.add(c));
    this.resource.dependsOn = [...this._dependencies].map((c) => dependable(c.resource));
  }

  /** A volume the stack creates lives on one engine: the container must run there to mount it. */
  private validateVolumeEngine(mount: VolumeMount): void {
    if (!Volume.isVolume(mount.volume)) return;
    const [mine, theirs] = [Engine.of(this), Engine.of(mount.volume)];
    if (mine === theirs) return;
    throw new ValidationError(
      this,
      `is on ${describeEngine(mine)} and mounts volume ${mount.volume.node.path}, which is on ${describeEngine(theirs)}; ` +
        "a volume lives on the engine that created it: create the volume on the container's engine.",
    );
  }

  /**
   * Files are copied into the container before it starts. Under a tmpfs they land in the image's filesystem, and
   * the tmpfs Docker mounts at start hides them.
   */
  private validateFiles(props: ServiceContainerProps): void {
    for (const file of props.files ?? []) {
      validateContainerPath(this, 'file path', file.path, '/etc/app/config.yml');
      if (!isKnown(file.path)) continue;
      const tmpfs = (props.tmpfs ?? []).find((mount) => isKnown(mount.path) && isInside(file.path, mount.path));
      if (tmpfs) {
        throw new ValidationError(
          this,
          `file ${file.path} lies under the tmpfs at ${tmpfs.path}, which Docker mounts over it when the container starts, ` +
            'so the process would not see the file; write the file to another path, or mount the tmpfs elsewhere.',
        );
      }
    }
  }

  /** A fixed address must be one Docker gives a container, inside a declared subnet of its family. */
  private validateFixedAddress(network: INetwork, family: 'ipv4' | 'ipv6', address: string | undefined): void {
    if (address === undefined || !isKnown(address)) return;
    const [field, kind, example] =
      family === 'ipv4' ? ['ipv4Address', 'IPv4', '172.28.0.10'] : ['ipv6Address', 'IPv6', 'fd00:28::10'];
    const parsed = parseIpAddress(address);
    if (parsed?.family !== family) {
      throw new ValidationError(this, `${field} "${address}" is not an ${kind} address; write it like "${example}".`);
    }
    // Docker refuses both: the address of all zeros, and an IPv4 address in IPv6 form.
    const unusable = parsed.value === 0n ? 'the unspecified address' : isIpv4Mapped(parsed) ? 'an IPv4-mapped address' : undefined;
    if (unusable) {
      throw new ValidationError(
        this,
        `${field} ${address} is ${unusable}, which Docker does not give a container; write one like "${example}".`,
      );
    }
    const subnets = network.declaredSubnets.filter((s) => s.family === family);
    // A network of this library declares its subnet in code; a token subnet is known only at apply time.
    if (Network.isNetwork(network) && subnets.length === 0 && (network.subnet === undefined || isKnown(network.subnet))) {
      const has = network.declaredSubnets.length === 0 ? 'none' : `only ${network.declaredSubnets.map(formatCidr).join(', ')}`;
      throw new ValidationError(
        this,
        `${field} ${address} needs a network with a user-defined ${kind} subnet, and ${network.node.path} has ${has}; ` +
          `set an ${kind} \`subnet\` on that network, or drop \`${field}\`.`,
      );
    }
    if (subnets.length > 0 && !subnets.some((subnet) => cidrContains(subnet, address))) {
      throw new ValidationError(
        this,
        `${field} ${address} is outside the subnet ${subnets.map(formatCidr).join(', ')} of network ${network.node.path}; ` +
          'pick an address inside it.',
      );
    }
  }
}

/** True when `file` is `dir` or lies below it. */
function isInside(file: string, dir: string): boolean {
  const base = path.posix.normalize(dir).replace(/\/+$/, '');
  const normalized = path.posix.normalize(file);
  return normalized === base || normalized.startsWith(`${base}/`);
}

/** `no-new-privileges` (unless turned off) followed by the caller's options. */
function securityOptions(props: ServiceContainerProps): string[] | undefined {
  const options = [...((props.noNewPrivileges ?? true) ? [NO_NEW_PRIVILEGES] : []), ...(props.securityOptions ?? [])];
  return options.length > 0 ? [...new Set(options)] : undefined;
}
