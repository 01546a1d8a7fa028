import { IConstruct } from 'constructs';
import {
  DefaultTokenResolver,
  IAspect,
  StringConcat,
  TerraformDataSource,
  TerraformResource,
  TerraformStack,
  Token,
  Tokenization,
} from 'cdktf';
import { ENABLE_ICC_OPTION } from '../core/docker-options';
import { FinalSynth } from './final-synth';

/**
 * A construct that stands for one `docker_container` (a ServiceContainer) or one `docker_service` (a SwarmService):
 * flows and checks name it.
 */
export interface IContainerConstruct extends IConstruct {
  /** The provider's `docker_container` or `docker_service` resource. */
  readonly resource: TerraformResource;
}

/** What a model stands for: one container, or one Swarm service (a set of tasks). */
export type WorkloadKind = 'container' | 'service';

/**
 * A `docker_container` or a `docker_service` as the policy pack and the reachability report see it: its
 * synthesized attributes.
 */
export interface ContainerModel {
  /** `container` for a `docker_container`, `service` for a `docker_service`. */
  readonly kind: WorkloadKind;
  /** The provider's `docker_container` or `docker_service` resource. */
  readonly resource: TerraformResource;
  /** The container's (service's) Docker name, or its construct path where the name is known only at apply time. */
  readonly name: string;
  /**
   * The synthesized (snake_case) attributes, with escape-hatch overrides applied and references as `${...}`. For a
   * service, the same attributes in a container's terms, so that one rule reads both: `capabilities`, `read_only`,
   * `mounts`, `env` (as `K=V` entries), `healthcheck`, `user` from `task_spec.container_spec`; `memory` (MiB) and
   * `cpus` from `task_spec.resources.limits`; `restart` and `max_retry_count` from `task_spec.restart_policy`
   * (`any` reads as `always`, `none` as `no`); `ports` from `endpoint_spec.ports`, with `ip` `0.0.0.0` (Swarm
   * publishes on every interface). The raw service is in `service`.
   */
  readonly config: Record<string, any>;
  /** The synthesized `docker_service` attributes as they are; undefined for a container. */
  readonly service?: Record<string, any>;
  /**
   * The image reference (`redis:7.4-alpine`), resolved through the `docker_image` resource or data source the
   * container names; undefined when it is known only at apply time.
   */
  readonly image?: string;
  /** The user-defined networks the container is attached to. */
  readonly networks: NetworkAttachmentModel[];
  /** On Docker's default bridge: no `networks_advanced` and `network_mode` unset, `bridge` or `default`. */
  readonly onDefaultBridge: boolean;
  /** Publishes at least one port on the host. */
  readonly publishesPorts: boolean;
}

export interface NetworkAttachmentModel {
  /** Identifies the network within the stack: the reference or the literal name. */
  readonly key: string;
  /** The network's Docker name where known, else the reference. */
  readonly networkName: string;
  /** The names the container answers to on this network: its own name, then its aliases. */
  readonly names: string[];
  /**
   * The network's bridge drops traffic between its containers (`com.docker.network.bridge.enable_icc=false`):
   * they can publish ports through it but not reach each other over it.
   */
  readonly isolated: boolean;
}

/** Where a stack keeps the model of the synth under way, and whether it shares one; every copy of the library reads the same keys. */
const SYNTH_MODEL = Symbol.for('cdktf-docker-networking.synth-model');
const SHARES_MODEL = Symbol.for('cdktf-docker-networking.shares-synth-model');

/**
 * The Docker view of one stack, built from its synthesized configuration. Building it resolves the whole stack
 * (`toTerraform()`), as costly as writing `cdk.tf.json`: the checks of one synth share one (`ofSynth`).
 */
export class StackModel {
  /** The model of `stack` as it is now. */
  public static build(stack: TerraformStack): StackModel {
    return new StackModel(stack, dockerConfiguration(stack));
  }

  /**
   * Lets the checks of `stack` share one model per synth (`ofSynth`). Call it before adding a check as an aspect:
   * it forgets the previous synth's model when the next synth starts (an aspect ahead of the check where a synth
   * runs only aspects), and lets the checks wait for the final tree (`FinalSynth`).
   */
  public static shareWithinSynth(stack: TerraformStack): void {
    const s = stack as any;
    if (s[SHARES_MODEL]) return;
    Object.defineProperty(s, SHARES_MODEL, { value: true });
    FinalSynth.enable(stack);
    FinalSynth.whenSynthStarts(stack, () => StackModel.releaseSynth(stack));
    FinalSynth.addAspect(stack, new ForgetModelWhenSynthStarts(stack));
  }

  /** True when the checks of `stack` share one model per synth. */
  public static sharesWithinSynth(stack: TerraformStack): boolean {
    return Boolean((stack as any)[SHARES_MODEL]);
  }

  /**
   * The model of the synth under way, for checks that run inside it (aspects, files written beside the stack, and
   * `PolicyTesting` right after it): built on the first call of a synth, then shared. Once the tree of a synth is
   * final (`FinalSynth`), it reads the document cdktf writes, with no resolve of its own. Where the stack does not
   * share (`shareWithinSynth`), a fresh model. Outside a synth, use `build`: the tree may have changed since.
   */
  public static ofSynth(stack: TerraformStack): StackModel {
    if (!StackModel.sharesWithinSynth(stack)) return StackModel.build(stack);
    const ofFinalTree = () => new StackModel(stack, FinalSynth.document(stack));
    return ((stack as any)[SYNTH_MODEL] ??= FinalSynth.isFinal(stack) ? ofFinalTree() : StackModel.build(stack));
  }

  /**
   * Forgets the model of the synth under way, once the last check of the synth has read it: it would otherwise stay
   * in memory while cdktf writes the stack.
   */
  public static releaseSynth(stack: TerraformStack): void {
    delete (stack as any)[SYNTH_MODEL];
  }

  public readonly containers: ContainerModel[];
  private readonly byResource = new Map<IConstruct, ContainerModel>();
  private readonly byNetwork = new Map<string, ContainerModel[]>();

  /** `tf`: the stack's resolved `resource` and `data` blocks, at least those of its Docker objects. */
  private constructor(
    public readonly stack: TerraformStack,
    tf: Record<string, any>,
  ) {
    const resources: Record<string, Record<string, any>> = tf.resource ?? {};
    const data: Record<string, Record<string, any>> = tf.data ?? {};
    const images = new Map<string, string>();
    for (const [id, cfg] of Object.entries(resources.docker_image ?? {})) images.set(`docker_image.${id}`, cfg.name);
    for (const [id, cfg] of Object.entries(data.docker_image ?? {})) images.set(`data.docker_image.${id}`, cfg.name);
    const networks = new Map<string, string>();
    const isolated = new Set<string>();
    for (const [id, cfg] of Object.entries(resources.docker_network ?? {})) {
      networks.set(`docker_network.${id}`, cfg.name);
      if (String(cfg.options?.[ENABLE_ICC_OPTION]) === 'false') isolated.add(`docker_network.${id}`);
    }
    for (const [id, cfg] of Object.entries(data.docker_network ?? {})) networks.set(`data.docker_network.${id}`, cfg.name);

    const byName = new Map([...networks].filter(([, n]) => isLiteral(n)).map(([ref, n]) => [n, ref]));

    this.containers = stack.node
      .findAll()
      .filter(isDockerWorkload)
      .map((resource) => {
        const kind: WorkloadKind = resource.terraformResourceType === 'docker_service' ? 'service' : 'container';
        const service = kind === 'service' ? (resources.docker_service?.[resource.friendlyUniqueId] ?? {}) : undefined;
        const config = service ? serviceAsContainer(service) : (resources.docker_container?.[resource.friendlyUniqueId] ?? {});
        const name = isLiteral(config.name) ? config.name : resource.node.path;
        const attachments: any[] = asArray(service ? service.task_spec?.networks_advanced : config.networks_advanced);
        // Swarm answers for a service's name (its virtual IP, or every task with dnsrr) and for tasks.<name>.
        const ownNames = kind === 'service' ? [name, `tasks.${name}`] : [name];
        return {
          kind,
          resource,
          name,
          config,
          service,
          image: resolveReference(config.image, images),
          networks: attachments.map((a) => {
            const raw = String(a.name);
            const networkName = resolveReference(a.name, networks) ?? raw;
            // One key per network, whether the container names it by reference or by its literal name.
            const ref = /^\$\{((?:data\.)?[a-z_]+\.[A-Za-z0-9_-]+)\./.exec(raw)?.[1] ?? byName.get(raw);
            const key = ref ?? raw;
            return {
              key,
              networkName,
              names: [...ownNames, ...asArray(a.aliases).map(String)],
              isolated: ref !== undefined && isolated.has(ref),
            };
          }),
          onDefaultBridge:
            kind === 'container' && attachments.length === 0 && [undefined, 'bridge', 'default'].includes(config.network_mode),
          publishesPorts: asArray(config.ports).length > 0 || config.publish_all_ports === true,
        };
      });
    for (const container of this.containers) {
      this.byResource.set(container.resource, container);
      for (const key of new Set(container.networks.map((n) => n.key))) {
        const members = this.byNetwork.get(key) ?? [];
        members.push(container);
        this.byNetwork.set(key, members);
      }
    }
  }

  /** The containers attached to the network with this key, in stack order. */
  public containersOn(key: string): ContainerModel[] {
    return [...(this.byNetwork.get(key) ?? [])];
  }

  /** The keys of the user-defined networks containers are attached to, in the order the stack first attaches them. */
  public get networkKeys(): string[] {
    return [...this.byNetwork.keys()];
  }

  /** The model of the `docker_container` or `docker_service` resource `resource`. */
  public containerOf(resource: IConstruct): ContainerModel | undefined {
    return this.byResource.get(resource);
  }
}

/** Forgets the stack's shared model when a synth starts: aspects visit the stack before anything inside it. */
class ForgetModelWhenSynthStarts implements IAspect {
  constructor(private readonly stack: TerraformStack) {}

  public visit(node: IConstruct): void {
    if (node === this.stack) StackModel.releaseSynth(this.stack);
  }
}

/** True for the provider's `docker_container` resource (also one a user created without our constructs). */
export function isDockerContainer(x: unknown): x is TerraformResource {
  return isResourceOfType(x, 'docker_container');
}

/** True for the provider's `docker_service` resource (also one a user created without our constructs). */
export function isDockerService(x: unknown): x is TerraformResource {
  return isResourceOfType(x, 'docker_service');
}

/** A `docker_container` or a `docker_service`: what the checks model. */
export function isDockerWorkload(x: unknown): x is TerraformResource {
  return isDockerContainer(x) || isDockerService(x);
}

function isResourceOfType(x: unknown, type: string): x is TerraformResource {
  return (
    typeof x === 'object' &&
    x !== null &&
    TerraformResource.isTerraformResource(x) &&
    !TerraformDataSource.isTerraformDataSource(x) &&
    (x as TerraformResource).terraformResourceType === type
  );
}

/** The construct a user wrote for a container: the ServiceContainer around a `Resource`, else the resource itself. */
export function ownerPath(resource: IConstruct): string {
  const owner = resource.node.id === 'Resource' ? resource.node.scope : undefined;
  return (owner ?? resource).node.path;
}

const SWARM_RESTART: Record<string, string> = { any: 'always', none: 'no', 'on-failure': 'on-failure' };

/** A `docker_service`'s attributes in a `docker_container`'s terms (see `ContainerModel.config`). */
function serviceAsContainer(service: Record<string, any>): Record<string, any> {
  const spec = service.task_spec ?? {};
  const container = spec.container_spec ?? {};
  const limits = spec.resources?.limits ?? {};
  const restart = spec.restart_policy;
  const env = container.env;
  return {
    name: service.name,
    image: container.image,
    command: container.command,
    user: container.user,
    read_only: container.read_only,
    capabilities:
      container.cap_add !== undefined || container.cap_drop !== undefined ? [{ add: container.cap_add, drop: container.cap_drop }] : undefined,
    mounts: container.mounts,
    env: env && typeof env === 'object' && !Array.isArray(env) ? Object.entries(env).map(([k, v]) => `${k}=${v}`) : env,
    healthcheck: container.healthcheck,
    labels: service.labels,
    memory: typeof limits.memory_bytes === 'number' ? limits.memory_bytes / (1024 * 1024) : limits.memory_bytes,
    cpus: typeof limits.nano_cpus === 'number' ? limits.nano_cpus / 1e9 : limits.nano_cpus,
    // Swarm's default condition is `any`.
    restart: restart === undefined ? 'always' : (SWARM_RESTART[String(restart.condition ?? 'any')] ?? String(restart.condition)),
    max_retry_count: restart?.max_attempts,
    ports: asArray(service.endpoint_spec?.ports).map((p) => ({
      internal: p.target_port,
      external: p.published_port,
      protocol: p.protocol,
      ip: '0.0.0.0',
    })),
  };
}

/** The resource and data source types the model reads. */
const DOCKER_TYPES = new Set(['docker_container', 'docker_service', 'docker_network', 'docker_image']);
const RESOLVER = new DefaultTokenResolver(new StringConcat());
/**
 * A string that may hold a token: an encoded string, list or map token, or a number token written into a string
 * (`-1.8881545897087626e+289`, which cdktf's resolver looks for as any number with an exponent).
 */
const MAY_HOLD_TOKEN = /TfToken\[|[-|\d.+]e[-|\d.eE+]/;

/**
 * The `resource` and `data` blocks of the stack's Docker objects, as `cdk.tf.json` will hold them. Not
 * `stack.toTerraform()`, which resolves the whole stack twice over (each element, then the merged document) and
 * costs as much as writing `cdk.tf.json`: each Docker element is synthesized on its own, and only its values that
 * hold tokens go through cdktf's resolver. A stack with overrides of its own (`stack.addOverride`) is synthesized
 * whole, as those can reach into any element.
 */
function dockerConfiguration(stack: TerraformStack): Record<string, any> {
  if (Object.keys((stack as any).rawOverrides ?? {}).length > 0) return stack.toTerraform();
  const tf: { resource: Record<string, any>; data: Record<string, any> } = { resource: {}, data: {} };
  for (const element of stack.node.findAll()) {
    const isElement = TerraformResource.isTerraformResource(element) || TerraformDataSource.isTerraformDataSource(element);
    if (!isElement || !DOCKER_TYPES.has(element.terraformResourceType)) continue;
    const fragment = resolveTokens(stack, element.toTerraform());
    for (const block of ['resource', 'data'] as const) {
      for (const [type, byId] of Object.entries<Record<string, any>>(fragment[block] ?? {})) {
        Object.assign((tf[block][type] ??= {}), byId);
      }
    }
  }
  return tf;
}

/**
 * What cdktf's resolver makes of `value`, calling it only on the parts that hold tokens: it costs as much on a
 * literal as on a token, and a synthesized container is almost all literals.
 */
function resolveTokens(scope: IConstruct, value: any): any {
  const resolve = (x: unknown) => Tokenization.resolve(x, { scope, resolver: RESOLVER });
  if (value === undefined || value === null) return value;
  if (typeof value === 'string') return MAY_HOLD_TOKEN.test(value) ? resolve(value) : value;
  if (typeof value === 'number') return Token.isUnresolved(value) ? resolve(value) : value;
  if (typeof value !== 'object' || value instanceof Date) return value;
  if (Array.isArray(value)) {
    return Token.isUnresolved(value) ? resolve(value) : value.map((x) => resolveTokens(scope, x)).filter((x) => x !== undefined);
  }
  if (Tokenization.isResolvable(value)) return resolve(value);
  const result: Record<string, any> = {};
  for (const key of Object.keys(value)) {
    // Most attributes of a synthesized resource are unset.
    if (value[key] === undefined) continue;
    if (MAY_HOLD_TOKEN.test(key)) return resolve(value);
    const resolved = resolveTokens(scope, value[key]);
    if (resolved !== undefined) result[key] = resolved;
  }
  return result;
}

/** A value known at synth: not a `${...}` reference. */
export function isLiteral(value: unknown): value is string {
  return typeof value === 'string' && !value.includes('${');
}

export function asArray(value: unknown): any[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * A literal as it is; `${docker_image.x.image_id}` (or any attribute of a known resource or data source) as that
 * resource's literal `name`; anything else (a variable, a function) as undefined.
 */
function resolveReference(value: unknown, names: Map<string, string>): string | undefined {
  if (isLiteral(value)) return value;
  if (typeof value !== 'string') return undefined;
  const match = /^\$\{((?:data\.)?[a-z_]+\.[A-Za-z0-9_-]+)\.[a-z_]+\}$/.exec(value);
  const name = match ? names.get(match[1]) : undefined;
  return isLiteral(name) ? name : undefined;
}
