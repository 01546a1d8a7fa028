import * as path from 'path';
import { Construct } from 'constructs';
import { Annotations } from 'cdktf';
import type { Service, ServiceTaskSpecContainerSpecSecrets } from '@cdktf/provider-docker/lib/service';
import { hasBrand, registerConstruct } from '../core/brand';
import { addClashSource } from '../core/clashes';
import { validateAlias } from '../core/docker-names';
import { Duration } from '../core/duration';
import { ValidationError, constructLabel, isKnown } from '../core/errors';
import { validateImageReference } from '../core/image-reference';
import { objectLabels } from '../core/labels';
import { Engine } from '../engine/engine';
import { describeEngine, inOneSwarm, providerOf, requireManager } from '../engine/placement';
import { validateContainerPath } from '../container/container-path';
import { Healthcheck } from '../container/healthcheck';
import { Protocol, validatePort, validateProtocol } from '../container/ports';
import { toProviderCapabilities } from '../container/security';
import { crossEngineProblem } from '../network/cross-engine';
import { Network } from '../network/network';
import { NetworkDriver } from '../network/network-driver';
import { EndpointMode, PublishMode, ServiceMode, UpdateOrder } from './service-mode';
import { SERVICE_CLASHES } from './service-clash-checks';
import { describeServicePort, servicePortsClash } from './service-ports';
import { SwarmRestartPolicy } from './swarm-restart-policy';
import { ISwarmSecret, SwarmSecret } from './swarm-secret';
import { ISwarmService, ServiceNetworkAttachment, ServicePort, ServiceResources, SwarmServiceProps } from './swarm-service-props';
import { UpdatePolicy } from './update-policy';

/** Swarm's rule for service names (swarmkit): a DNS label of letters, digits, `-` and `_`, at most 63 characters. */
const SERVICE_NAME = /^[a-zA-Z0-9](?:[-_]*[A-Za-z0-9]+)*$/;

const SECRETS_DIR = '/run/secrets';

/**
 * A Docker Swarm service (`docker service create`): tasks spread over the nodes of a swarm, on overlay networks,
 * with published ports, secrets as files and rolling updates. Needs an engine that is a swarm manager.
 */
export class SwarmService extends Construct implements ISwarmService {
  /** True for a SwarmService, also one from another copy of this library. */
  public static isSwarmService(x: unknown): x is SwarmService {
    return hasBrand(x, 'SwarmService');
  }

  public readonly name: string;

  /** The provider's `docker_service` resource, for what this construct does not model. */
  public readonly resource: Service;

  public readonly mode: ServiceMode;
  public readonly endpointMode: EndpointMode;
  public readonly healthcheck?: Healthcheck;

  private readonly _attachments: ServiceNetworkAttachment[] = [];
  private readonly _ports: ServicePort[];

  constructor(scope: Construct, id: string, props: SwarmServiceProps) {
    super(scope, id);
    registerConstruct(this, 'SwarmService');
    this.name = props.name ?? id;
    if (isKnown(this.name) && !(SERVICE_NAME.test(this.name) && this.name.length <= 63)) {
      throw new ValidationError(
        this,
        `invalid service name "${this.name}". Swarm service names are DNS labels: letters and digits, with "-" or "_" ` +
          'only between them, at most 63 characters; set `name` to such a value.',
      );
    }
    validateImageReference(this, props.image);
    requireManager(this, 'a Swarm service');
    this.mode = props.mode ?? ServiceMode.replicated(1);
    this.endpointMode = props.endpointMode ?? EndpointMode.VIP;
    this.healthcheck = props.healthcheck;
    this._ports = this.validatePorts(props.ports ?? []);
    this.validateResources(props.limits, props.reservations);
    const env = this.validateEnvironment(props.env ?? {});
    const updatePolicy = props.updatePolicy ?? UpdatePolicy.DEFAULT;
    this.warnAboutHostPorts(updatePolicy);
    const capabilities = toProviderCapabilities(props.capabilities);

    this.resource = new (providerService())(this, 'Resource', {
      provider: providerOf(this),
      name: this.name,
      labels: objectLabels(this, props.labels),
      mode: this.mode.kind === 'global' ? { global: true } : { replicated: { replicas: this.mode.replicas } },
      endpointSpec: {
        mode: this.endpointMode,
        ports:
          this._ports.length > 0
            ? this._ports.map((p) => ({
                targetPort: p.target,
                publishedPort: p.published,
                publishMode: p.mode ?? PublishMode.INGRESS,
                protocol: p.protocol ?? Protocol.TCP,
              }))
            : undefined,
      },
      updateConfig: updatePolicy.toProvider(),
      convergeConfig: { delay: '1s', timeout: (props.convergeTimeout ?? Duration.minutes(3)).toGoString() },
      taskSpec: {
        containerSpec: {
          image: props.image,
          command: props.command,
          args: props.args,
          env: Object.keys(env).length > 0 ? env : undefined,
          user: props.user,
          readOnly: props.readOnlyRootFilesystem ? true : undefined,
          capAdd: capabilities && capabilities.add.length > 0 ? capabilities.add : undefined,
          capDrop: capabilities && capabilities.drop.length > 0 ? capabilities.drop : undefined,
          healthcheck: props.healthcheck?.toProvider(),
          stopSignal: props.stopSignal,
          stopGracePeriod: props.stopGracePeriod?.toGoString(),
          secrets: this.secretMounts(props),
          mounts: props.volumes?.map((mount) => {
            validateContainerPath(this, 'volume path', mount.path, '/data');
            return { type: 'volume', source: mount.volume.volumeName, target: mount.path, readOnly: mount.readOnly };
          }),
        },
        resources:
          props.limits || props.reservations
            ? { limits: toProviderResources(props.limits), reservation: toProviderResources(props.reservations) }
            : undefined,
        restartPolicy: (props.restartPolicy ?? SwarmRestartPolicy.ANY).toProvider(),
        placement: props.placement && props.placement.length > 0 ? { constraints: props.placement.map((c) => c.expression) } : undefined,
      },
    });

    for (const attachment of props.networks ?? []) this.connect(attachment);
    addClashSource(this, SERVICE_CLASHES);
  }

  /** The networks the service is attached to, in the order they were added. */
  public get attachments(): readonly ServiceNetworkAttachment[] {
    return [...this._attachments];
  }

  /** The ports the service publishes. */
  public get ports(): readonly ServicePort[] {
    return [...this._ports];
  }

  /** The name that resolves to the address of every task of the service, on its networks: `tasks.<name>`. */
  public get tasksName(): string {
    return `tasks.${this.name}`;
  }

  /** Attaches the service to one more network, with aliases there. */
  public connect(attachment: ServiceNetworkAttachment): void {
    const { network } = attachment;
    if (this._attachments.some((a) => a.network === network)) {
      throw new ValidationError(this, `is already attached to network ${network.node.path}; give all its aliases in that one attachment.`);
    }
    if (Network.isNetwork(network) && network.driver.name !== NetworkDriver.OVERLAY.name) {
      throw new ValidationError(
        this,
        `network ${network.node.path} uses the ${network.driver.name} driver, which is local to one engine; a Swarm ` +
          'service attaches to swarm-scoped networks: set `driver: NetworkDriver.OVERLAY` on it.',
      );
    }
    const crossEngine = crossEngineProblem(this, network, 'service');
    if (crossEngine) throw new ValidationError(this, crossEngine);
    const aliases = [...new Set(attachment.aliases ?? [])];
    aliases.forEach((alias) => validateAlias(this, alias));
    const reserved = aliases.find((alias) => alias === this.tasksName);
    if (reserved) {
      throw new ValidationError(this, `the alias "${reserved}" is the name Swarm gives the service's tasks; pick another alias.`);
    }
    this._attachments.push({ network, aliases });
    this.resource.taskSpec.putNetworksAdvanced(
      // By id, as containers do: a replaced network then updates its services first.
      this._attachments.map((a) => ({ name: a.network.networkId, aliases: a.aliases && a.aliases.length > 0 ? a.aliases : undefined })),
    );
  }

  private validatePorts(ports: ServicePort[]): ServicePort[] {
    const seen: ServicePort[] = [];
    for (const port of ports) {
      validatePort(this, 'target port', port.target);
      validatePort(this, 'published port', port.published);
      validateProtocol(this, port.target, port.protocol);
      const mode = port.mode ?? PublishMode.INGRESS;
      if (mode === PublishMode.INGRESS && this.endpointMode === EndpointMode.DNSRR) {
        throw new ValidationError(
          this,
          `publishes port ${describeServicePort(port)} in ingress mode with endpoint mode dnsrr, which Docker refuses ` +
            '(the routing mesh needs a virtual IP); publish it with `mode: PublishMode.HOST`, or use EndpointMode.VIP.',
        );
      }
      if (port.published !== undefined && seen.some((p) => servicePortsClash(p, port))) {
        throw new ValidationError(this, `publishes port ${describeServicePort(port)} twice; remove one of the two.`);
      }
      seen.push(port);
    }
    return seen;
  }

  private warnAboutHostPorts(updatePolicy: UpdatePolicy): void {
    const hostPorts = this._ports.filter((p) => p.mode === PublishMode.HOST && p.published !== undefined);
    if (hostPorts.length === 0) return;
    const described = hostPorts.map(describeServicePort).join(', ');
    const replicas = this.mode.replicas ?? 1;
    if (this.mode.kind === 'replicated' && replicas > 1) {
      Annotations.of(this).addWarning(
        `${constructLabel(this)}: publishes ${described} in host mode with ${replicas} replicas. A node runs only one task ` +
          `that binds a host port, so ${replicas} replicas need ${replicas} nodes; on fewer nodes the other tasks ` +
          'stay pending and the apply waits for them until convergeTimeout. Use ServiceMode.GLOBAL (one task a node), ' +
          'ingress publishing, or one replica per node you have.',
      );
    }
    if (updatePolicy.order === UpdateOrder.START_FIRST) {
      Annotations.of(this).addWarning(
        `${constructLabel(this)}: publishes ${described} in host mode with a start-first update: the new task cannot bind ` +
          'the port while the old one holds it on the same node, so the update stalls there; use UpdateOrder.STOP_FIRST ' +
          'for this service.',
      );
    }
  }

  /** A secret belongs to the swarm it was created in: a service of another swarm (or engine) cannot mount it. */
  private validateSecretEngine(secret: ISwarmSecret): void {
    if (!SwarmSecret.isSwarmSecret(secret)) return;
    const [mine, theirs] = [Engine.of(this), Engine.of(secret)];
    if (mine === theirs || inOneSwarm(mine, theirs)) return;
    throw new ValidationError(
      this,
      `is on ${describeEngine(mine)} and mounts secret ${secret.node.path}, which is on ${describeEngine(theirs)}, and this ` +
        "stack does not declare the two engines nodes of one swarm; a secret belongs to the swarm it was created in. " +
        "Create the secret on the service's engine, or declare both engines nodes of one Swarm (`swarm` on each Engine).",
    );
  }

  private validateResources(limits: ServiceResources | undefined, reservations: ServiceResources | undefined): void {
    for (const [field, resources] of [['limits', limits], ['reservations', reservations]] as const) {
      const cpus = resources?.cpus;
      if (cpus !== undefined && isKnown(cpus) && !(cpus > 0)) {
        throw new ValidationError(this, `${field}.cpus ${cpus} must be a positive number of CPUs, e.g. 0.5.`);
      }
    }
    if (limits?.cpus !== undefined && reservations?.cpus !== undefined && reservations.cpus > limits.cpus) {
      throw new ValidationError(this, `reserves ${reservations.cpus} CPUs but is limited to ${limits.cpus}; reserve at most the limit.`);
    }
    if (limits?.memory && reservations?.memory && reservations.memory.toMebibytes() > limits.memory.toMebibytes()) {
      throw new ValidationError(this, `reserves ${reservations.memory} of memory but is limited to ${limits.memory}; reserve at most the limit.`);
    }
  }

  private validateEnvironment(env: Record<string, string>): Record<string, string> {
    for (const key of Object.keys(env)) {
      if (isKnown(key) && (key === '' || key.includes('='))) {
        throw new ValidationError(this, `environment variable name "${key}" is empty or contains "="; rename it.`);
      }
    }
    return env;
  }

  private secretMounts(props: SwarmServiceProps): ServiceTaskSpecContainerSpecSecrets[] | undefined {
    const mounts = props.secrets ?? [];
    if (mounts.length === 0) return undefined;
    const targets = new Set<string>();
    return mounts.map((mount) => {
      const target = mount.target ?? mount.secret.name;
      const file = path.posix.isAbsolute(target) ? target : path.posix.join(SECRETS_DIR, target);
      if (targets.has(file)) {
        throw new ValidationError(this, `mounts two secrets at ${file}; give one of them another \`target\`.`);
      }
      targets.add(file);
      this.validateSecretEngine(mount.secret);
      if (mount.mode !== undefined && !/^[0-7]{3,4}$/.test(mount.mode)) {
        throw new ValidationError(this, `secret mode "${mount.mode}" for ${file} is not an octal file mode; write it like "0400".`);
      }
      return {
        secretId: mount.secret.secretId,
        secretName: mount.secret.secretName,
        fileName: file,
        fileMode: parseInt(mount.mode ?? '0444', 8),
        fileUid: mount.uid ?? '0',
        fileGid: mount.gid ?? '0',
      };
    });
  }
}

function toProviderResources(resources: ServiceResources | undefined): { memoryBytes?: number; nanoCpus?: number } | undefined {
  if (!resources || (resources.memory === undefined && resources.cpus === undefined)) return undefined;
  return {
    memoryBytes: resources.memory ? resources.memory.toMebibytes() * 1024 * 1024 : undefined,
    nanoCpus: resources.cpus !== undefined ? Math.round(resources.cpus * 1e9) : undefined,
  };
}

/**
 * The provider's `docker_service` class, loaded on first use: its module is the provider's largest (0.8 MB, about
 * 20 ms to load), and a program that makes no Swarm service should not pay for it.
 */
function providerService(): typeof Service {
  return (require('@cdktf/provider-docker/lib/service') as typeof import('@cdktf/provider-docker/lib/service')).Service;
}
