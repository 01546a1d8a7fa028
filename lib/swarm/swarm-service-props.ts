import type { IConstruct } from 'constructs';
import type { Service } from '@cdktf/provider-docker/lib/service';
import type { Duration } from '../core/duration';
import type { Size } from '../core/size';
import type { Healthcheck } from '../container/healthcheck';
import type { Protocol } from '../container/ports';
import type { Capabilities } from '../container/security';
import type { VolumeMount } from '../container/service-container-props';
import type { INetwork } from '../network/network';
import type { PlacementConstraint } from './placement';
import type { EndpointMode, PublishMode, ServiceMode } from './service-mode';
import type { SwarmRestartPolicy } from './swarm-restart-policy';
import type { ISwarmSecret } from './swarm-secret';
import type { UpdatePolicy } from './update-policy';

/** A Swarm service that flows and checks can name: a SwarmService, or a construct of yours. */
export interface ISwarmService extends IConstruct {
  /** The service's name in the swarm; its tasks answer to it, and to `tasks.<name>`, on its networks. */
  readonly name: string;

  /** The provider's `docker_service` resource. */
  readonly resource: Service;
}

/** A port a service publishes (`docker service create --publish published=P,target=T,mode=M`). */
export interface ServicePort {
  /** The port the process listens on inside the task. */
  readonly target: number;

  /**
   * The port on the nodes. Swarm publishes on every interface of a node: it has no host address option.
   * @default - Swarm picks one from 30000-32767
   */
  readonly published?: number;

  /**
   * @default PublishMode.INGRESS - the routing mesh (needs IPVS on the nodes)
   */
  readonly mode?: PublishMode;

  /**
   * @default Protocol.TCP
   */
  readonly protocol?: Protocol;
}

/** A service's attachment to one network (`docker service create --network name=N,alias=A`). */
export interface ServiceNetworkAttachment {
  /** An overlay network (or another swarm-scoped one). */
  readonly network: INetwork;

  /**
   * Extra names under which the service answers on this network only.
   * @default - only the service's name (and `tasks.<name>`)
   */
  readonly aliases?: string[];
}

/** A Swarm secret mounted into every task as a file (`docker service create --secret source=S,target=T`). */
export interface SecretMount {
  readonly secret: ISwarmSecret;

  /**
   * Where the file appears: an absolute path, or a name under `/run/secrets/`.
   * @default - `/run/secrets/<secret name>`
   */
  readonly target?: string;

  /**
   * The file's mode in octal, e.g. `'0400'`.
   * @default '0444' - Swarm's default: readable by every user of the task
   */
  readonly mode?: string;

  /**
   * Owner of the file, for a process that runs as its own user.
   * @default '0' - root
   */
  readonly uid?: string;

  /**
   * Group of the file.
   * @default '0' - root
   */
  readonly gid?: string;
}

/** CPU and memory of one task. */
export interface ServiceResources {
  /**
   * Memory.
   * @default - none
   */
  readonly memory?: Size;

  /**
   * CPUs, e.g. 0.5 for half a core.
   * @default - none
   */
  readonly cpus?: number;
}

export interface SwarmServiceProps {
  /**
   * The service's name in the swarm; peers on a shared network resolve it through Docker's embedded DNS.
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * The image reference, checked at synth as `ServiceContainer` checks it. Every node that runs a task needs it: from
   * a registry the nodes reach, or loaded on each node beforehand (a single-node swarm uses the engine's local images).
   */
  readonly image: string;

  /**
   * The command, replacing the image's `ENTRYPOINT` (Swarm's `command` is the entrypoint).
   * @default - the image's entrypoint
   */
  readonly command?: string[];

  /**
   * Arguments, replacing the image's `CMD`.
   * @default - the image's command
   */
  readonly args?: string[];

  /**
   * @default ServiceMode.replicated(1)
   */
  readonly mode?: ServiceMode;

  /**
   * How clients reach the tasks by the service's name.
   * @default EndpointMode.VIP - Swarm's default; needs IPVS on the nodes
   */
  readonly endpointMode?: EndpointMode;

  /**
   * The networks the tasks are attached to, with per-network aliases.
   * @default - none: the tasks reach nothing by name, and are reached only through published ports
   */
  readonly networks?: ServiceNetworkAttachment[];

  /**
   * Published ports.
   * @default - none
   */
  readonly ports?: ServicePort[];

  /**
   * Environment variables.
   * @default - none beyond the image's
   */
  readonly env?: Record<string, string>;

  /**
   * Labels on the service (and on its tasks' containers).
   * @default - no labels
   */
  readonly labels?: Record<string, string>;

  /**
   * How Docker tells that a task is healthy; Swarm replaces unhealthy tasks and an update waits for health.
   * @default - none: a task counts as running as soon as its process starts
   */
  readonly healthcheck?: Healthcheck;

  /**
   * The most a task may use.
   * @default - no limits
   */
  readonly limits?: ServiceResources;

  /**
   * What a node must have free to be given a task.
   * @default - no reservation
   */
  readonly reservations?: ServiceResources;

  /**
   * @default SwarmRestartPolicy.ANY - Swarm's default: a task whose container exits is replaced
   */
  readonly restartPolicy?: SwarmRestartPolicy;

  /**
   * How a change is rolled out over the tasks.
   * @default UpdatePolicy.DEFAULT - one task at a time, stop-first
   */
  readonly updatePolicy?: UpdatePolicy;

  /**
   * The nodes the tasks may run on.
   * @default - any node
   */
  readonly placement?: PlacementConstraint[];

  /**
   * Swarm secrets mounted as files.
   * @default - none
   */
  readonly secrets?: SecretMount[];

  /**
   * Named volumes mounted into every task. A volume is local to a node: pin a service with data to one node
   * (`placement`), or use a volume driver that spans nodes.
   * @default - none
   */
  readonly volumes?: VolumeMount[];

  /**
   * Linux capabilities to drop and add.
   * @default - Docker's default set
   */
  readonly capabilities?: Capabilities;

  /**
   * Mount the image's root filesystem read-only.
   * @default false
   */
  readonly readOnlyRootFilesystem?: boolean;

  /**
   * The user (and group) the process runs as, e.g. `'10001'`.
   * @default - the image's `USER`
   */
  readonly user?: string;

  /**
   * The signal a task gets first when it is stopped, e.g. `SIGINT` for PostgreSQL's fast shutdown.
   * @default - the image's stop signal
   */
  readonly stopSignal?: string;

  /**
   * How long a task may take to stop before it is killed. Set, it also makes the provider's destroy wait for the
   * tasks' containers for exactly that long, and fail when a process uses the whole period (a PID 1 that ignores
   * SIGTERM, e.g. a Python app without a handler): see docs/provider-behaviour.md.
   * @default - Swarm's 10 seconds, and a destroy that does not wait for the containers
   */
  readonly stopGracePeriod?: Duration;

  /**
   * The longest an apply waits for the tasks to run (the provider's `converge_config`); the apply fails, and the
   * provider deletes a new service, if they do not.
   * @default Duration.minutes(3)
   */
  readonly convergeTimeout?: Duration;
}
