import type { DockerModel } from '../analysis/docker-model';
import { DEFAULT_PROVIDER } from '../analysis/document';
import { ContainerModel, NetworkAttachmentModel } from '../analysis/model-types';

/** The name under which Docker's default bridge appears in reports. */
export const DEFAULT_BRIDGE = 'bridge';

/** The members of one network, in model order. */
export interface NetworkMembers {
  /** The network's name, or `bridge` for Docker's default bridge. */
  readonly name: string;
  /** The network's key in the model (`NetworkAttachmentModel.key`); `bridge` for Docker's default bridge. */
  readonly key: string;
  readonly members: ContainerModel[];
  /** The bridge drops traffic between members (`enable_icc=false`): nobody reaches anybody over it. */
  readonly isolated: boolean;
  /** Docker's default bridge, where names do not resolve. */
  readonly defaultBridge: boolean;
  /**
   * For Docker's default bridge: the engine it is on (`EngineModel.key`), where that is not the default one; each
   * engine has a default bridge of its own.
   */
  readonly engine?: string;
}

/** Two workloads of a model that reach each other, and the networks over which they do. */
export interface ModelReachablePair {
  readonly a: ContainerModel;
  readonly b: ContainerModel;
  /** Network names; `bridge` is Docker's default bridge (reachable by IP only). */
  readonly networks: string[];
}

/**
 * Docker's rule for who reaches whom, on a model of any origin (a stack at synth, a plan in a review): two
 * containers or services reach each other on every port, in both directions, when they share a user-defined
 * network (a bridge, or an overlay that spans the nodes of a swarm) that does not isolate its members
 * (`com.docker.network.bridge.enable_icc=false`), under the names each answers to there; and two containers on
 * Docker's default bridge of one engine reach each other by IP only. Across engines, only an overlay network joins:
 * a workload attached to a bridge (or any other local network) of another engine is not on it.
 */
export class ReachabilityRule {
  /** The networks over which `a` and `b` reach each other, by name; `bridge` for Docker's default bridge. */
  public static networksBetween(a: ContainerModel, b: ContainerModel): string[] {
    const shared = a.networks
      .filter((n) => !n.isolated && ReachabilityRule.joins(a, n) && b.networks.some((m) => m.key === n.key && ReachabilityRule.joins(b, m)))
      .map((n) => n.networkName);
    if (a.onDefaultBridge && b.onDefaultBridge && engineKey(a) === engineKey(b)) shared.push(DEFAULT_BRIDGE);
    return shared;
  }

  /**
   * True when `workload` is on the network of `attachment`: always on its own engine, and on another engine only
   * over a network that spans engines (overlay) or whose driver the model does not know (a network read by name).
   * An object whose engine the source does not say counts as on every engine.
   */
  public static joins(workload: ContainerModel, attachment: NetworkAttachmentModel): boolean {
    const network = attachment.network;
    if (!network || network.engine === undefined || workload.engine === undefined || network.engine === workload.engine) return true;
    return network.driver === undefined || network.driver === 'overlay';
  }

  /** The names `to` answers to on the named networks: none on the default bridge, where names do not resolve. */
  public static namesOn(to: ContainerModel, networks: string[]): string[] {
    return [...new Set(to.networks.filter((n) => networks.includes(n.networkName)).flatMap((n) => n.names))];
  }

  /** Each user-defined network with its members, in the order they are first attached, then Docker's default bridge. */
  public static networksOf(model: DockerModel): NetworkMembers[] {
    const networks: NetworkMembers[] = model.networkKeys.flatMap((key) => {
      const on = (c: ContainerModel) => c.networks.find((n) => n.key === key)!;
      const members = model.containersOn(key).filter((c) => ReachabilityRule.joins(c, on(c)));
      if (members.length === 0) return [];
      const attachment = on(members[0]);
      return [{ name: attachment.networkName, key, members, isolated: attachment.isolated, defaultBridge: false }];
    });
    // One default bridge an engine.
    const bridgedByEngine = new Map<string, ContainerModel[]>();
    for (const c of model.containers.filter((x) => x.onDefaultBridge)) {
      const list = bridgedByEngine.get(engineKey(c));
      if (list) list.push(c);
      else bridgedByEngine.set(engineKey(c), [c]);
    }
    for (const [engine, members] of bridgedByEngine) {
      const own = engine === DEFAULT_PROVIDER;
      networks.push({
        name: DEFAULT_BRIDGE,
        key: own ? DEFAULT_BRIDGE : `${DEFAULT_BRIDGE}@${engine}`,
        members,
        isolated: false,
        defaultBridge: true,
        ...(own ? {} : { engine }),
      });
    }
    return networks;
  }

  /** Every pair of workloads that reach each other, in model order (by the first, then the second). */
  public static pairsOf(model: DockerModel): ModelReachablePair[] {
    const workloads = model.containers;
    const index = new Map<ContainerModel, number>();
    workloads.forEach((c, i) => index.set(c, i));
    const n = workloads.length;
    const keys = new Set<number>();
    // Pairs are numbered `min * n + max`, which also sorts them in model order.
    for (const network of ReachabilityRule.networksOf(model).filter((x) => !x.isolated)) {
      const ids = network.members.map((c) => index.get(c)!);
      for (let x = 0; x < ids.length; x++) {
        for (let y = x + 1; y < ids.length; y++) keys.add(ids[x] < ids[y] ? ids[x] * n + ids[y] : ids[y] * n + ids[x]);
      }
    }
    return [...keys]
      .sort((k1, k2) => k1 - k2)
      .map((key) => {
        const a = workloads[Math.floor(key / n)];
        const b = workloads[key % n];
        return { a, b, networks: ReachabilityRule.networksBetween(a, b) };
      });
  }
}

/** The engine key of a workload; one whose source does not say counts as on the default engine. */
function engineKey(workload: ContainerModel): string {
  return workload.engine ?? DEFAULT_PROVIDER;
}
