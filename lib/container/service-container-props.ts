import type { IConstruct } from 'constructs';
import type { Container } from '@cdktf/provider-docker/lib/container';
import type { Size } from '../core/size';
import type { NetworkAttachment } from '../network/attachment';
import type { Healthcheck } from './healthcheck';
import type { PortMapping } from './ports';
import type { RestartPolicy } from './restart-policy';
import type { Capabilities, TmpfsMount } from './security';
import type { IVolume } from './volume';

/** A container that others can depend on or declare flows to: a ServiceContainer, or a construct of yours. */
export interface IServiceContainer extends IConstruct {
  /** The container's Docker name. */
  readonly name: string;

  /** The provider's `docker_container` resource. */
  readonly resource: Container;
}

/** A named volume mounted into the container (`docker run -v NAME:PATH`). */
export interface VolumeMount {
  readonly volume: IVolume;
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
   * The container's Docker name; peers on a shared network resolve it through Docker's embedded DNS. Inside a
   * `DockerNames.prefix` scope the prefix goes in front, and this name stays an alias on every network.
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * The image reference, e.g. `redis:7.4-alpine`, `registry.example:5000/team/app:1.0@sha256:...` or a locally built
   * `voting-app-local/redis:local`; synth refuses one Docker would not parse (upper case in the repository path,
   * spaces, an unknown digest algorithm). An image already on the engine is used as it is; a missing one is pulled.
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
   * Containers that depend on this one then start after it can serve. `true` without a `healthcheck` is an error:
   * there is no health to wait for.
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
  readonly dependsOn?: IServiceContainer[];

  /**
   * Named volumes mounted into the container: data that survives the container's replacement.
   * @default - none: what the container writes goes with it
   */
  readonly volumes?: VolumeMount[];

  /**
   * Files written into the container before it starts, e.g. a secret read through a `*_FILE` variable. Not under a
   * `tmpfs` path: the tmpfs is mounted at start, over the file.
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

