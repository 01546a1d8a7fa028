/**
 * The review of one stack's plan, as data: what happens to each Docker object and what it means for the running
 * containers, the policy findings and reachable pairs that change, and the topology after the apply. A pure
 * function of the plan JSON (and, optionally, the policy report synthesized from the code under review).
 */
import { ContainerModel, DockerModel, EngineModel, PlanSide, PublishedPortModel } from '../../lib';
import { Finding, PolicyReportJson, findingKey, findingsOf } from './policy';
import { Action, PlanJson, ResourceChange, actionOf, configOf, formatPath, valueAt } from './plan';
import { ReachablePair, Topology, actionOn, deployedTopology, plannedTopology, reachablePairs } from './topology';

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
interface Context {
  readonly plan: PlanJson;
  readonly before: Topology;
  readonly after: Topology;
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

/** `it is on network x, replaced too: that alone recreates it`, for a workload on a network the plan replaces. */
function onReplacedNetworks(
  plan: PlanJson,
  was: ContainerModel | undefined,
  now: ContainerModel | undefined,
  before: Topology,
  after: Topology,
): string[] {
  const replacedNetworks = (plan.resource_changes ?? [])
    .filter((n) => kindOf(n.type) === 'network' && actionOf(n.change.actions) === 'replace')
    .map((n) => n.address);
  const onReplaced = [...(was?.networks ?? []), ...(now?.networks ?? [])]
    .map((n) => n.network?.address ?? '')
    .filter((address, i, all) => replacedNetworks.includes(address) && all.indexOf(address) === i);
  const label = (address: string) => {
    const [old, nu] = [before, after].map((t) => t.networks.find((n) => n.address === address)?.name);
    return old && nu && old !== nu ? `${old} (renamed ${nu})` : nu ?? old ?? address;
  };
  return onReplaced.length > 0
    ? [`it is on ${onReplaced.length > 1 ? 'networks' : 'network'} ${onReplaced.map(label).join(', ')}, replaced too: that alone recreates it`]
    : [];
}

/** `its 2 tasks`, `its task`, `its tasks (one on every node)`; `count` overrides the service's replicas. */
function tasksOf(service: ContainerModel | undefined, count = service?.swarm?.replicas): string {
  if (service?.swarm?.mode === 'global') return 'its tasks (one on every node)';
  if (count === undefined) return 'its tasks';
  return count === 1 ? 'its task' : `its ${count} tasks`;
}

/** `2 tasks`, `1 task`, `one task on every node that matches its placement`: the tasks Swarm starts for a service. */
function taskCount(service: ContainerModel | undefined): string {
  const swarm = service?.swarm;
  if (swarm?.mode === 'global') return 'one task on every node that matches its placement';
  if (swarm?.replicas === undefined) return 'its tasks';
  return `${swarm.replicas} ${swarm.replicas === 1 ? 'task' : 'tasks'}`;
}

/** How a service publishes a port: in host mode, or through the ingress routing mesh, and what that means. */
function publishing(port: PublishedPortModel, service: ContainerModel | undefined, options: ReviewOptions): { mode: string; means: string } {
  if (port.publishMode === 'host') {
    const replicas = service?.swarm?.replicas ?? 1;
    return {
      mode: 'host mode',
      means:
        'only the nodes that run a task answer on it, each straight to its own task, and a node runs at most one task of the port' +
        (service?.swarm?.mode !== 'global' && replicas > 1 ? ` (${replicas} tasks need ${replicas} nodes)` : ''),
    };
  }
  return {
    mode: 'the ingress routing mesh',
    means: `every node of the swarm answers on it and forwards to a task; ${NEEDS_IPVS}${noIpvsHere(options, 'the port will not answer')}`,
  };
}

/** `publishes 5000 → 80/tcp in host mode: ...`. */
function publishes(port: PublishedPortModel, service: ContainerModel | undefined, options: ReviewOptions): string {
  const { mode, means } = publishing(port, service, options);
  return `publishes ${portName(port)} ${mode === 'host mode' ? 'in' : 'through'} ${mode}: ${means}`;
}

const NEEDS_IPVS = 'the mesh needs IPVS (the ip_vs kernel module) on every node';

/** `: this machine has none, so <what> here` where the review knows the engine's kernel has no IPVS. */
function noIpvsHere(options: ReviewOptions, what: string): string {
  return options.ipvs === false ? `: this machine has none, so ${what} here` : '';
}

/** `5000 → 80/tcp`, a published port. */
function portName(port: PublishedPortModel): string {
  return `${port.external ?? '(a port Swarm picks)'} → ${port.internal}/${port.protocol}`;
}

/**
 * What users notice while Swarm rolls a change out over `count` tasks of a service (all of them where undefined), by
 * its update policy.
 */
function rollingUpdate(service: ContainerModel, count = service.swarm!.mode === 'global' ? undefined : service.swarm!.replicas): string {
  const policy = service.swarm!.updatePolicy;
  const batch = policy.parallelism === 0 || (count !== undefined && policy.parallelism >= count) ? count : policy.parallelism;
  const all = batch === undefined || batch === count;
  const pace = count === 1 ? '' : all ? ', all at once' : `, ${batch} at a time${policy.delay !== '0s' ? `, ${policy.delay} apart` : ''}`;
  let order: string;
  if (policy.order === 'start-first') {
    order =
      count === undefined
        ? 'start-first: each new task starts before the old one stops, so none is missing'
        : `start-first: each new task starts before the old one stops, so ${count} keep running (${count + batch!} for a moment)`;
  } else if (count === 1) {
    order = 'stop-first: the task stops before the new one starts, so the service answers nothing until the new task runs';
  } else if (all) {
    order = 'stop-first: every task stops before the new ones start, so the service answers nothing until they run';
  } else {
    order = `stop-first: each old task stops before its replacement starts, so ${batch} ${batch === 1 ? 'task is' : 'tasks are'} down at a time`;
  }
  const failure: Record<string, string> = {
    pause: 'Swarm pauses the update and the tasks already updated keep the new spec',
    continue: 'Swarm goes on with the next tasks',
    rollback: 'Swarm rolls the service back to its previous spec',
  };
  const what = count === 1 ? 'its one task' : tasksOf(service, count);
  return (
    `a rolling update of ${what}${pace}, ${order}; if an updated task fails within ${policy.monitor}, ` +
    (failure[policy.failureAction] ?? `Swarm does what failure_action ${policy.failureAction} says`)
  );
}

/** A secret a service mounts that the plan replaces: Swarm secrets cannot change, the new one has a new id. */
interface RotatedSecret {
  readonly name: string;
  /** Its name before, where the new secret has another. */
  readonly renamedFrom?: string;
  /**
   * Why the apply stops at the secret, before it updates the services that mount it: Terraform removes the old secret
   * first (its default order), which Docker refuses while a service mounts it; or it creates the new one first under
   * the same name, which Swarm refuses.
   */
  readonly stops?: string;
}

/** The secrets `service` mounts that the plan replaces. */
function rotatedSecrets(service: ContainerModel | undefined, plan: PlanJson, after: Topology): RotatedSecret[] {
  const replaced = new Map(
    (plan.resource_changes ?? [])
      .filter((rc) => kindOf(rc.type) === 'secret' && actionOf(rc.change.actions) === 'replace')
      .map((rc) => [rc.address, rc]),
  );
  return (service?.swarm?.secrets ?? []).flatMap((m) => {
    const rc = m.secretAddress ? replaced.get(m.secretAddress) : undefined;
    if (!rc) return [];
    const name = after.secrets.find((s) => s.address === m.secretAddress)?.name ?? m.secretName;
    const was = rc.change.before?.name;
    const renamedFrom = was && was !== name ? String(was) : undefined;
    const stops =
      rc.change.actions[0] === 'delete'
        ? 'which Terraform removes before it updates the services that mount it, and Docker refuses to remove a secret in use'
        : renamedFrom
          ? undefined
          : 'whose new content Terraform creates under the same name before it removes the old one, and Swarm refuses a second secret of a name';
    return [{ name, renamedFrom, stops }];
  });
}

/**
 * A Swarm service's change in Docker's words. The provider updates a service in place (`docker service update` with
 * the whole spec) except where an attribute forces a replacement (its name, its networks, global against
 * replicated). Swarm restarts tasks only where their task spec, published ports or endpoint changed: a rolling update
 * by the update policy. A new replica count alone starts or stops tasks and leaves the others running; a new update
 * policy or new labels restart nothing; new placement constraints move only the tasks whose node no longer matches.
 */
function serviceConsequences(action: ObjectChange['action'], rc: ResourceChange, context: Context, changed: string[]): string[] {
  const { plan, before, after, options } = context;
  const now = after.containers.find((c) => c.address === rc.address);
  const was = before.containers.find((c) => c.address === rc.address);
  const answersTo = (c: ContainerModel | undefined) => (c?.networks ?? []).map((n) => `${n.names.join(', ')} on ${n.networkName}`).join('; ');
  const ports = (c: ContainerModel | undefined) => (c?.ports ?? []).map((p) => publishes(p, c, options));
  switch (action) {
    case 'create':
      return [`a new service: Swarm starts ${taskCount(now)}${now && now.networks.length > 0 ? `; it answers to ${answersTo(now)}` : ''}`, ...ports(now)];
    case 'delete':
      return [
        `the service is removed: ${tasksOf(was)} stop and their open connections drop`,
        ...(was && was.networks.length > 0 ? [`these names stop resolving: ${answersTo(was)}`] : []),
      ];
    case 'replace': {
      const names = (c: ContainerModel | undefined) => (c?.networks ?? []).map((n) => n.networkName);
      const joins = names(now).filter((n) => !names(was).includes(n));
      const leaves = names(was).filter((n) => !names(now).includes(n));
      return [
        `the service is removed and created again, not rolled: ${tasksOf(was)} stop, then ${taskCount(now)} start, whatever its ` +
          'update policy: it answers nothing in between and open connections drop',
        ...(joins.length > 0 ? [`its new tasks join ${joins.join(', ')}`] : []),
        ...(leaves.length > 0 ? [`its new tasks are no longer on ${leaves.join(', ')}`] : []),
        ...(now?.config.read_only !== true ? ['files its tasks wrote outside their volumes are lost'] : []),
        ...onReplacedNetworks(plan, was, now, before, after),
      ];
    }
    case 'update':
      return serviceUpdate(was, now, rotatedSecrets(now, plan, after), changed, options);
    default:
      return [];
  }
}

/** What a service update (`docker service update`) does to the running tasks. */
function serviceUpdate(
  was: ContainerModel | undefined,
  now: ContainerModel | undefined,
  rotated: RotatedSecret[],
  changed: string[],
  options: ReviewOptions,
): string[] {
  if (!was?.swarm || !now?.swarm) return ['updated in place (docker service update)'];
  const stuck = rotated.find((r) => r.stops);
  if (stuck) return [`the apply stops before this update: it mounts the secret ${stuck.name}, ${stuck.stops}; the service keeps running as it is`];
  const lines: string[] = [];
  const reasons: string[] = [];
  // Changed paths are written `task_spec.container_spec.env`: what Swarm does with each comes from the model.
  const of = (aspect: ReturnType<typeof DockerModel.serviceChangeOf>) => changed.filter((p) => DockerModel.serviceChangeOf(p.split('.')) === aspect);
  // The secrets it mounts change with a rotated secret: said once, below.
  const taskSpec = of('tasks').filter((p) => rotated.length === 0 || p.split('.').pop() !== 'secrets');
  if (taskSpec.length > 0) reasons.push(`its task spec changes (${taskSpec.map((p) => p.split('.').slice(1).join('.')).join(', ')})`);
  for (const r of rotated) {
    reasons.push(r.renamedFrom ? `it mounts the new secret ${r.name} in place of ${r.renamedFrom}` : `it mounts the secret ${r.name}, replaced by a new one`);
  }
  const portKey = (p: PublishedPortModel) => `${p.internal}/${p.protocol}`;
  const portsChange = JSON.stringify(was.ports) !== JSON.stringify(now.ports);
  if (portsChange) reasons.push('its published ports change');
  if (was.swarm.endpointMode !== now.swarm.endpointMode) reasons.push('its endpoint mode changes');
  if (of('endpoint').length > 0 && !portsChange && was.swarm.endpointMode === now.swarm.endpointMode) reasons.push('its endpoint changes');
  // The provider writes the environment from a map, whose order Go varies from run to run, and Swarm compares the
  // list in order: a different order is a new task spec.
  const variables = Array.isArray(now.config.env) ? now.config.env.length : 0;
  const shuffled = reasons.length === 0 && variables > 1;
  const [from, to] = [was.swarm.replicas, now.swarm.replicas];
  if (from !== undefined && to !== undefined && from !== to) {
    const tasks = (n: number) => `${n} ${n === 1 ? 'task' : 'tasks'}`;
    lines.push(
      to > from
        ? `scaled from ${tasks(from)} to ${to}: Swarm starts ${to - from} more${reasons.length === 0 && !shuffled ? ' and leaves the running ones as they are' : ''}`
        : to === 0
          ? `scaled from ${tasks(from)} to 0: every task stops, the service answers nothing`
          : `scaled from ${tasks(from)} to ${to}: Swarm stops ${tasks(from - to)}, whose open connections drop`,
    );
  }
  for (const port of now.ports) {
    const old = was.ports.find((p) => portKey(p) === portKey(port));
    if (!old || old.external !== port.external) {
      lines.push(`${old ? `port ${portName(old)} changes: it ` : ''}${publishes(port, now, options)}`);
    } else if (old.publishMode !== port.publishMode) {
      const [from, to] = [publishing(old, was, options), publishing(port, now, options)];
      lines.push(`port ${portName(port)} moves from ${from.mode} to ${to.mode}: ${to.means}`);
    }
  }
  for (const port of was.ports.filter((p) => !now.ports.some((q) => portKey(q) === portKey(p)))) {
    lines.push(`stops publishing ${portName(port)}`);
  }
  if (was.swarm.endpointMode !== now.swarm.endpointMode) {
    lines.push(
      now.swarm.endpointMode === 'dnsrr'
        ? 'endpoint mode vip → dnsrr: its name resolves to the address of every task instead of one virtual IP'
        : `endpoint mode ${was.swarm.endpointMode} → ${now.swarm.endpointMode}: its name resolves to one virtual IP that balances over its tasks; ` +
            `a virtual IP needs IPVS (the ip_vs kernel module)${noIpvsHere(options, 'connections to it will time out')}`,
    );
  }
  // Where the service is scaled too, the tasks that run already are updated; the others start with the new spec.
  const running = from !== undefined && to !== undefined ? Math.min(from, to) : to;
  if (reasons.length > 0) {
    const tasks = tasksOf(now, running);
    lines.push(`${tasks} ${tasks === 'its task' ? 'restarts' : 'restart'}: ${reasons.join('; ')}`, rollingUpdate(now, running));
  }
  if (of('placement').length > 0 && reasons.length === 0) {
    lines.push('its placement changes: tasks on nodes that still match stay as they are, the others move to nodes that match');
  }
  if (shuffled) {
    lines.push(
      `the provider sends its ${variables} environment variables in an order that varies from run to run, and Swarm restarts the tasks ` +
        `when it differs from the last one, as it often does: then ${rollingUpdate(now, running)}`,
    );
  } else if (lines.length === 0) {
    lines.push('Swarm updates the service in place and no task restarts');
  }
  return lines;
}

/** A Swarm secret's change: a secret cannot change, new content replaces it, under a new id. */
function secretConsequences(action: ObjectChange['action'], rc: ResourceChange, context: Context): string[] {
  const { after } = context;
  const users = after.secrets.find((s) => s.address === rc.address)?.services ?? [];
  const services = (names: string[]) => `${names.length > 1 ? 'services' : 'service'} ${names.join(', ')}`;
  switch (action) {
    case 'create':
      return [`a new secret, kept encrypted in the swarm's raft log${users.length > 0 ? `; mounted into the tasks of ${users.join(', ')}` : ''}`];
    case 'replace': {
      if (users.length === 0) return ['a Swarm secret cannot change: the secret is removed and created again, with a new id; no service mounts it'];
      // Services the plan updates in place still mount the old secret when Terraform removes it first.
      const updated = users.filter((name) => {
        const service = after.containers.find((c) => c.kind === 'service' && c.name === name);
        return service && ['update', 'none'].includes(actionOn(after, service.address));
      });
      if (rc.change.actions[0] === 'delete' && updated.length > 0) {
        return [
          'a Swarm secret cannot change: Terraform removes it, then creates the new one, with a new id',
          `Docker refuses to remove a secret in use: the apply stops here with "secret '${rc.change.before?.name}' is in use by the following ` +
            `services", and the ${services(updated)} keep the old one. To rotate it, create the new secret under another name before the old ` +
            'one goes (create_before_destroy)',
        ];
      }
      if (rc.change.actions[0] === 'create' && rc.change.before?.name === rc.change.after?.name) {
        return [
          'a Swarm secret cannot change: Terraform creates the new one before it removes the old one',
          `Swarm refuses a second secret of the same name: the apply stops here, and the ${services(users)} keep the old one. Give the ` +
            'new secret another name',
        ];
      }
      return [
        'a Swarm secret cannot change: the new one is created (with a new id) and the old one removed',
        `the ${services(users)}, which mount it, restart their tasks to mount the new one`,
      ];
    }
    case 'delete':
      return ['the secret is removed from the swarm'];
    default:
      return ['changed in place'];
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
