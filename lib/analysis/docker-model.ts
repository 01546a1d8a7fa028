import { buildModel } from './build-model';
import { entriesOfDocument, enginesOfDocument } from './document';
import {
  ContainerModel,
  DockerModelParts,
  EngineModel,
  ImageModel,
  NetworkModel,
  PlanSide,
  SecretModel,
  VolumeModel,
} from './model-types';
import { enginesOfPlan, entriesOfPlan, entriesOfState } from './plan-values';

/** The kinds of Docker object a model holds, by the provider's resource type. */
const KINDS: Record<string, string> = {
  docker_network: 'network',
  docker_container: 'container',
  docker_service: 'service',
  docker_volume: 'volume',
  docker_image: 'image',
  docker_secret: 'secret',
};

/** Attributes whose values may hold secrets, where the provider does not always mark them sensitive. */
const SECRET_BEARING = new Set(['env', 'upload', 'auth', 'registry_auth', 'data']);

/**
 * What a stack puts on a Docker engine: networks, containers and Swarm services with their attachments, aliases,
 * published ports and mounts, volumes, secrets and images. Built from a Terraform JSON document (`cdk.tf.json`, or
 * the `resource` and `data` blocks of one), from one side of a plan (`terraform show -json`) or from a state, with
 * no construct in it: the same types either way. `StackModel` is the model of a stack under synth, which also knows each
 * workload's construct.
 */
export class DockerModel {
  /**
   * The model of a Terraform JSON document: its `resource` and `data` blocks, references written as
   * `${docker_network.x.id}`.
   */
  public static fromDocument(document: Record<string, any>): DockerModel {
    return new DockerModel(buildModel(entriesOfDocument(document), { engines: enginesOfDocument(document) }));
  }

  /** The model of one side of a plan, as `terraform show -json <planfile>` prints it. */
  public static fromPlan(plan: Record<string, any>, side: PlanSide): DockerModel {
    return new DockerModel(buildModel(entriesOfPlan(plan, side), { engines: enginesOfPlan(plan) }));
  }

  /**
   * The model of a Terraform state (the JSON `terraform state pull` prints, or a local backend's state file): what
   * the last apply left, with each object's Docker `id`.
   */
  public static fromState(state: Record<string, any>): DockerModel {
    return new DockerModel(buildModel(entriesOfState(state)));
  }

  /**
   * The kind of Docker object a provider resource type stands for: `network`, `container`, `service`, `volume`,
   * `image` or `secret`; undefined for a type the model does not read.
   */
  public static kindOfType(type: string): string | undefined {
    return KINDS[type];
  }

  /** True when the attribute at `path` of a `type` holds a workload's network attachments (`networks_advanced`). */
  public static holdsAttachments(type: string, path: (string | number)[]): boolean {
    const steps = path.filter((step): step is string => typeof step === 'string');
    if (type === 'docker_container') return steps[0] === 'networks_advanced';
    if (type === 'docker_service') return steps[0] === 'task_spec' && steps[1] === 'networks_advanced';
    return false;
  }

  /**
   * What Swarm does when the attribute at `path` of a `docker_service` changes in an update in place (the provider
   * sends the whole spec as `docker service update`): `tasks` for the task spec (image, environment, secrets,
   * limits...: a rolling update restarts the tasks), `endpoint` for the published ports and the endpoint mode (the
   * tasks restart too), `placement` (only tasks whose node no longer matches move), `replicas` (tasks start or
   * stop, the others stay), or `service` for the service's own settings (update and rollback policy, labels): no
   * task restarts.
   */
  public static serviceChangeOf(path: (string | number)[]): 'tasks' | 'endpoint' | 'placement' | 'replicas' | 'service' {
    const steps = path.filter((step): step is string => typeof step === 'string');
    if (steps[0] === 'task_spec') return steps[1] === 'placement' ? 'placement' : 'tasks';
    if (steps[0] === 'endpoint_spec') return 'endpoint';
    if (steps[0] === 'mode') return 'replicas';
    return 'service';
  }

  /**
   * True when the value at `path` may hold a secret (an environment, an uploaded file, credentials, a secret's data)
   * even where Terraform does not mark it sensitive: a review never shows it.
   */
  public static mayHoldSecrets(path: (string | number)[]): boolean {
    return path.some((step) => typeof step === 'string' && SECRET_BEARING.has(step));
  }

  /**
   * The engines: the docker provider configurations of the source, then any other its objects are on. One engine
   * (`docker`, the default) in a stack without engines.
   */
  public readonly engines: EngineModel[];
  public readonly networks: NetworkModel[];
  /** The containers and the Swarm services, in the order of the document (a stack's order) or the plan. */
  public readonly containers: ContainerModel[];
  public readonly volumes: VolumeModel[];
  public readonly secrets: SecretModel[];
  public readonly images: ImageModel[];
  private readonly byNetwork = new Map<string, ContainerModel[]>();
  /** Made on first use: the checks of a synth never look objects up by address. */
  private workloadsByAddress?: Map<string, ContainerModel>;
  private networksByAddress?: Map<string, NetworkModel>;
  private enginesByAddress?: Map<string, string | undefined>;

  protected constructor(parts: DockerModelParts) {
    this.engines = parts.engines;
    this.networks = parts.networks;
    this.containers = parts.containers;
    this.volumes = parts.volumes;
    this.secrets = parts.secrets;
    this.images = parts.images;
    for (const container of this.containers) {
      for (const key of new Set(container.networks.map((n) => n.key))) {
        const members = this.byNetwork.get(key);
        if (members) members.push(container);
        else this.byNetwork.set(key, [container]);
      }
    }
  }

  /** The containers and services attached to the network with this key, in model order. */
  public containersOn(key: string): ContainerModel[] {
    return [...(this.byNetwork.get(key) ?? [])];
  }

  /** The keys of the user-defined networks workloads are attached to, in the order they are first attached. */
  public get networkKeys(): string[] {
    return [...this.byNetwork.keys()];
  }

  /** The container or service at a Terraform address. */
  public workloadAt(address: string): ContainerModel | undefined {
    this.workloadsByAddress ??= new Map(this.containers.map((c) => [c.address, c]));
    return this.workloadsByAddress.get(address);
  }

  /** The engine of this key (a model object's `engine`); undefined for none. */
  public engineByKey(key: string | undefined): EngineModel | undefined {
    return key === undefined ? undefined : this.engines.find((engine) => engine.key === key);
  }

  /** The engine of the object (network, workload, volume, secret or image) at a Terraform address. */
  public engineAt(address: string): EngineModel | undefined {
    this.enginesByAddress ??= new Map(
      [...this.networks, ...this.containers, ...this.volumes, ...this.secrets, ...this.images].map((o) => [o.address, o.engine]),
    );
    return this.engineByKey(this.enginesByAddress.get(address));
  }

  /** The network at a Terraform address. */
  public networkAt(address: string): NetworkModel | undefined {
    this.networksByAddress ??= new Map(this.networks.map((n) => [n.address, n]));
    return this.networksByAddress.get(address);
  }
}
