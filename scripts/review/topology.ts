/**
 * The Docker objects of one side of a plan (what is deployed, or what will be after the apply), built from the plan
 * JSON alone: networks with their members and the names each member answers to there, published ports, volumes
 * and images.
 */
import { asArray } from '../../lib/analysis/model';
import { Action, ConfigExpression, PlanJson, ResourceValues, actionOf, moduleResources } from './plan';

/** The bridge driver option that turns off traffic between the containers of a network. */
const ENABLE_ICC_OPTION = 'com.docker.network.bridge.enable_icc';

/** The name under which Docker's default bridge appears. */
export const DEFAULT_BRIDGE = 'bridge';

export interface NetworkNode {
  readonly address: string;
  readonly name: string;
  /** Traffic between its members is off (`enable_icc=false`): they only publish ports through it. */
  readonly isolated: boolean;
  readonly internal: boolean;
  /** Subnets as planned or deployed; empty where Docker picks them at apply. */
  readonly subnets: string[];
  /** A network the stack reads (Network.fromName) rather than creates. */
  readonly external: boolean;
  readonly action: Action;
}

export interface Attachment {
  /** The network's Docker name; `(new network)` where the plan cannot say which. */
  readonly network: string;
  readonly aliases: string[];
  /** The address fixed in code, if any. */
  readonly ipv4Address?: string;
}

export interface PublishedPort {
  readonly internal: number;
  /** undefined: Docker picks a free host port at apply. */
  readonly external?: number;
  readonly ip?: string;
  readonly protocol: string;
}

export interface ContainerNode {
  readonly address: string;
  readonly name: string;
  /** The image reference (`redis:7.4-alpine`), where the plan names it. */
  readonly image?: string;
  readonly networks: Attachment[];
  readonly ports: PublishedPort[];
  readonly onDefaultBridge: boolean;
  /** The provider's attributes (state format), for the policy rules. */
  readonly values: Record<string, any>;
  readonly action: Action;
}

export interface NamedNode {
  readonly address: string;
  readonly name: string;
  readonly action: Action;
}

export interface Topology {
  readonly networks: NetworkNode[];
  readonly containers: ContainerNode[];
  readonly volumes: NamedNode[];
  readonly images: NamedNode[];
}

/** One object of one side of the plan: its attributes (null where known only at apply) and what happens to it. */
interface ObjectValues {
  readonly address: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly values: Record<string, any>;
  readonly action: Action;
}

/** What is deployed: the plan's prior state (refreshed from the engine). */
export function deployedTopology(plan: PlanJson): Topology {
  const objects = moduleResources(plan.prior_state?.values?.root_module).map(
    (r): ObjectValues => ({ ...pick(r), values: r.values ?? {}, action: 'none' }),
  );
  return build(objects, plan);
}

/**
 * What the engine will hold after the apply: the planned values of every object that is not deleted. Objects
 * being deleted are kept with action `delete`, so that a picture can show what goes.
 */
export function plannedTopology(plan: PlanJson): Topology {
  const prior = new Map(moduleResources(plan.prior_state?.values?.root_module).map((r) => [r.address, r]));
  const objects: ObjectValues[] = [];
  const seen = new Set<string>();
  for (const rc of plan.resource_changes ?? []) {
    seen.add(rc.address);
    const action = actionOf(rc.change.actions);
    const values = action === 'delete' || action === 'forget' ? rc.change.before : rc.change.after;
    if (!values) continue;
    objects.push({
      address: rc.address,
      mode: rc.mode,
      type: rc.type,
      values:
        action === 'replace' && rc.type === 'docker_container'
          ? predictComputed(values, rc.change.after_unknown ?? {}, rc.change.before ?? {}, configOf(plan, rc.address))
          : values,
      action,
    });
  }
  // Data sources read at plan time appear in the prior state only.
  for (const r of prior.values()) {
    if (!seen.has(r.address)) objects.push({ ...pick(r), values: r.values ?? {}, action: 'none' });
  }
  return build(objects, plan);
}

/**
 * A replaced container's attributes the code does not set (env, security_opts, healthcheck...) are known only after
 * the apply: Docker fills them in from the image and its defaults. Where the code does not set them, the prior
 * value is the best prediction (same image, same engine), so the policy rules do not report a finding on an
 * unknown that was fine before.
 */
function predictComputed(
  after: Record<string, any>,
  afterUnknown: Record<string, any>,
  before: Record<string, any>,
  config: Record<string, any> | undefined,
): Record<string, any> {
  const values = { ...after };
  for (const [key, unknown] of Object.entries(afterUnknown)) {
    if (unknown === true && (values[key] === null || values[key] === undefined) && !(key in (config ?? {}))) {
      values[key] = before[key];
    }
  }
  return values;
}

function pick(r: ResourceValues) {
  return { address: r.address, mode: r.mode, type: r.type };
}

/** The configuration expressions of the resource at `address`. */
export function configOf(plan: PlanJson, address: string): Record<string, any> | undefined {
  return plan.configuration?.root_module?.resources?.find((r) => r.address === address)?.expressions;
}

/** The managed or data resource a configuration expression refers to (`docker_network.x` of `docker_network.x.id`). */
export function referencedResource(expression: ConfigExpression | undefined, type: string): string | undefined {
  for (const ref of expression?.references ?? []) {
    const match = new RegExp(`^((?:data\\.)?${type}\\.[^.]+)`).exec(ref);
    if (match) return match[1];
  }
  return undefined;
}

function build(objects: ObjectValues[], plan: PlanJson): Topology {
  const ofType = (type: string) => objects.filter((o) => o.type === type);

  // Containers name networks by id (ServiceContainer) or by name (a hand-made container): know both.
  const networkNames = new Map<string, string>();
  const networkByAddress = new Map<string, string>();
  for (const n of ofType('docker_network')) {
    if (typeof n.values.name !== 'string') continue;
    networkNames.set(n.values.name, n.values.name);
    if (typeof n.values.id === 'string') networkNames.set(n.values.id, n.values.name);
    networkByAddress.set(n.address, n.values.name);
  }
  const imageNames = new Map<string, string>();
  const imageByAddress = new Map<string, string>();
  for (const i of ofType('docker_image')) {
    if (typeof i.values.name !== 'string') continue;
    imageByAddress.set(i.address, i.values.name);
    for (const key of ['image_id', 'repo_digest', 'id']) {
      if (typeof i.values[key] === 'string') imageNames.set(i.values[key], i.values.name);
    }
  }

  const networks = ofType('docker_network')
    .filter((n) => typeof n.values.name === 'string')
    .map((n): NetworkNode => ({
      address: n.address,
      name: n.values.name,
      isolated: String(n.values.options?.[ENABLE_ICC_OPTION]) === 'false',
      internal: n.values.internal === true,
      subnets: asArray(n.values.ipam_config).map((c) => c?.subnet).filter((s): s is string => typeof s === 'string' && s !== ''),
      external: n.mode === 'data',
      action: n.action,
    }));

  const containers = ofType('docker_container')
    .filter((c) => c.mode === 'managed')
    .map((c): ContainerNode => {
      const config = configOf(plan, c.address);
      const configured = asArray(config?.networks_advanced);
      const attachments = asArray(c.values.networks_advanced);
      const known = attachments.map((a) => (typeof a?.name === 'string' ? networkNames.get(a.name) ?? a.name : undefined));
      // Attachments whose network is new or replaced have no id yet: the configuration says which network each
      // is. Its elements that no known attachment accounts for are matched to them, aliases first, then in order.
      const unclaimed = configured
        .map((e) => ({ aliases: asArray(e?.aliases?.constant_value).map(String), network: configuredNetwork(e, networkByAddress) }))
        .filter((e) => e.network === undefined || !known.includes(e.network));
      const networksOf = attachments.map((a, i): Attachment => {
        const aliases = asArray(a?.aliases).map(String).sort();
        let network = known[i];
        if (network === undefined) {
          const match = unclaimed.find((e) => sameStrings(e.aliases, aliases)) ?? unclaimed[0];
          if (match) unclaimed.splice(unclaimed.indexOf(match), 1);
          network = match?.network ?? '(new network)';
        }
        return { network, aliases, ipv4Address: a?.ipv4_address || undefined };
      });
      // A set in Terraform: no order of its own.
      networksOf.sort((x, y) => x.network.localeCompare(y.network));
      let image = typeof c.values.image === 'string' ? imageNames.get(c.values.image) ?? c.values.image : undefined;
      if (image === undefined) {
        const address = referencedResource(config?.image, 'docker_image');
        image = address ? imageByAddress.get(address) : undefined;
      }
      return {
        address: c.address,
        name: typeof c.values.name === 'string' ? c.values.name : c.address,
        image,
        networks: networksOf,
        ports: asArray(c.values.ports).map((p) => ({
          internal: Number(p.internal),
          external: typeof p.external === 'number' ? p.external : undefined,
          ip: p.ip || undefined,
          protocol: p.protocol || 'tcp',
        })),
        onDefaultBridge: attachments.length === 0 && [undefined, null, '', 'bridge', 'default'].includes(c.values.network_mode),
        values: c.values,
        action: c.action,
      };
    });

  const named = (type: string) =>
    ofType(type)
      .filter((o) => o.mode === 'managed')
      .map((o): NamedNode => ({ address: o.address, name: typeof o.values.name === 'string' ? o.values.name : o.address, action: o.action }));

  return { networks, containers, volumes: named('docker_volume'), images: named('docker_image') };
}

/** Two containers that reach each other, by Docker name (a < b), and the networks over which they do. */
export interface ReachablePair {
  readonly a: string;
  readonly b: string;
  readonly networks: string[];
}

/**
 * Who reaches whom: containers sharing a network that does not isolate its members reach each other on every
 * port (the rule the library's Reachability applies at synth). Containers being deleted reach nobody.
 */
export function reachablePairs(topology: Topology): ReachablePair[] {
  const isolated = new Set(topology.networks.filter((n) => n.isolated).map((n) => n.name));
  const live = topology.containers.filter((c) => c.action !== 'delete' && c.action !== 'forget');
  const pairs: ReachablePair[] = [];
  for (let i = 0; i < live.length; i++) {
    for (let j = i + 1; j < live.length; j++) {
      const [x, y] = [live[i], live[j]].sort((p, q) => p.name.localeCompare(q.name));
      const shared = x.networks
        .map((n) => n.network)
        .filter((n) => !isolated.has(n) && y.networks.some((m) => m.network === n));
      if (x.onDefaultBridge && y.onDefaultBridge) shared.push(DEFAULT_BRIDGE);
      if (shared.length > 0) pairs.push({ a: x.name, b: y.name, networks: [...new Set(shared)].sort() });
    }
  }
  return pairs.sort((p, q) => `${p.a} ${p.b}`.localeCompare(`${q.a} ${q.b}`));
}

/** The Docker name of the network a configured `networks_advanced` element names, by reference or literally. */
function configuredNetwork(element: any, networkByAddress: Map<string, string>): string | undefined {
  const address = referencedResource(element?.name, 'docker_network');
  if (address) return networkByAddress.get(address);
  const constant = element?.name?.constant_value;
  return typeof constant === 'string' && !constant.includes('${') ? constant : undefined;
}

function sameStrings(a: string[], b: string[]): boolean {
  const sortedB = [...b].sort();
  return a.length === b.length && [...a].sort().every((v, i) => v === sortedB[i]);
}
