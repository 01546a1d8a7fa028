/** The types of the model of what a stack puts on a Docker engine (`DockerModel`). */
import type { TerraformResource } from 'cdktf';

/** What a model stands for: one container, or one Swarm service (a set of tasks). */
export type WorkloadKind = 'container' | 'service';

/** Which side of a plan (`terraform show -json`) a model is built from. */
export enum PlanSide {
  /** What is deployed: the plan's prior state, refreshed from the engine. */
  BEFORE = 'before',
  /**
   * What the engine holds after the apply: the planned values. Where a value is known only after the apply, the
   * plan's configuration says which object a reference points at, and a replaced container or service keeps the
   * prior value of an attribute its configuration does not set (Docker fills it in from the image, as before).
   */
  AFTER = 'after',
}

/**
 * A Docker engine the model's objects are on: one configuration of the docker provider (`provider "docker"`, with an
 * alias for each engine beyond the default). Each object's `engine` is the key of its engine, undefined where the
 * source does not say: Terraform's plan JSON names the provider configuration only of the objects the code still
 * has, not of one the plan deletes.
 */
export interface EngineModel {
  /** The provider configuration, as resources name it: `docker` (the default) or `docker.<alias>`. */
  readonly key: string;
  /** The alias; undefined for the default configuration. */
  readonly alias?: string;
  /**
   * The engine's address where the source says it (`tcp://10.0.0.2:2376`, `ssh://deploy@10.0.0.3`); undefined where
   * it does not: the environment's `DOCKER_HOST` (else the local socket), an address known only at apply, or a
   * state, which keeps no provider configuration.
   */
  readonly host?: string;
}

/** A network the stack creates (`docker_network`) or reads through a data source. */
export interface NetworkModel {
  /** The Terraform address: `docker_network.backend_1A2B3C4D`, `data.docker_network.shared`. */
  readonly address: string;
  /** The engine it is on (`EngineModel.key`); undefined where the source does not say (see `EngineModel`). */
  readonly engine?: string;
  /** The Docker name; where it is known only at apply time, the address. */
  readonly name: string;
  /** False where the Docker name is known only at apply time (`name` is then the address). */
  readonly nameKnown: boolean;
  /** The Docker id, from a state or a plan's values; undefined in a document, and where known only after the apply. */
  readonly id?: string;
  /** Read through a data source (`Network.fromName`): the stack uses it and does not manage it. */
  readonly external: boolean;
  /** The driver (`bridge`, `overlay`, ...); undefined for a network read by name from a document, which does not say. */
  readonly driver?: string;
  /** No route out of the network (`--internal`). */
  readonly internal: boolean;
  /** Standalone containers may attach to this overlay network (`--attachable`). */
  readonly attachable: boolean;
  /**
   * The bridge drops traffic between its members (`com.docker.network.bridge.enable_icc=false`): they can publish
   * ports through it but not reach each other over it.
   */
  readonly isolated: boolean;
  /** Subnets fixed in code or, from a plan, as deployed; empty where Docker picks them at apply. */
  readonly subnets: string[];
  readonly labels: Record<string, string>;
  /** Driver options (`-o`). */
  readonly options: Record<string, string>;
}

/** An image the stack pulls or builds (`docker_image`), or reads through a data source. */
export interface ImageModel {
  readonly address: string;
  /** The engine it is on (`EngineModel.key`); undefined where the source does not say (see `EngineModel`). */
  readonly engine?: string;
  /** The image reference (`redis:7.4-alpine`); where known only at apply time, the address. */
  readonly name: string;
  readonly nameKnown: boolean;
  /** Read through a data source: the stack uses it and does not manage it. */
  readonly external: boolean;
  /** A destroy leaves the image on the engine (`keep_locally`). */
  readonly keepLocally: boolean;
}

/** A named volume (`docker_volume`). */
export interface VolumeModel {
  readonly address: string;
  /** The engine it is on (`EngineModel.key`); undefined where the source does not say (see `EngineModel`). */
  readonly engine?: string;
  /** The Docker name; where known only at apply time, the address. */
  readonly name: string;
  readonly nameKnown: boolean;
  /** The Docker id, from a state or a plan's values; undefined in a document, and where known only after the apply. */
  readonly id?: string;
  /** The volume driver; undefined for Docker's default, `local`. */
  readonly driver?: string;
  readonly labels: Record<string, string>;
}

/** A Swarm secret (`docker_secret`), and the services that mount it. */
export interface SecretModel {
  readonly address: string;
  /** The engine it is on (`EngineModel.key`); undefined where the source does not say (see `EngineModel`). */
  readonly engine?: string;
  /** The Docker name; where known only at apply time, the address. */
  readonly name: string;
  readonly nameKnown: boolean;
  /** The Docker id, from a state or a plan's values; undefined in a document, and where known only after the apply. */
  readonly id?: string;
  readonly labels: Record<string, string>;
  /** The names of the services that mount it, in model order: a rotation restarts their tasks. */
  readonly services: string[];
}

/** A port a container or service publishes on the host. */
export interface PublishedPortModel {
  /** The port inside the container (a service's target port). */
  readonly internal: number;
  /** The host port; undefined where Docker picks a free one at apply. */
  readonly external?: number;
  /** The host address it listens on; undefined for every interface. A Swarm service publishes on `0.0.0.0`. */
  readonly ip?: string;
  /** `tcp`, `udp` or `sctp`. */
  readonly protocol: string;
  /**
   * For a Swarm service: `ingress` (the routing mesh answers on every node) or `host` (only the nodes that run a
   * task); undefined for a container.
   */
  readonly publishMode?: string;
}

/** A volume, host path or tmpfs mounted into a container or a service's tasks. */
export interface MountModel {
  /** `volume`, `bind` or `tmpfs`. */
  readonly type: string;
  /** The volume's Docker name or the host path; undefined for tmpfs, or where known only at apply time. */
  readonly source?: string;
  /** The address of the stack's `docker_volume` it mounts, if any. */
  readonly volumeAddress?: string;
  /** The path inside the container. */
  readonly target: string;
  readonly readOnly: boolean;
}

/** A user-defined network a container or a service is attached to. */
export interface NetworkAttachmentModel {
  /**
   * Identifies the network within the model: the address of the network the stack creates or reads, else its
   * literal name (a network the stack does not know), whether the workload names it by reference or by name.
   */
  readonly key: string;
  /** The network's Docker name where known, else the reference. From a plan, `(new network)` where it cannot say which. */
  readonly networkName: string;
  /**
   * The names the workload answers to on this network: its own name, then its aliases; a service also answers to
   * `tasks.<name>` (every task).
   */
  readonly names: string[];
  /** The aliases given on this attachment (from a plan, sorted: Terraform keeps them as a set). */
  readonly aliases: string[];
  /** The IPv4 address fixed in code, if any. */
  readonly ipv4Address?: string;
  /**
   * The network's bridge drops traffic between its containers (`com.docker.network.bridge.enable_icc=false`):
   * they can publish ports through it but not reach each other over it.
   */
  readonly isolated: boolean;
  /** The network, where the stack creates it or reads it through a data source. */
  readonly network?: NetworkModel;
}

/** How a Swarm service rolls out a change (`update_config`), with Docker's defaults where the code sets none. */
export interface UpdatePolicyModel {
  /** Tasks updated at once. @default 1 */
  readonly parallelism: number;
  /** Wait between two batches, as Go writes a duration (`10s`). @default 0s */
  readonly delay: string;
  /** `stop-first` (the old task stops, then the new one starts) or `start-first`. @default stop-first */
  readonly order: string;
  /** `pause`, `continue` or `rollback` when an updated task fails. @default pause */
  readonly failureAction: string;
  /** How long Docker watches an updated task for failure. @default 5s */
  readonly monitor: string;
  /** The share of tasks that may fail during an update. @default 0.0 */
  readonly maxFailureRatio: string;
}

/** Where a Swarm service's tasks may run (`placement`). */
export interface PlacementModel {
  /** `node.role==manager`, ... */
  readonly constraints: string[];
  /** Spread preferences (`spread=node.labels.zone`). */
  readonly preferences: string[];
  /** Tasks at most on one node; undefined for no limit. */
  readonly maxReplicas?: number;
}

/** A secret a service mounts as a file. */
export interface SecretMountModel {
  /** The address of the stack's `docker_secret`, where the service refers to one. */
  readonly secretAddress?: string;
  /** The secret's Docker name; where known only at apply time, the reference. */
  readonly secretName: string;
  /** The file inside the task: `/run/secrets/<name>` unless set. */
  readonly fileName: string;
}

/** What a Swarm service is beyond a container: its tasks, how it publishes and updates, its secrets and placement. */
export interface SwarmServiceModel {
  /** `replicated` (a number of tasks) or `global` (one task a node). */
  readonly mode: string;
  /** The tasks of a replicated service; undefined for a global one, or where known only at apply time. */
  readonly replicas?: number;
  /** `vip` (one virtual IP in front of the tasks) or `dnsrr` (the name resolves to every task). */
  readonly endpointMode: string;
  readonly updatePolicy: UpdatePolicyModel;
  readonly secrets: SecretMountModel[];
  readonly placement: PlacementModel;
}

/**
 * A `docker_container` or a `docker_service` as the policy pack, the reachability check and the operator's tools
 * see it.
 */
export interface ContainerModel {
  /** `container` for a `docker_container`, `service` for a `docker_service`. */
  readonly kind: WorkloadKind;
  /** The Terraform address: `docker_container.vote_1A2B3C4D`. */
  readonly address: string;
  /**
   * The engine it is on (`EngineModel.key`); for a Swarm service, the manager it is created through: which nodes run
   * its tasks is Swarm's choice at run time, and no source here says it. Undefined where the source does not say.
   */
  readonly engine?: string;
  /**
   * The provider's `docker_container` or `docker_service` resource, in a model of a stack (`StackModel`);
   * undefined in a model built from a document or a plan.
   */
  readonly resource?: TerraformResource;
  /**
   * The container's (service's) Docker name; where it is known only at apply time, its construct path in a
   * `StackModel`, else its address.
   */
  readonly name: string;
  /** False where the Docker name is known only at apply time (`name` is then a construct path or the address). */
  readonly nameKnown: boolean;
  /** The Docker id, from a state or a plan's values; undefined in a document, and where known only after the apply. */
  readonly id?: string;
  /**
   * The attributes in the provider's (snake_case) terms, with references as `${...}`: as the document holds them,
   * with escape-hatch overrides applied. From a plan, the values with unset ones (null) left out and single blocks
   * (`healthcheck`, `capabilities`) as objects, as a document writes them. For a service, the same attributes in a
   * container's terms, so that one rule reads both: `capabilities`, `read_only`, `mounts`, `env` (as `K=V` entries),
   * `healthcheck`, `user` from `task_spec.container_spec`; `memory` (MiB) and `cpus` from
   * `task_spec.resources.limits`; `restart` and `max_retry_count` from `task_spec.restart_policy` (`any` reads as
   * `always`, `none` as `no`); `ports` from `endpoint_spec.ports`, with `ip` `0.0.0.0` (Swarm publishes on every
   * interface). The raw service is in `service`.
   */
  readonly config: Record<string, any>;
  /** The `docker_service` attributes as they are; undefined for a container. */
  readonly service?: Record<string, any>;
  /**
   * The image reference (`redis:7.4-alpine`), resolved through the `docker_image` resource or data source the
   * container names; undefined when it is known only at apply time.
   */
  readonly image?: string;
  /** The address of the `docker_image` the image comes from, where the workload names one. */
  readonly imageAddress?: string;
  /** The user-defined networks it is attached to: in the stack's order, from a plan in the order of network names. */
  readonly networks: NetworkAttachmentModel[];
  /** On Docker's default bridge: a container with no user-defined network and `network_mode` unset, `bridge` or `default`. */
  readonly onDefaultBridge: boolean;
  /** A container's `network_mode` where set (`host`, `none`, `container:<id>`, `bridge`). */
  readonly networkMode?: string;
  /** Publishes at least one port on the host (also `publish_all_ports`). */
  readonly publishesPorts: boolean;
  /** The ports it publishes on the host. */
  readonly ports: PublishedPortModel[];
  /** The volumes, host paths and tmpfs it mounts. */
  readonly mounts: MountModel[];
  /** The addresses it depends on (`depends_on`): Terraform creates it after them. */
  readonly dependsOn: string[];
  /** For a service: its tasks, publishing, update policy, secrets and placement; undefined for a container. */
  readonly swarm?: SwarmServiceModel;
}

/** What a model was made of: every object, in the order of the document or the plan. */
export interface DockerModelParts {
  /** The engines the source configures, then any other its objects are on, in order. */
  readonly engines: EngineModel[];
  readonly networks: NetworkModel[];
  readonly containers: ContainerModel[];
  readonly volumes: VolumeModel[];
  readonly secrets: SecretModel[];
  readonly images: ImageModel[];
}
