import { Construct, IConstruct } from 'constructs';
import { IAspect, TerraformResource, TerraformStack } from 'cdktf';
import { annotate } from '../analysis/annotate';
import { FinalSynth } from '../analysis/final-synth';
import { IContainerConstruct, StackModel, isDockerWorkload, ownerPath } from '../analysis/model';
import { ContainerModel } from '../analysis/model-types';
import { StackFiles } from '../analysis/stack-files';
import { hasBrand, registerConstruct } from '../core/brand';
import { ValidationError, constructLabel } from '../core/errors';
import { DeclaredFlow, ReachablePair, ReachablePairs } from './reachable-pairs';
import { DEFAULT_BRIDGE, ReachabilityRule } from './rule';
import { renderReachabilityReport } from './report';

/**
 * A container or a Swarm service a flow names: a ServiceContainer (any `IServiceContainer`), a SwarmService (any
 * `ISwarmService`), or the provider's `docker_container` or `docker_service` resource.
 */
export type Reachable = IContainerConstruct | TerraformResource;

export type { DeclaredFlow, ReachablePair } from './reachable-pairs';
export { DEFAULT_BRIDGE } from './rule';

/** Rule ids of the reachability check; stable like the policy pack's. */
export const REACH_UNDECLARED = 'REACH1';
export const REACH_UNREACHABLE = 'REACH2';
export const REACH_UNCOVERED = 'REACH3';

/** Containers a `REACH3` warning names; the rest are counted. */
const UNCOVERED_NAMED = 5;

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
 * flow (a `VotingApp` for its own flows), never the stack as a whole. A container inside such a scope is covered:
 * synth fails (error annotations `REACH1`) for every pair of containers that can reach each other without a
 * declared flow where one of the two is covered, naming the pair and the network. A container outside every such
 * scope is not checked; while the stack declares some intent, a warning (`REACH3`) lists those containers, and the
 * report says which pairs were not checked. `enforceEverywhere()` is the strict mode: it covers every container of
 * the stack. `REACH2` fails every needed flow whose two containers share no network. A stack that declares nothing
 * gets the report only, which says that nothing is checked.
 *
 * The report is written to `cdktf.out/stacks/<stack>/reachability.md` at synth. Its size grows with the containers
 * and the declared flows, not with the pairs: a network where everyone reaches everyone is one line.
 *
 * Cost, for n containers, F declared flows and m members on each network: the check is O(n + F) plus
 * O(m + the flows of its members) a network, walking a network pair by pair (O(m^2)) only where it has undeclared
 * pairs; `pairs()` lists every pair, O(sum over networks of m^2). One model of the stack serves the checks and the
 * reports of a synth.
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
  /** The last analysis, reused while the model and the declarations are the same (the check and the report of a synth). */
  private lastAnalysis?: { model: StackModel; flows: number; everywhere: boolean; reach: ReachablePairs; violations?: Violation[] };

  private constructor(private readonly stack: TerraformStack) {
    super(stack, REACHABILITY_ID);
    registerConstruct(this, 'Reachability');
    StackModel.shareWithinSynth(stack);
    FinalSynth.addAspect(stack, this);
    FinalSynth.whenTreeIsFinal(stack, () => this.checkIntent());
    new StackFiles(stack, `${REACHABILITY_ID}Report`, () => {
      const report = this.report(StackModel.ofSynth(stack));
      // The last reader of the synth's model: cdktf writes the stack next.
      StackModel.releaseSynth(stack);
      this.lastAnalysis = undefined;
      return { 'reachability.md': report };
    });
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
   * The strict mode: an undeclared flow anywhere in the stack fails the synth. Every pair of containers in the stack
   * that can reach each other must have a declared flow (`allow` or `tolerate`), not only the pairs that touch a
   * construct that declared flows; each pair without one fails as `REACH1`. Without it, flows declared at the
   * stack's root cover no container by themselves, and a `REACH3` warning lists the containers left unchecked.
   */
  public enforceEverywhere(): this {
    this.everywhere = true;
    return this;
  }

  /** Every pair of containers in the stack that can reach each other, in stack order. */
  public pairs(model: StackModel = StackModel.build(this.stack)): ReachablePair[] {
    return this.analyse(model).reach.all();
  }

  /** The problems of the declared intent: one message a pair, empty when the topology matches it. */
  public violations(model?: StackModel): { resource: TerraformResource; message: string }[] {
    if (!this.declaresIntent) return [];
    const analysis = this.analyse(model ?? StackModel.build(this.stack));
    return (analysis.violations ??= this.violationsOf(analysis.reach));
  }

  /** The report, as Markdown: networks, who reaches whom under which names, the excess and the violations. */
  public report(model: StackModel = StackModel.build(this.stack)): string {
    const { reach } = this.analyse(model);
    const violations = this.violations(model);
    return renderReachabilityReport({
      stack: this.stack.node.id,
      model,
      reach,
      flows: this._flows,
      violations,
      declared: this.declaresIntent,
      everywhere: this.everywhere,
    });
  }

  /**
   * @internal aspect: checks the declared intent when the stack is visited at synth, unless the synth checks it once
   * the tree is final (`FinalSynth`).
   */
  public visit(node: IConstruct): void {
    if (node === this.stack && !FinalSynth.defers(this.stack)) this.checkIntent();
  }

  /** True when the stack declares some intent: a flow, or the strict mode. */
  private get declaresIntent(): boolean {
    return this._flows.length > 0 || this.everywhere;
  }

  /**
   * Annotates each problem of the declared intent as an error, and the containers it leaves unchecked as one warning,
   * once. A stack that declares no intent stays quiet: its report says that nothing is checked.
   */
  private checkIntent(): void {
    if (this.checked) return;
    this.checked = true;
    if (!this.declaresIntent) return;
    const model = StackModel.ofSynth(this.stack);
    for (const v of this.violations(model)) annotate(v.resource, 'error', v.message);
    const uncovered = this.analyse(model).reach.uncovered();
    if (uncovered.length > 0) annotate(this, 'warning', uncoveredMessage(uncovered, model.containers.length));
  }

  private analyse(model: StackModel): NonNullable<Reachability['lastAnalysis']> {
    const last = this.lastAnalysis;
    if (last?.model === model && last.flows === this._flows.length && last.everywhere === this.everywhere) return last;
    const reach = new ReachablePairs(model, this._flows, this.stack, this.everywhere);
    return (this.lastAnalysis = { model, flows: this._flows.length, everywhere: this.everywhere, reach });
  }

  private violationsOf(reach: ReachablePairs): Violation[] {
    const result: Violation[] = [];
    for (const pair of reach.undeclared()) {
      const via = pair.networks.map((n) => (n === DEFAULT_BRIDGE ? "Docker's default bridge" : `network ${n}`)).join(' and ');
      // A model of a stack knows the construct of each workload.
      const [a, b] = [pair.a.resource!, pair.b.resource!];
      result.push({
        resource: a,
        message:
          `[${REACH_UNDECLARED}] ${pair.a.name} and ${pair.b.name} can reach each other over ${via}, but no flow between ` +
          `them is declared. Declare it on the two constructs (${ownerPath(a)} and ${ownerPath(b)}): ` +
          'Reachability.of(stack).allow(from, to), or .tolerate(from, to, reason) if it is not needed; or take one of ' +
          `them off ${pair.networks.join(', ')}.`,
      });
    }
    const model = reach.model;
    for (const flow of this._flows.filter((f) => f.needed)) {
      const from = model.containerOf(flow.from);
      const to = model.containerOf(flow.to);
      if (!from || !to || ReachabilityRule.networksBetween(from, to).length > 0) continue;
      result.push({
        resource: flow.from,
        message:
          `[${REACH_UNREACHABLE}] the flow ${from.name} -> ${to.name} is declared as needed, but ${from.name} and ${to.name} ` +
          'share no network where they can reach each other; attach both to one user-defined network, or drop the declaration.',
      });
    }
    return result;
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

/** A problem of the declared intent, and the resource its error annotation goes on. */
interface Violation {
  readonly resource: TerraformResource;
  readonly message: string;
}

/** The `REACH3` warning: the containers outside the declared intent, the first few by name, and the fix. */
function uncoveredMessage(uncovered: readonly ContainerModel[], total: number): string {
  const named = uncovered.slice(0, UNCOVERED_NAMED).map((c) => c.name);
  if (uncovered.length > UNCOVERED_NAMED) named.push(`and ${uncovered.length - UNCOVERED_NAMED} more`);
  return (
    `[${REACH_UNCOVERED}] ${uncovered.length} of ${total} containers lie outside the declared intent, so no flow of ` +
    `theirs is checked: ${named.join(', ')}. Declared intent applies inside the innermost construct that holds both ` +
    'containers of a flow, never to the stack as a whole: a flow of these containers that nobody declared passes. ' +
    'Check them with Reachability.of(stack).enforceEverywhere(), which fails every undeclared pair of the stack (REACH1), ' +
    'or declare their flows inside a construct that holds them; reachability.md lists them.'
  );
}

function describe(x: Reachable): string {
  const name: unknown = isDockerWorkload(x) ? undefined : (x as { name?: unknown }).name;
  return typeof name === 'string' ? name : x.node.path;
}
