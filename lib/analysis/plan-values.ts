/**
 * One side of a plan (`terraform show -json`, format 1.x), or a state, put in a Terraform JSON document's terms, so that one
 * translation (build-model.ts) reads both: resources in state format become document blocks, and the ids a state
 * holds where the document has references (a network's id in `networks_advanced`, an image's id) become those
 * references again. Where a value is known only after the apply, the plan's configuration says what it refers to.
 * See Terraform's "JSON Output Format": unknown values are left out of `planned_values` and true in `after_unknown`.
 */
import { engineOfKey, type ObjectEntry } from './build-model';
import { DEFAULT_PROVIDER } from './document';
import { EngineModel, PlanSide } from './model-types';
import { asArray, isLiteral, referenceTo } from './values';

/**
 * The provider's blocks that hold at most one element (`MaxItems: 1`): a state keeps them as a list of one, a
 * document as an object. __tests__/analysis/plan-values.test.ts compares this list with the provider's classes.
 */
export const SINGLE_BLOCKS: ReadonlySet<string> = new Set([
  'auth',
  'bind_options',
  'build',
  'capabilities',
  'container_spec',
  'converge_config',
  'credential_spec',
  'dns_config',
  'endpoint_spec',
  'generic_resources',
  'healthcheck',
  'limits',
  'log_driver',
  'mode',
  'placement',
  'privileges',
  'replicated',
  'reservation',
  'resources',
  'restart_policy',
  'rollback_config',
  'se_linux_context',
  'task_spec',
  'timeouts',
  'tmpfs_options',
  'update_config',
  'volume_options',
]);

/** Where an attachment's network cannot be told from the plan: a new network, and the configuration names none. */
export const UNKNOWN_NETWORK = '(new network)';

interface ModuleValues {
  readonly resources?: StateResource[];
  readonly child_modules?: ModuleValues[];
}

interface StateResource {
  readonly address: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly values?: Record<string, any>;
  /** The provider configuration (`docker.<alias>`), where the source says it. */
  readonly provider?: string;
}

/** A resource of a state file: its instances hold the attributes. */
interface StateFileResource {
  readonly module?: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  /** `provider["registry.example/kreuzwerker/docker"].<alias>` */
  readonly provider?: string;
  readonly instances?: unknown[];
}

/** One attribute's expression in the plan's configuration: a literal, or references to other objects. */
interface ConfigExpression {
  readonly constant_value?: unknown;
  readonly references?: string[];
}

interface ConfigResource {
  readonly address: string;
  readonly expressions?: Record<string, any>;
  readonly depends_on?: string[];
  /** The provider configuration the resource is on: `docker`, `docker.<alias>`. */
  readonly provider_config_key?: string;
}

/** The objects of one side of `plan`, in document terms, in the plan's order. */
export function entriesOfPlan(plan: Record<string, any>, side: PlanSide): ObjectEntry[] {
  const prior = moduleResources(plan.prior_state?.values?.root_module);
  const configuration = new Map<string, ConfigResource>(
    asArray(plan.configuration?.root_module?.resources).map((r: ConfigResource) => [r.address, r]),
  );
  if (side === PlanSide.BEFORE) return inDocumentTermsAll(prior, configuration);
  const changes = new Map<string, any>(asArray(plan.resource_changes).map((rc) => [rc.address, rc]));
  const planned = moduleResources(plan.planned_values?.root_module);
  const seen = new Set(planned.map((r) => r.address));
  return inDocumentTermsAll(
    [
      ...planned.map((r) => ({ ...r, values: predictComputed(r, changes.get(r.address), configuration.get(r.address)) })),
      // Data sources read at plan time may appear in the prior state only.
      ...prior.filter((r) => r.mode === 'data' && !seen.has(r.address)),
    ],
    configuration,
  );
}

/** A state file's resources (`terraform state pull`, format 4), one object an instance, in document terms. */
export function entriesOfState(state: Record<string, any>): ObjectEntry[] {
  const resources = asArray(state.resources).flatMap((r: StateFileResource) =>
    asArray(r.instances).map((instance: { index_key?: string | number; attributes?: Record<string, any> }) => {
      const index = instance.index_key === undefined ? '' : `[${JSON.stringify(instance.index_key)}]`;
      const address = `${r.module ? `${r.module}.` : ''}${r.mode === 'data' ? 'data.' : ''}${r.type}.${r.name}${index}`;
      return { address, mode: r.mode, type: r.type, values: instance.attributes, provider: providerKeyOfState(r.provider) };
    }),
  );
  return inDocumentTermsAll(resources, new Map());
}

/** `docker.a` of a state's `provider["registry.example/kreuzwerker/docker"].a`, `docker` without an alias. */
function providerKeyOfState(provider: string | undefined): string | undefined {
  const match = /provider\["[^"]*\/([^"/]+)"\](?:\.([A-Za-z0-9_-]+))?$/.exec(provider ?? '');
  if (!match) return undefined;
  return match[2] === undefined ? match[1] : `${match[1]}.${match[2]}`;
}

/**
 * The docker provider configurations of a plan (`configuration.provider_config`), with their hosts where the
 * configuration gives one: a literal, or a variable whose value the plan holds.
 */
export function enginesOfPlan(plan: Record<string, any>): EngineModel[] {
  return Object.entries<Record<string, any>>(plan.configuration?.provider_config ?? {})
    .filter(([, config]) => config?.name === DEFAULT_PROVIDER)
    .map(([key, config]) => {
      const host = hostOf(config.expressions?.host, plan.variables ?? {});
      return host === undefined ? engineOfKey(key) : { ...engineOfKey(key), host };
    });
}

function hostOf(expression: ConfigExpression | undefined, variables: Record<string, { value?: unknown }>): string | undefined {
  if (isLiteral(expression?.constant_value)) return expression.constant_value;
  // `host = var.x`, or in JSON syntax "${var.x}": the value the plan was made with.
  const [only, ...others] = expression?.references ?? [];
  const variable = /^var\.([A-Za-z0-9_-]+)$/.exec(only ?? '')?.[1];
  const value = variable !== undefined && others.length === 0 ? variables[variable]?.value : undefined;
  return isLiteral(value) ? value : undefined;
}

function inDocumentTermsAll(resources: readonly StateResource[], configuration: ReadonlyMap<string, ConfigResource>): ObjectEntry[] {
  const lookup = new ObjectLookup(resources);
  return resources.map((r) => {
    const config = configuration.get(r.address);
    return {
      address: r.address,
      mode: r.mode,
      type: r.type,
      values: inDocumentTerms(r, config, lookup),
      // A plan's values name the provider, not its configuration: the configuration does, for what the code has.
      provider: r.provider ?? config?.provider_config_key,
    };
  });
}

/** Every resource of a module and its children. */
function moduleResources(module: ModuleValues | undefined): StateResource[] {
  if (!module) return [];
  return [...(module.resources ?? []), ...(module.child_modules ?? []).flatMap(moduleResources)];
}

/**
 * A replaced container's or service's attributes the code does not set (env, security_opts, healthcheck...) are
 * known only after the apply: Docker fills them in from the image and its defaults. Where the code does not set
 * them, the prior value is the best prediction (same image, same engine), so that a rule does not report a finding
 * on an unknown that was fine before.
 */
function predictComputed(resource: StateResource, change: any, config: ConfigResource | undefined): Record<string, any> {
  const values = { ...(resource.values ?? {}) };
  const actions: string[] = change?.change?.actions ?? [];
  const replaced = actions.includes('delete') && actions.includes('create');
  if (!replaced || (resource.type !== 'docker_container' && resource.type !== 'docker_service')) return values;
  const before = change.change.before ?? {};
  const configured = config?.expressions ?? {};
  for (const [key, unknown] of Object.entries<unknown>(change.change.after_unknown ?? {})) {
    if (unknown === true && (values[key] === null || values[key] === undefined) && !(key in configured)) values[key] = before[key];
  }
  return values;
}

/** The objects of one side a state value can refer to, by id or name. */
class ObjectLookup {
  /** Docker name and address of each network, by id and by name. */
  private readonly networks = new Map<string, { address: string; name?: string }>();
  private readonly networkNames = new Map<string, string>();
  /** The addresses of the images with an id or digest: several images may be one on the engine. */
  private readonly imagesById = new Map<string, string[]>();
  private readonly secrets = new Map<string, string>();

  constructor(resources: readonly StateResource[]) {
    for (const r of resources) {
      const values = r.values ?? {};
      const { name, id } = values;
      if (r.type === 'docker_network') {
        const network = { address: r.address, name: typeof name === 'string' ? name : undefined };
        if (typeof name === 'string') this.networks.set(name, network);
        if (typeof id === 'string') this.networks.set(id, network);
        if (typeof name === 'string') this.networkNames.set(r.address, name);
      } else if (r.type === 'docker_image') {
        for (const key of ['image_id', 'repo_digest', 'id']) {
          const value = values[key];
          if (typeof value === 'string') this.imagesById.set(value, [...(this.imagesById.get(value) ?? []), r.address]);
        }
      } else if (r.type === 'docker_secret') {
        if (typeof id === 'string') this.secrets.set(id, r.address);
        if (typeof name === 'string') this.secrets.set(name, r.address);
      }
    }
  }

  /** The network a state value (an id or a name) names. */
  public network(value: string): { address: string; name?: string } | undefined {
    return this.networks.get(value);
  }

  /** The Docker name of the network at `address`, on this side. */
  public networkName(address: string): string | undefined {
    return this.networkNames.get(address);
  }

  /** The addresses of the images an id or digest names. */
  public images(value: string): string[] {
    return this.imagesById.get(value) ?? [];
  }

  /** The address of the secret an id or name names. */
  public secret(value: unknown): string | undefined {
    return typeof value === 'string' ? this.secrets.get(value) : undefined;
  }
}

/** State values as a document writes them: no nulls, single blocks as objects, references where it has them. */
function inDocumentTerms(resource: StateResource, config: ConfigResource | undefined, lookup: ObjectLookup): Record<string, any> {
  const result: Record<string, any> = inDocumentShape(resource.values ?? {});
  const expressions = config?.expressions ?? {};
  if (config?.depends_on && config.depends_on.length > 0) result.depends_on = [...config.depends_on];
  if (resource.type === 'docker_container') {
    setDefined(result, 'networks_advanced', attachments(result.networks_advanced, expressions.networks_advanced, lookup));
    setDefined(result, 'image', imageReference(result.image, expressions.image, lookup));
  }
  const task = resource.type === 'docker_service' ? result.task_spec : undefined;
  if (task) {
    const taskExpressions = firstBlock(expressions.task_spec);
    setDefined(task, 'networks_advanced', attachments(task.networks_advanced, taskExpressions?.networks_advanced, lookup));
    const spec = task.container_spec;
    if (spec) {
      setDefined(spec, 'image', imageReference(spec.image, firstBlock(taskExpressions?.container_spec)?.image, lookup));
      for (const secret of asArray(spec.secrets)) {
        const address = lookup.secret(secret.secret_id) ?? lookup.secret(secret.secret_name);
        if (address) secret.secret_id = referenceTo(address, 'id');
      }
    }
  }
  return result;
}

/** Sets `key` of `target` to `value`, or leaves it out where `value` is undefined. */
function setDefined(target: Record<string, any>, key: string, value: unknown): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}

/** A block's expressions (a list of one in the configuration). */
function firstBlock(value: unknown): any {
  return Array.isArray(value) ? value[0] : value;
}

/** A value with its nulls left out and the provider's single blocks as objects, recursively. */
function inDocumentShape(value: any): any {
  if (Array.isArray(value)) return value.map(inDocumentShape);
  if (value === null || typeof value !== 'object') return value;
  const result: Record<string, any> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === null || item === undefined) continue;
    const shaped = SINGLE_BLOCKS.has(key) && Array.isArray(item) ? (item.length > 0 ? inDocumentShape(item[0]) : undefined) : inDocumentShape(item);
    if (shaped !== undefined) result[key] = shaped;
  }
  return result;
}

/**
 * A workload's image: the reference to the stack's `docker_image` it comes from, else the value as it is. Where
 * several images have the id (two tags of one image), the one the configuration names; where the id is known only
 * after the apply, the configuration says which image.
 */
function imageReference(value: unknown, expression: ConfigExpression | undefined, lookup: ObjectLookup): string | undefined {
  const configured = referencedObject(expression, 'docker_image');
  if (typeof value === 'string') {
    const candidates = lookup.images(value);
    const address = candidates.find((a) => a === configured) ?? candidates[0];
    return address ? referenceTo(address, 'image_id') : value;
  }
  if (configured) return referenceTo(configured, 'image_id');
  return isLiteral(expression?.constant_value) ? expression.constant_value : undefined;
}

/**
 * A workload's attachments (a set: no order of its own) in document terms, in the order of network names, each
 * naming its network by reference where the stack creates or reads it. Attachments whose network is new or replaced
 * have no id yet: the configuration says which network each is. Its elements that no known attachment accounts for
 * are matched to them, aliases first, then in order.
 */
function attachments(values: unknown, expressions: unknown, lookup: ObjectLookup): Record<string, any>[] | undefined {
  const list = asArray(values);
  if (list.length === 0) return undefined;
  const known = list.map((a) => (typeof a?.name === 'string' ? (lookup.network(a.name) ?? { name: a.name as string }) : undefined));
  const knownNames = known.map((k) => k?.name);
  const unclaimed = asArray(expressions)
    .map((e) => ({ aliases: sorted(asArray(e?.aliases?.constant_value).map(String)), network: configuredNetwork(e, lookup) }))
    .filter((e) => e.network?.name === undefined || !knownNames.includes(e.network.name));
  const result = list.map((a, i) => {
    const aliases = sorted(asArray(a?.aliases).map(String));
    let network: { address?: string; name?: string } | undefined = known[i];
    if (network === undefined) {
      const match = unclaimed.find((e) => sameStrings(e.aliases, aliases)) ?? unclaimed[0];
      if (match) unclaimed.splice(unclaimed.indexOf(match), 1);
      network = match?.network?.name !== undefined ? match.network : undefined;
    }
    const name = network?.name ?? UNKNOWN_NETWORK;
    return {
      sortKey: name,
      attachment: {
        ...inDocumentShape(a ?? {}),
        name: network?.address ? referenceTo(network.address, 'id') : name,
        aliases,
      },
    };
  });
  // A set in Terraform: no order of its own.
  result.sort((x, y) => x.sortKey.localeCompare(y.sortKey));
  return result.map((r) => r.attachment);
}

/** The network a configured attachment names, by reference (its address and, on this side, its name) or literally. */
function configuredNetwork(element: any, lookup: ObjectLookup): { address?: string; name?: string } | undefined {
  const address = referencedObject(element?.name, 'docker_network');
  if (address) return { address, name: lookup.networkName(address) };
  const constant = element?.name?.constant_value;
  return isLiteral(constant) ? (lookup.network(constant) ?? { name: constant }) : undefined;
}

/** The managed or data resource of `type` a configuration expression refers to (`docker_network.x` of `docker_network.x.id`). */
function referencedObject(expression: ConfigExpression | undefined, type: string): string | undefined {
  for (const ref of expression?.references ?? []) {
    const match = new RegExp(`^((?:data\\.)?${type}\\.[^.]+)`).exec(ref);
    if (match) return match[1];
  }
  return undefined;
}

function sorted(values: string[]): string[] {
  return [...values].sort();
}

function sameStrings(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
