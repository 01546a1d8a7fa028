import type { DockerModel } from '../analysis/docker-model';
import { ContainerModel } from '../analysis/model-types';

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
 * Docker's default bridge reach each other by IP only.
 */
export class ReachabilityRule {
  /** The networks over which `a` and `b` reach each other, by name; `bridge` for Docker's default bridge. */
  public static networksBetween(a: ContainerModel, b: ContainerModel): string[] {
    const shared = a.networks.filter((n) => !n.isolated && b.networks.some((m) => m.key === n.key)).map((n) => n.networkName);
    if (a.onDefaultBridge && b.onDefaultBridge) shared.push(DEFAULT_BRIDGE);
    return shared;
  }

  /** The names `to` answers to on the named networks: none on the default bridge, where names do not resolve. */
  public static namesOn(to: ContainerModel, networks: string[]): string[] {
    return [...new Set(to.networks.filter((n) => networks.includes(n.networkName)).flatMap((n) => n.names))];
  }

  /** Each user-defined network with its members, in the order they are first attached, then Docker's default bridge. */
  public static networksOf(model: DockerModel): NetworkMembers[] {
    const networks: NetworkMembers[] = model.networkKeys.map((key) => {
      const members = model.containersOn(key);
      const attachment = members[0].networks.find((n) => n.key === key)!;
      return { name: attachment.networkName, key, members, isolated: attachment.isolated, defaultBridge: false };
    });
    const bridged = model.containers.filter((c) => c.onDefaultBridge);
    if (bridged.length > 0) networks.push({ name: DEFAULT_BRIDGE, key: DEFAULT_BRIDGE, members: bridged, isolated: false, defaultBridge: true });
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
