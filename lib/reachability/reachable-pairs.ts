import { IConstruct } from 'constructs';
import { TerraformResource, TerraformStack } from 'cdktf';
import { StackModel } from '../analysis/model';
import { ContainerModel } from '../analysis/model-types';
import { NetworkMembers, ReachabilityRule } from './rule';

/** A flow the stack declares. */
export interface DeclaredFlow {
  /** The `docker_container` resource that opens connections. */
  readonly from: TerraformResource;
  /** The `docker_container` resource that answers them. */
  readonly to: TerraformResource;
  /** True for a flow the stack needs (`allow`), false for one it only tolerates (`tolerate`). */
  readonly needed: boolean;
  /** Why a tolerated flow is acceptable. */
  readonly reason?: string;
}

/** Two containers that reach each other, and the networks over which they do. */
export interface ReachablePair {
  readonly a: ContainerModel;
  readonly b: ContainerModel;
  /** Network names; `bridge` is Docker's default bridge (reachable by IP only). */
  readonly networks: string[];
  /** The declared flow between the two, in either direction. */
  readonly flow?: DeclaredFlow;
}

/**
 * Who reaches whom in one stack model, worked out network by network: two containers reach each other when they
 * share a network that does not isolate its members, so the pairs of a network are its members taken two at a time.
 *
 * With n containers, F declared flows and m members on each network:
 * - building it is O(n + attachments + F);
 * - listing every pair (`all`) is O(sum over networks of m^2), the size of the answer;
 * - the pairs that break the intent (`undeclared`) cost O(m + the flows of its members) for a network whose enforced
 *   pairs are all declared, or none of whose members is enforced; only a network with undeclared pairs is walked
 *   pair by pair, O(e * m) for e enforced members.
 */
export class ReachablePairs {
  public readonly networks: NetworkMembers[];
  private readonly index = new Map<ContainerModel, number>();
  /** Declared flows by pair (`pairKey`), in declaration order. */
  private readonly flowsByPair = new Map<number, DeclaredFlow[]>();
  /** For each container index, the indices it has a declared flow with. */
  private readonly partners: Set<number>[];
  private readonly enforced: boolean[];

  constructor(
    public readonly model: StackModel,
    flows: readonly DeclaredFlow[],
    stack: TerraformStack,
    everywhere: boolean,
  ) {
    const containers = model.containers;
    containers.forEach((c, i) => this.index.set(c, i));
    this.partners = containers.map(() => new Set<number>());
    for (const flow of flows) {
      const [from, to] = [model.containerOf(flow.from), model.containerOf(flow.to)];
      if (!from || !to) continue;
      const [i, j] = [this.index.get(from)!, this.index.get(to)!];
      const key = this.pairKey(i, j);
      const between = this.flowsByPair.get(key);
      if (between) between.push(flow);
      else this.flowsByPair.set(key, [flow]);
      this.partners[i].add(j);
      this.partners[j].add(i);
    }

    // Declared intent applies to the innermost scope holding both containers of a flow, below the stack itself.
    const scopes = new Set<IConstruct>();
    for (const flow of flows) scopes.add(innermostCommonScope(flow.from, flow.to));
    scopes.delete(stack);
    // A model of a stack knows the construct of each workload.
    this.enforced = containers.map((c) => everywhere || hasAncestorIn(c.resource!, scopes));
    this.networks = ReachabilityRule.networksOf(model);
  }

  /** Every pair that reaches each other, in stack order. */
  public all(): ReachablePair[] {
    return ReachabilityRule.pairsOf(this.model).map((pair) => ({ ...pair, flow: this.flowBetween(pair.a, pair.b) }));
  }

  /** The pairs that reach each other, must have a declared flow and have none, in stack order. */
  public undeclared(): ReachablePair[] {
    const keys = new Set<number>();
    for (const network of this.connecting()) {
      const ids = network.members.map((c) => this.index.get(c)!);
      const enforcedIds = ids.filter((i) => this.enforced[i]);
      if (enforcedIds.length === 0 || this.enforcedPairsAllDeclared(ids, enforcedIds.length)) continue;
      const members = new Set(ids);
      for (const i of enforcedIds) {
        for (const j of members) {
          if (j !== i && !this.partners[i].has(j)) keys.add(this.pairKey(i, j));
        }
      }
    }
    return this.toPairs(keys);
  }

  /** The declared pairs that reach each other, in stack order. */
  public declared(): ReachablePair[] {
    return this.toPairs(this.flowsByPair.keys()).filter((p) => p.networks.length > 0);
  }

  /** `pairs` sorted in stack order: by the first container, then the second. */
  public inStackOrder(pairs: ReachablePair[]): ReachablePair[] {
    const at = (c: ContainerModel) => this.index.get(c)!;
    return [...pairs].sort((p, q) => at(p.a) - at(q.a) || at(p.b) - at(q.b));
  }

  /** True when the pair must have a declared flow: everywhere, or where one container lies in a declaring scope. */
  public isEnforced(pair: { a: ContainerModel; b: ContainerModel }): boolean {
    return this.enforced[this.index.get(pair.a)!] || this.enforced[this.index.get(pair.b)!];
  }

  /** The containers no declared intent covers, in stack order: a flow of theirs that nobody declared passes. */
  public uncovered(): ContainerModel[] {
    return this.model.containers.filter((_, i) => !this.enforced[i]);
  }

  /** The declared flow between two containers, in either direction; a needed one before a tolerated one. */
  public flowBetween(a: ContainerModel, b: ContainerModel): DeclaredFlow | undefined {
    return this.flowOf(this.pairKey(this.index.get(a)!, this.index.get(b)!));
  }

  /** Networks whose members reach each other. */
  private connecting(): NetworkMembers[] {
    return this.networks.filter((n) => !n.isolated);
  }

  /**
   * Counts instead of listing: of the m members of a network, e are enforced, so m(m-1)/2 - (m-e)(m-e-1)/2 pairs
   * need a declared flow; compare that with the declared pairs among the members.
   */
  private enforcedPairsAllDeclared(ids: number[], enforcedCount: number): boolean {
    const m = ids.length;
    const free = m - enforcedCount;
    const needed = (m * (m - 1)) / 2 - (free * (free - 1)) / 2;
    const members = new Set(ids);
    let declared = 0;
    for (const i of ids) {
      for (const j of this.partners[i]) {
        if (j > i && members.has(j) && (this.enforced[i] || this.enforced[j])) declared++;
      }
    }
    return declared === needed;
  }

  private flowOf(key: number): DeclaredFlow | undefined {
    const between = this.flowsByPair.get(key);
    return between?.find((f) => f.needed) ?? between?.[0];
  }

  /**
   * One number for the pair of containers `i` and `j` in either order, `min * n + max`: it sorts in stack order,
   * by the first container, then the second.
   */
  private pairKey(i: number, j: number): number {
    const n = this.model.containers.length;
    return i < j ? i * n + j : j * n + i;
  }

  private toPairs(keys: Iterable<number>): ReachablePair[] {
    const containers = this.model.containers;
    const n = containers.length;
    return [...keys]
      .sort((k1, k2) => k1 - k2)
      .map((key) => {
        const a = containers[Math.floor(key / n)];
        const b = containers[key % n];
        return { a, b, networks: ReachabilityRule.networksBetween(a, b), flow: this.flowOf(key) };
      });
  }
}

/** The innermost construct that holds both `a` and `b`: the scope whose code declared a flow between them. */
function innermostCommonScope(a: IConstruct, b: IConstruct): IConstruct {
  let x = a;
  let y = b;
  let depthX = depthOf(a);
  let depthY = depthOf(b);
  for (; depthX > depthY; depthX--) x = x.node.scope!;
  for (; depthY > depthX; depthY--) y = y.node.scope!;
  while (x !== y) {
    x = x.node.scope!;
    y = y.node.scope!;
  }
  return x;
}

function depthOf(c: IConstruct): number {
  let depth = 0;
  for (let s = c.node.scope; s; s = s.node.scope) depth++;
  return depth;
}

/** True when `c` or a scope above it is in `scopes`. */
function hasAncestorIn(c: IConstruct, scopes: ReadonlySet<IConstruct>): boolean {
  if (scopes.size === 0) return false;
  for (let s: IConstruct | undefined = c; s; s = s.node.scope) if (scopes.has(s)) return true;
  return false;
}
