import { Construct, IConstruct } from 'constructs';
import { Aspects, IAspect, TerraformResource, TerraformStack } from 'cdktf';
import { annotate } from '../analysis/annotate';
import { ContainerModel, IContainerConstruct, StackModel, isDockerWorkload, ownerPath } from '../analysis/model';
import { StackFiles } from '../analysis/stack-files';
import { brand, hasBrand } from '../core/brand';
import { ValidationError, constructLabel } from '../core/errors';
import { checkFrameworkCopies } from '../core/framework-copies';

/**
 * A container or a Swarm service a flow names: a ServiceContainer (any `IServiceContainer`), a SwarmService (any
 * `ISwarmService`), or the provider's `docker_container` or `docker_service` resource.
 */
export type Reachable = IContainerConstruct | TerraformResource;

/** A flow the stack declares. */
export interface DeclaredFlow {
  /** The `docker_container` (or `docker_service`) resource that opens connections. */
  readonly from: TerraformResource;
  /** The `docker_container` (or `docker_service`) resource that answers them. */
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

/** Rule ids of the reachability check; stable like the policy pack's. */
export const REACH_UNDECLARED = 'REACH1';
export const REACH_UNREACHABLE = 'REACH2';

/** The name under which the default bridge appears in reports. */
export const DEFAULT_BRIDGE = 'bridge';

/**
 * Who can reach whom in one stack, and the flows the stack declares.
 *
 * Containers and Swarm services that share a user-defined network (a bridge, or an overlay that spans the nodes of
 * a swarm) reach each other on every port, in both directions: Docker does
 * not filter by port or direction (except on a bridge with `com.docker.network.bridge.enable_icc=false`, where
 * they do not reach each other at all). A flow `from -> to` therefore covers the pair; its direction documents
 * who connects.
 *
 * Declared intent applies to the scope that declared it: the innermost construct holding both containers of a
 * flow (a `VotingApp` for its own flows). Synth fails (error annotations `REACH1`) for every pair of containers
 * that can reach each other without a declared flow where one of the two lies inside such a scope, naming the pair
 * and the network; `enforceEverywhere()` extends that to every pair of the stack, an explicit opt-in. `REACH2`
 * fails every needed flow whose two containers share no network. A stack that declares nothing gets the report
 * only.
 *
 * The report is written to `cdktf.out/stacks/<stack>/reachability.md` at synth.
 */
export class Reachability extends Construct implements IAspect {
  /** The stack's Reachability, created on first use (`Reachability.of(this).allow(vote, redis)`). */
  public static of(scope: IConstruct): Reachability {
    return Reachability.find(scope) ?? new Reachability(TerraformStack.of(scope));
  }

  /** The stack's Reachability if something created it (a declared flow, the policy pack), else undefined. */
  public static find(scope: IConstruct): Reachability | undefined {
    const existing = TerraformStack.of(scope).node.tryFindChild(REACHABILITY_ID);
    return Reachability.isReachability(existing) ? existing : undefined;
  }

  /** True for a Reachability, also one from another copy of this library. */
  public static isReachability(x: unknown): x is Reachability {
    return hasBrand(x, 'Reachability');
  }

  private readonly _flows: DeclaredFlow[] = [];
  private checked = false;
  private everywhere = false;

  private constructor(private readonly stack: TerraformStack) {
    super(stack, REACHABILITY_ID);
    brand(this, 'Reachability');
    checkFrameworkCopies(this);
    Aspects.of(stack).add(this);
    new StackFiles(stack, `${REACHABILITY_ID}Report`, () => ({ 'reachability.md': this.report() }));
  }

  /** The declared flows, in the order they were declared. */
  public get flows(): readonly DeclaredFlow[] {
    return [...this._flows];
  }

  /** Declares a flow the stack needs: `from` opens connections to `to`. Synth fails if they share no network. */
  public allow(from: Reachable, to: Reachable): this {
    this._flows.push({ from: this.resourceOf(from), to: this.resourceOf(to), needed: true });
    return this;
  }

  /**
   * Declares a flow the topology allows but the stack does not need; the report lists it as excess, with `reason`.
   */
  public tolerate(from: Reachable, to: Reachable, reason: string): this {
    if ((reason ?? '').trim().length < 10) {
      throw new ValidationError(
        this,
        `tolerating ${describe(from)} -> ${describe(to)} needs a reason of at least 10 characters, got "${reason ?? ''}".`,
      );
    }
    this._flows.push({ from: this.resourceOf(from), to: this.resourceOf(to), needed: false, reason });
    return this;
  }

  /**
   * Checks every pair of containers in the stack against the declared flows, not only pairs that touch a scope
   * that declared flows: a reachable pair with no declared flow anywhere in the stack fails the synth (REACH1).
   */
  public enforceEverywhere(): this {
    this.everywhere = true;
    return this;
  }

  /** Every pair of containers in the stack that can reach each other, in stack order. */
  public pairs(model: StackModel = StackModel.build(this.stack)): ReachablePair[] {
    const containers = model.containers;
    const pairs: ReachablePair[] = [];
    for (let i = 0; i < containers.length; i++) {
      for (let j = i + 1; j < containers.length; j++) {
        const networks = sharedNetworks(containers[i], containers[j]);
        if (networks.length > 0) {
          pairs.push({ a: containers[i], b: containers[j], networks, flow: this.flowBetween(containers[i], containers[j]) });
        }
      }
    }
    return pairs;
  }

  /** The problems of the declared intent: one message a pair, empty when the topology matches it. */
  public violations(model: StackModel = StackModel.build(this.stack)): { resource: TerraformResource; message: string }[] {
    if (this._flows.length === 0 && !this.everywhere) return [];
    const result: { resource: TerraformResource; message: string }[] = [];
    for (const pair of this.pairs(model)) {
      if (pair.flow || !this.isEnforced(pair)) continue;
      const via = pair.networks.map((n) => (n === DEFAULT_BRIDGE ? "Docker's default bridge" : `network ${n}`)).join(' and ');
      result.push({
        resource: pair.a.resource,
        message:
          `[${REACH_UNDECLARED}] ${pair.a.name} and ${pair.b.name} can reach each other over ${via}, but no flow between ` +
          `them is declared. Declare it on the two constructs (${ownerPath(pair.a.resource)} and ${ownerPath(pair.b.resource)}): ` +
          'Reachability.of(stack).allow(from, to), or .tolerate(from, to, reason) if it is not needed; or take one of ' +
          `them off ${pair.networks.join(', ')}.`,
      });
    }
    for (const flow of this._flows.filter((f) => f.needed)) {
      const from = model.containerOf(flow.from);
      const to = model.containerOf(flow.to);
      if (!from || !to || sharedNetworks(from, to).length > 0) continue;
      result.push({
        resource: flow.from,
        message:
          `[${REACH_UNREACHABLE}] the flow ${from.name} -> ${to.name} is declared as needed, but ${from.name} and ${to.name} ` +
          'share no network where they can reach each other; attach both to one user-defined network, or drop the declaration.',
      });
    }
    return result;
  }

  /** The report, as Markdown: networks, who reaches whom under which names, the excess and the violations. */
  public report(model: StackModel = StackModel.build(this.stack)): string {
    const pairs = this.pairs(model);
    return renderReport(this.stack.node.id, model, pairs, this._flows, this.violations(model), (p) => this.isEnforced(p));
  }

  /** True when the pair must have a declared flow: everywhere, or where one container lies in a declaring scope. */
  private isEnforced(pair: ReachablePair): boolean {
    if (this.everywhere) return true;
    const scopes = new Set(this._flows.map((f) => innermostCommonScope(f.from, f.to)).filter((s) => s !== this.stack));
    return [pair.a.resource, pair.b.resource].some((r) => r.node.scopes.some((s) => scopes.has(s)));
  }

  /** @internal aspect: checks the declared intent once, when the stack is visited at synth. */
  public visit(node: IConstruct): void {
    if (node !== this.stack || this.checked) return;
    this.checked = true;
    for (const v of this.violations()) annotate(v.resource, 'error', v.message);
  }

  private flowBetween(a: ContainerModel, b: ContainerModel): DeclaredFlow | undefined {
    const between = this._flows.filter(
      (f) => (f.from === a.resource && f.to === b.resource) || (f.from === b.resource && f.to === a.resource),
    );
    return between.find((f) => f.needed) ?? between[0];
  }

  private resourceOf(x: Reachable): TerraformResource {
    const resource = isDockerWorkload(x) ? x : x.resource;
    if (!isDockerWorkload(resource)) {
      throw new ValidationError(
        this,
        `${constructLabel(x)} is not a container or a service; pass a ServiceContainer, a SwarmService, or a docker_container or docker_service resource.`,
      );
    }
    if (TerraformStack.of(resource) !== this.stack) {
      throw new ValidationError(this, `${constructLabel(x)} is in another stack; declare flows in the stack of both containers.`);
    }
    return resource;
  }
}

const REACHABILITY_ID = 'Reachability';

/** The innermost construct that holds both `a` and `b`: the scope whose code declared a flow between them. */
function innermostCommonScope(a: IConstruct, b: IConstruct): IConstruct {
  const common = a.node.scopes.filter((s, i) => b.node.scopes[i] === s);
  return common[common.length - 1];
}

function describe(x: Reachable): string {
  const name: unknown = isDockerWorkload(x) ? undefined : (x as { name?: unknown }).name;
  return typeof name === 'string' ? name : x.node.path;
}

/** The networks over which two containers reach each other: shared ones that do not isolate their members. */
export function sharedNetworks(a: ContainerModel, b: ContainerModel): string[] {
  const shared = a.networks
    .filter((n) => !n.isolated && b.networks.some((m) => m.key === n.key))
    .map((n) => n.networkName);
  if (a.onDefaultBridge && b.onDefaultBridge) shared.push(DEFAULT_BRIDGE);
  return shared;
}

/** The names `to` answers to on the networks it shares with `from`. */
function namesOf(to: ContainerModel, networks: string[]): string[] {
  if (networks.every((n) => n === DEFAULT_BRIDGE)) return ['(by IP only: names do not resolve on the default bridge)'];
  return [...new Set(to.networks.filter((n) => networks.includes(n.networkName)).flatMap((n) => n.names))];
}

function renderReport(
  stackName: string,
  model: StackModel,
  pairs: ReachablePair[],
  flows: readonly DeclaredFlow[],
  violations: { message: string }[],
  isEnforced: (pair: ReachablePair) => boolean,
): string {
  const nameOf = (r: TerraformResource) => model.containerOf(r)?.name ?? r.node.path;
  const lines: string[] = [`# Reachability: stack ${stackName}`, ''];
  lines.push(
    'Containers that share a user-defined network reach each other on every port, in both directions; Docker does',
    'not filter by port or direction. A network with `com.docker.network.bridge.enable_icc=false` only publishes',
    "ports and connects nobody. Names are what Docker's embedded DNS answers on that network.",
    'A Swarm service reaches every member of its overlay networks from any node, and answers to its name and to',
    '`tasks.<name>` (every task); an overlay network has no switch to separate its members.',
    '',
  );
  const intent =
    flows.length === 0 && violations.length === 0
      ? 'none declared (the stack is not checked against an intent)'
      : `${flows.filter((f) => f.needed).length} needed, ${flows.filter((f) => !f.needed).length} tolerated; ` +
        (violations.length === 0 ? 'the topology matches it' : `${violations.length} violation(s), see below`);
  lines.push(`Declared intent: ${intent}.`, '');

  lines.push('## Networks', '', '| network | members (names they answer to) | traffic between members |', '| --- | --- | --- |');
  const networkNames = [...new Set(model.containers.flatMap((c) => c.networks.map((n) => n.networkName)))];
  for (const network of networkNames) {
    const members = model.containers.flatMap((c) => c.networks.filter((n) => n.networkName === network).map((n) => ({ c, n })));
    const isolated = members.some(({ n }) => n.isolated);
    const list = members.map(({ c, n }) => `${c.name} (${[...new Set(n.names)].join(', ')})`).join('; ');
    lines.push(`| ${network} | ${list} | ${isolated ? 'blocked (enable_icc=false)' : 'allowed'} |`);
  }
  const bridged = model.containers.filter((c) => c.onDefaultBridge);
  if (bridged.length > 0) {
    lines.push(`| ${DEFAULT_BRIDGE} (Docker's default) | ${bridged.map((c) => c.name).join('; ')} | allowed, by IP only |`);
  }
  const others = model.containers.filter((c) => c.networks.length === 0 && !c.onDefaultBridge);
  for (const c of others) lines.push(`| network_mode ${c.config.network_mode} | ${c.name} | not modelled |`);
  lines.push('');

  lines.push('## Who reaches whom', '', '| from | to | over | as | intent |', '| --- | --- | --- | --- | --- |');
  const describeFlow = (pair: ReachablePair) => {
    const flow = pair.flow;
    if (!flow) return isEnforced(pair) ? '**undeclared**' : '-';
    const arrow = `${nameOf(flow.from)} -> ${nameOf(flow.to)}`;
    return flow.needed ? `needed (${arrow})` : `excess (tolerated: ${flow.reason})`;
  };
  for (const pair of pairs) {
    for (const [from, to] of [[pair.a, pair.b], [pair.b, pair.a]]) {
      lines.push(`| ${from.name} | ${to.name} | ${pair.networks.join(', ')} | ${namesOf(to, pair.networks).join(', ')} | ${describeFlow(pair)} |`);
    }
  }
  if (pairs.length === 0) lines.push('| - | - | - | - | no two containers share a network |');
  lines.push('');

  const excess = pairs.filter((p) => p.flow && !p.flow.needed);
  const undeclared = pairs.filter((p) => !p.flow && isEnforced(p));
  lines.push('## Excess: allowed by the topology, not needed', '');
  if (excess.length === 0 && undeclared.length === 0) lines.push('None.');
  for (const p of excess) lines.push(`- ${p.a.name} <-> ${p.b.name} over ${p.networks.join(', ')}: ${p.flow!.reason}`);
  for (const p of undeclared) lines.push(`- ${p.a.name} <-> ${p.b.name} over ${p.networks.join(', ')}: undeclared`);
  lines.push('');

  lines.push('## Violations of the declared intent', '');
  if (violations.length === 0) lines.push('None.');
  for (const v of violations) lines.push(`- ${v.message}`);
  lines.push('');
  return lines.join('\n');
}
