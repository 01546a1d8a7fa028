/**
 * The review of one stack's plan, as data: what happens to each Docker object and what it means for the running
 * containers, the policy findings and reachable pairs that change, and the topology after the apply. A pure
 * function of the plan JSON (and, optionally, the policy report synthesized from the code under review).
 */
import { DockerModel, EngineModel, PlanSide } from '../../lib';
import { Finding, PolicyReportJson, findingKey, findingsOf } from './policy';
import { Action, PlanJson, ResourceChange, actionOf, configOf, formatPath, valueAt } from './plan';
import { ChangeContext, onReplacedNetworks } from './change-context';
import { secretConsequences, serviceConsequences } from './swarm-consequences';
import { ReachablePair, Topology, deployedTopology, plannedTopology, reachablePairs } from './topology';

export type ObjectKind = 'network' | 'container' | 'service' | 'secret' | 'volume' | 'image' | 'other';

/** One Docker object Terraform changes. */
export interface ObjectChange {
  readonly kind: ObjectKind;
  /** The Docker name (for an image, its reference); for a replacement, the new one. */
  readonly name: string;
  /** The Docker name before, where a replacement renames the object. */
  readonly renamedFrom?: string;
  readonly address: string;
  readonly action: Exclude<Action, 'none'>;
  /** Terraform's reason where it gives one, e.g. `replace_because_cannot_update`. */
  readonly reason?: string;
  /** Top-level attributes whose value changes. */
  readonly changedAttributes: string[];
  /** For a replacement: the attributes that force it, with the old and the new value where they may be shown. */
  readonly forcedBy: { path: string; detail: string }[];
  /** What happens on the engine, in Docker's words. */
  readonly consequences: string[];
  /**
   * The engine it is on, after the apply (before it, for a deletion); undefined where the plan does not say: Terraform's
   * plan JSON names the provider configuration only of what the code still has.
   */
  readonly engine?: EngineModel;
}

export interface Review {
  readonly stack: string;
  readonly terraformVersion?: string;
  /** Any object or output changes: the review's exit status is 2, else 0. */
  readonly hasChanges: boolean;
  readonly counts: Record<'create' | 'update' | 'replace' | 'delete' | 'forget' | 'unchanged', number>;
  readonly changes: ObjectChange[];
  readonly outputsChanged: string[];
  /**
   * The engines objects are on, before or after the apply, where the plan names any but the environment's default
   * (an alias, or a host of its own); empty for a stack on one engine, which the review then does not name.
   */
  readonly engines: EngineModel[];
  readonly findings: { readonly added: Finding[]; readonly removed: Finding[] };
  /** Pairs of containers that become or stop being reachable, and those that stay reachable over other networks. */
  readonly reachability: {
    readonly added: ReachablePair[];
    readonly removed: ReachablePair[];
    readonly moved: { readonly a: string; readonly b: string; readonly before: string[]; readonly after: string[] }[];
  };
  /** The topology after the apply; objects being deleted are kept, with action `delete`. */
  readonly after: Topology;
}

export interface ReviewOptions {
  readonly stack: string;
  /** `cdktf.out/stacks/<stack>/policy-report.json` of the code under review: its suppressions. */
  readonly policyReport?: PolicyReportJson;
  /**
   * Whether the kernel of the engine's machine has IPVS (the `ip_vs` module), which a Swarm service's virtual IP and
   * the ingress routing mesh need: where false, the review says that a port published through the mesh will not
   * answer there.
   * @default - not known (a remote engine): the review says the mesh needs IPVS, not whether the engine has it
   */
  readonly ipvs?: boolean;
}

/** The kinds of object the review describes in Docker's words; the rest are `other`. */
const KINDS: readonly ObjectKind[] = ['network', 'container', 'service', 'secret', 'volume', 'image'];

/** What kind of object a provider resource type is, for the review. */
function kindOf(type: string): ObjectKind {
  const kind = DockerModel.kindOfType(type);
  return KINDS.find((k) => k === kind) ?? 'other';
}

export function reviewPlan(plan: PlanJson, options: ReviewOptions): Review {
  const beforeModel = DockerModel.fromPlan(plan, PlanSide.BEFORE);
  const afterModel = DockerModel.fromPlan(plan, PlanSide.AFTER);
  const before = deployedTopology(beforeModel);
  const after = plannedTopology(plan, beforeModel, afterModel);
  const managed = (plan.resource_changes ?? []).filter((rc) => rc.mode === 'managed');
  const changed = managed.filter((rc) => actionOf(rc.change.actions) !== 'none');
  const engines = namedEngines(beforeModel, afterModel);
  const changes = changed
    .map((rc) => {
      const change = describeChange(rc, { plan, before, after, options });
      if (engines.length === 0) return change;
      const engine = afterModel.engineAt(rc.address) ?? beforeModel.engineAt(rc.address);
      return { ...change, engine, consequences: [...change.consequences, ...placementOf(rc, engine, after)] };
    })
    .sort(byKindThenName);

  const counts = { create: 0, update: 0, replace: 0, delete: 0, forget: 0, unchanged: managed.length - changed.length };
  for (const c of changes) counts[c.action]++;
  const outputsChanged = Object.entries(plan.output_changes ?? {})
    .filter(([, oc]) => actionOf(oc.actions) !== 'none')
    .map(([name]) => name)
    .sort();

  const findingsBefore = findingsOf(beforeModel);
  const findingsAfter = findingsOf(afterModel, options.policyReport);
  const pairsBefore = reachablePairs(beforeModel);
  const pairsAfter = reachablePairs(afterModel);
  const pairKey = (p: ReachablePair) => `${p.a}|${p.b}`;
  const wasReachable = new Map(pairsBefore.map((p) => [pairKey(p), p]));
  // Over other networks: a network renamed (replaced under a new name) is the same network.
  const moved = pairsAfter.flatMap((p) => {
    const was = wasReachable.get(pairKey(p));
    return was && was.networkKeys.join(',') !== p.networkKeys.join(',') ? [{ a: p.a, b: p.b, before: was.networks, after: p.networks }] : [];
  });

  return {
    stack: options.stack,
    terraformVersion: plan.terraform_version,
    hasChanges: changes.length > 0 || outputsChanged.length > 0,
    counts,
    changes,
    outputsChanged,
    engines,
    findings: { added: minus(findingsAfter, findingsBefore, findingKey), removed: minus(findingsBefore, findingsAfter, findingKey) },
    reachability: { added: minus(pairsAfter, pairsBefore, pairKey), removed: minus(pairsBefore, pairsAfter, pairKey), moved },
    after,
  };
}

/**
 * The engines the objects of either side are on, where any is named beyond the environment's default (an alias, or a
 * host in the configuration); none otherwise.
 */
function namedEngines(before: DockerModel, after: DockerModel): EngineModel[] {
  const objects = (m: DockerModel) => [...m.networks, ...m.containers, ...m.volumes, ...m.secrets, ...m.images];
  const used = new Set([...objects(before), ...objects(after)].map((o) => o.engine));
  const engines = after.engines.filter((e) => used.has(e.key));
  return engines.some((e) => e.alias !== undefined || e.host !== undefined) ? engines : [];
}

/** `worker`, the alias of the engine with this key (`default` for the provider without one), as the review names it. */
export function engineName(key: string | undefined): string {
  if (key === undefined) return '(not named by the plan)';
  return key.includes('.') ? key.slice(key.indexOf('.') + 1) : 'default';
}

/** Where a changed object is, in Docker's words, beyond its engine: a Swarm service's tasks run where Swarm puts them. */
function placementOf(rc: ResourceChange, engine: EngineModel | undefined, after: Topology): string[] {
  if (engine === undefined) {
    return ["the plan does not name its engine: Terraform's plan JSON names the provider configuration only of what the code still has"];
  }
  if (DockerModel.kindOfType(rc.type) !== 'service' || actionOf(rc.change.actions) === 'delete') return [];
  const constraints = after.containers.find((c) => c.address === rc.address)?.swarm?.placement.constraints ?? [];
  const placement = constraints.length > 0 ? `placement: ${constraints.join(', ')}` : 'no placement constraint';
  return [
    `it is created through engine ${engineName(engine.key)}, a manager of its swarm; which nodes run its tasks is ` +
      `Swarm's choice at run time (${placement}), and no plan says it`,
  ];
}

/** Keys of the review's objects left out of its JSON. */
const LEFT_OUT_OF_JSON = new Set([
  // The workloads' attributes: they hold the environment, secrets included.
  'config',
  'service',
  // Each attachment's copy of its network, which the topology lists once.
  'network',
]);

/** The review as JSON (`cdktf.out/review/<stack>.json`), without the values that may hold secrets. */
export function reviewJson(review: Review): string {
  return `${JSON.stringify(review, (key, value) => (LEFT_OUT_OF_JSON.has(key) ? undefined : value), 2)}\n`;
}

/** What the description of one change reads besides the change itself. */
interface Context extends ChangeContext {
  readonly options: ReviewOptions;
}

function describeChange(rc: ResourceChange, context: Context): ObjectChange {
  const { plan, before, after } = context;
  const action = actionOf(rc.change.actions) as ObjectChange['action'];
  const kind = kindOf(rc.type);
  const old = rc.change.before ?? {};
  const now = rc.change.after ?? {};
  const name = String(now.name ?? old.name ?? rc.address);
  const unknown = rc.change.after_unknown ?? {};
  const changedAttributes =
    action === 'update' || action === 'replace'
      ? [...new Set([...Object.keys(old), ...Object.keys(now)])]
          // Values known only after the apply are not counted: on a replacement every computed one is.
          // The provider records unset attributes as "", 0, false or [] and plans them as null: the same. An
          // attribute the code does not set and plans empty keeps what Docker took from the image (user, workdir).
          .filter((k) => unknown[k] !== true && !deepEqual(withoutEmpty(old[k]), withoutEmpty(now[k])))
          .filter((k) => !(isEmpty(withoutEmpty(now[k])) && !(k in (configOf(plan, rc.address) ?? {}))))
          // A service's attributes are deep blocks: name what changes inside them (`task_spec.container_spec.env`).
          .flatMap((k) => (kind === 'service' ? changedPaths(old[k], now[k], unknown[k], [k]) : [k]))
          .sort()
      : [];
  const forcedBy =
    action === 'replace'
      ? (rc.change.replace_paths ?? []).map((path) => ({ path: formatPath(path), detail: forcedDetail(rc, path, plan, before, after) }))
      : [];
  return {
    kind,
    name: kind === 'other' ? `${rc.type} ${name}` : name,
    renamedFrom: action === 'replace' && old.name && now.name && old.name !== now.name ? String(old.name) : undefined,
    address: rc.address,
    action,
    reason: rc.action_reason,
    changedAttributes,
    forcedBy,
    consequences: consequences(kind, action, name, rc, context, changedAttributes),
  };
}

/**
 * The paths under `path` whose values differ, down to three steps (`task_spec.container_spec.env`), through the
 * blocks a state keeps as lists of one; values known only after the apply (`unknown`) are not counted.
 */
function changedPaths(old: unknown, now: unknown, unknown: unknown, path: string[]): string[] {
  const single = (v: unknown) => (Array.isArray(v) && v.length === 1 ? v[0] : v);
  const [o, n, u] = [single(old), single(now), single(unknown)];
  if (deepEqual(withoutEmpty(withoutUnknown(o, u)), withoutEmpty(withoutUnknown(n, u)))) return [];
  const isBlock = (v: unknown) => v === null || v === undefined || (typeof v === 'object' && !Array.isArray(v));
  if (path.length >= 3 || !isBlock(o) || !isBlock(n) || (!o && !n)) return [path.join('.')];
  const keys = [...new Set([...Object.keys(o ?? {}), ...Object.keys(n ?? {})])];
  const deeper = keys.flatMap((k) => changedPaths((o as any)?.[k], (n as any)?.[k], (u as any)?.[k], [...path, k]));
  return deeper.length > 0 ? deeper : [path.join('.')];
}

/** `value` without the parts `unknown` (a plan's `after_unknown` at the same place) marks as known only after the apply. */
function withoutUnknown(value: unknown, unknown: unknown): unknown {
  if (unknown === true) return undefined;
  if (!unknown || typeof unknown !== 'object' || !value || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v, i) => withoutUnknown(v, (unknown as any)[i]));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutUnknown(v, (unknown as any)[k])]));
}

/** `5000 → 5001`, or which replaced object the value follows. */
function forcedDetail(rc: ResourceChange, path: (string | number)[], plan: PlanJson, before: Topology, after: Topology): string {
  const root = String(path[0]);
  // Attachments are a set of ids: say which networks, under which aliases, before and after.
  const attachments = DockerModel.holdsAttachments(rc.type, path)
    ? `${networksOf(before, rc.address)} → ${networksOf(after, rc.address)}`
    : undefined;
  const expression = configOf(plan, rc.address)?.[root];
  const followed = [...referencesIn(expression)]
    .map((ref) => /^((?:data\.)?[a-z_]+\.[^.]+)/.exec(ref)?.[1])
    .map((address) => address && (plan.resource_changes ?? []).find((other) => other.address === address))
    .filter((other): other is ResourceChange => !!other && ['replace', 'create'].includes(actionOf(other.change.actions)));
  if (followed.length > 0) {
    const names = [...new Set(followed)].map(
      (other) =>
        `${actionOf(other.change.actions) === 'create' ? 'new' : 'replaced'} ${DockerModel.kindOfType(other.type) ?? other.type} ` +
        String(other.change.after?.name ?? other.address),
    );
    const follows = `follows the ${names.join(' and the ')} (${names.length > 1 ? 'ids' : 'its id'} known only after the apply)`;
    return attachments ? `${attachments}; ${follows}` : follows;
  }
  if (attachments) return attachments;
  if (DockerModel.mayHoldSecrets(path) || isSensitive(rc, path)) return 'changed (value not shown)';
  const was = valueAt(rc.change.before, path);
  const unknown = valueAt(rc.change.after_unknown, path) === true;
  const will = valueAt(rc.change.after, path);
  return `${show(was)} → ${unknown ? '(known after apply)' : show(will)}`;
}

/** `e2e-chg-a, e2e-chg-b (alias svc)`: the networks of a container, with its aliases on each. */
function networksOf(topology: Topology, address: string): string {
  const container = topology.containers.find((c) => c.address === address);
  if (!container || container.networks.length === 0) return '(none)';
  return container.networks
    .map((n) => `${n.networkName}${n.aliases.length > 0 ? ` (alias ${n.aliases.join(', ')})` : ''}${n.ipv4Address ? ` at ${n.ipv4Address}` : ''}`)
    .join(', ');
}

function isSensitive(rc: ResourceChange, path: (string | number)[]): boolean {
  const change = rc.change as unknown as { before_sensitive?: unknown; after_sensitive?: unknown };
  for (let i = 1; i <= path.length; i++) {
    const prefix = path.slice(0, i);
    if (valueAt(change.before_sensitive, prefix) === true || valueAt(change.after_sensitive, prefix) === true) return true;
  }
  return false;
}

function show(value: unknown): string {
  if (value === undefined || value === null) return '(none)';
  if (typeof value === 'string') return value === '' ? '""' : value;
  const text = JSON.stringify(value);
  return text.length <= 80 ? text : `${text.slice(0, 77)}...`;
}

function consequences(
  kind: ObjectKind,
  action: ObjectChange['action'],
  name: string,
  rc: ResourceChange,
  context: Context,
  changedAttributes: string[],
): string[] {
  const { plan, before, after } = context;
  if (action === 'forget') return ['Terraform stops managing it; Docker keeps it as it is'];
  switch (kind) {
    case 'container':
      return containerConsequences(action, rc, plan, before, after);
    case 'service':
      return serviceConsequences(action, rc, context, changedAttributes);
    case 'secret':
      return secretConsequences(action, rc, context);
    case 'network':
      return networkConsequences(action, rc, before, after);
    case 'volume':
      return {
        create: ['a new, empty volume'],
        update: ['changed in place'],
        replace: ['the volume is removed and created again: the data in it is lost'],
        delete: ['the volume is removed: the data in it is lost'],
      }[action];
    case 'image': {
      const users = after.containers.filter((c) => c.image === name || c.imageAddress === rc.address);
      const keep = (before.images.find((i) => i.address === rc.address) ?? after.images.find((i) => i.address === rc.address))?.keepLocally === true;
      return {
        create: ['the image is taken from the engine, or pulled where it is missing'],
        update: ['changed in place'],
        replace: [
          'the image is taken from the engine, or pulled where it is missing',
          ...(users.length > 0 ? [`containers that run it are recreated: ${users.map((c) => c.name).join(', ')}`] : []),
        ],
        delete: [keep ? 'Terraform forgets it; the image stays on the engine (keep_locally)' : 'the image is removed from the engine'],
      }[action];
    }
    default:
      return [];
  }
}

function containerConsequences(
  action: ObjectChange['action'],
  rc: ResourceChange,
  plan: PlanJson,
  before: Topology,
  after: Topology,
): string[] {
  const now = after.containers.find((c) => c.address === rc.address);
  const was = before.containers.find((c) => c.address === rc.address);
  const answersTo = (c: typeof now) =>
    (c?.networks ?? []).map((n) => `${[c!.name, ...n.aliases].join(', ')} on ${n.networkName}`).join('; ');
  switch (action) {
    case 'create':
      return [`a new container starts${now && now.networks.length > 0 ? `; it answers to ${answersTo(now)}` : ''}`];
    case 'update':
      return ['changed in place (docker update): the container keeps running and keeps its connections'];
    case 'delete':
      return [
        'the container is stopped and removed: its processes end and its connections drop',
        ...(was && was.networks.length > 0 ? [`these names stop resolving: ${answersTo(was)}`] : []),
      ];
    case 'replace': {
      const result = ['the container is removed and created again: its processes restart and its open connections drop'];
      const floating = (now?.networks ?? []).filter((n) => !n.ipv4Address).map((n) => n.networkName);
      if (floating.length > 0) result.push(`its IP address on ${floating.join(', ')} is not fixed in code and may change`);
      if (was?.config.read_only !== true) result.push('files it wrote outside its volumes are lost');
      return [...result, ...onReplacedNetworks(plan, was, now, before, after)];
    }
    default:
      return [];
  }
}

function networkConsequences(action: ObjectChange['action'], rc: ResourceChange, before: Topology, after: Topology): string[] {
  // Members before (under the old name) and after (under the new one): a renamed network is one object.
  const on = (t: Topology, name: unknown) => t.containers.filter((c) => c.networks.some((n) => n.networkName === name));
  const all = [...on(before, rc.change.before?.name), ...on(after, rc.change.after?.name)];
  const members = [...new Set(all.map((c) => c.name))].sort();
  const kinds = new Set(all.map((c) => c.kind));
  const noun = kinds.size > 1 ? 'container and service' : kinds.has('service') ? 'service' : 'container';
  const subnetFixed = (after.networks.find((n) => n.address === rc.address)?.subnets.length ?? 0) > 0;
  switch (action) {
    case 'create':
      return ['a new network'];
    case 'update':
      return [`changed in place: ${noun}s on it stay attached`];
    case 'delete':
      return [`the network is removed${members.length > 0 ? `; ${noun}s on it lose it: ${members.join(', ')}` : ''}`];
    case 'replace':
      return [
        members.length > 0
          ? `the network is removed and created again, and every ${noun} on it with it: ${members.join(', ')} (recreated: processes restart, connections drop)`
          : 'the network is removed and created again',
        ...(subnetFixed ? [] : ['its subnet is not fixed in code and may change']),
      ];
    default:
      return [];
  }
}

function* referencesIn(expression: unknown): Generator<string> {
  if (Array.isArray(expression)) {
    for (const e of expression) yield* referencesIn(e);
  } else if (expression && typeof expression === 'object') {
    const refs = (expression as { references?: unknown }).references;
    if (Array.isArray(refs)) yield* refs.map(String);
    for (const [key, value] of Object.entries(expression)) if (key !== 'references' && key !== 'constant_value') yield* referencesIn(value);
  }
}

function minus<T>(a: T[], b: T[], key: (x: T) => string): T[] {
  const keys = new Set(b.map(key));
  return a.filter((x) => !keys.has(key(x)));
}

const KIND_ORDER: ObjectKind[] = ['network', 'container', 'service', 'secret', 'volume', 'image', 'other'];
function byKindThenName(a: ObjectChange, b: ObjectChange): number {
  return KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || a.name.localeCompare(b.name) || a.address.localeCompare(b.address);
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === '' || value === false || value === 0) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value as object).length === 0;
}

/** The value with every empty part (see isEmpty) removed; undefined when nothing is left. */
function withoutEmpty(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(withoutEmpty).filter((v) => v !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [k, withoutEmpty(v)] as const).filter(([, v]) => v !== undefined);
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  }
  return isEmpty(value) ? undefined : value;
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
