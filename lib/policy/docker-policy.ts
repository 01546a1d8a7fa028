import { IConstruct } from 'constructs';
import { App, Aspects, IAspect, TerraformStack } from 'cdktf';
import { Reachability } from '../reachability/reachability';
import { ValidationError } from '../validation';
import { annotate } from './annotate';
import { PolicyLevel, atLeast } from './level';
import { StackModel, isDockerContainer } from './model';
import { renderJsonReport, renderMarkdownReport } from './report';
import { IPolicyRule } from './rule';
import { DOCKER_POLICY_RULES } from './rules';
import { StackFiles } from './synth-files';
import { PolicySuppression, addSuppressions, findSuppression } from './suppressions';

export interface DockerPolicyProps {
  /**
   * Unsuppressed findings at this level or above fail the synth (cdktf error annotations); findings below it
   * are reported as warning or info annotations and in the report.
   * @default PolicyLevel.WARNING - errors and warnings must be fixed or suppressed with a reason; info findings
   * are reported only
   */
  readonly failAt?: PolicyLevel;

  /**
   * The rules to run.
   * @default DockerPolicy.RULES - every rule of the pack
   */
  readonly rules?: IPolicyRule[];
}

/** What happened to a finding. */
export enum FindingStatus {
  /** At or above `failAt`: an error annotation, the synth fails. */
  FAILED = 'failed',
  /** Below `failAt`: a warning or info annotation. */
  REPORTED = 'reported',
  /** Accepted by a suppression; in the report only. */
  SUPPRESSED = 'suppressed',
}

/** One rule's finding on one container. */
export interface PolicyFinding {
  readonly ruleId: string;
  readonly ruleName: string;
  readonly level: PolicyLevel;
  /** The construct path of the `docker_container` resource. */
  readonly path: string;
  /** The container's Docker name. */
  readonly container: string;
  /** What a suppression's `appliesTo` names to accept this finding only; undefined for container-wide findings. */
  readonly findingId?: string;
  readonly problem: string;
  readonly fix: string;
  /** The annotation text: `[DKR6] unpinned-image (warning) on container "worker": ... Fix: ...`. */
  readonly message: string;
  readonly status: FindingStatus;
  /** The suppression that accepted it. */
  readonly suppression?: PolicySuppression;
}

/**
 * The Docker policy pack as a cdktf aspect: every rule runs against every `docker_container` of the stack it is
 * added to, also containers made without this library's constructs. Add it per stack (an aspect on the App does
 * not reach the stacks in cdktf), or use `DockerPolicy.applyTo(stack)`, which also writes the reports.
 */
export class DockerPolicyChecks implements IAspect {
  public readonly failAt: PolicyLevel;
  public readonly rules: readonly IPolicyRule[];
  private readonly _findings: PolicyFinding[] = [];
  private readonly visited = new WeakSet<IConstruct>();
  private readonly models = new WeakMap<TerraformStack, StackModel>();

  constructor(props: DockerPolicyProps = {}) {
    this.failAt = props.failAt ?? PolicyLevel.WARNING;
    this.rules = props.rules ?? DOCKER_POLICY_RULES;
    const ids = this.rules.map((r) => r.id);
    const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
    if (duplicate) throw new Error(`DockerPolicyChecks: two rules have the id ${duplicate}; rule ids must be unique.`);
  }

  /** The findings so far (after synth: all of them), in stack order. */
  public get findings(): readonly PolicyFinding[] {
    return [...this._findings];
  }

  public visit(node: IConstruct): void {
    if (!isDockerContainer(node) || this.visited.has(node)) return;
    this.visited.add(node);
    const stack = TerraformStack.of(node);
    let model = this.models.get(stack);
    if (!model) {
      model = StackModel.build(stack);
      this.models.set(stack, model);
    }
    const container = model.containerOf(node);
    if (!container) return;
    for (const rule of this.rules) {
      for (const violation of rule.evaluate(container, model)) {
        const suppression = findSuppression(node, rule.id, violation.findingId);
        const status = suppression
          ? FindingStatus.SUPPRESSED
          : atLeast(rule.level, this.failAt)
            ? FindingStatus.FAILED
            : FindingStatus.REPORTED;
        const message =
          `[${rule.id}] ${rule.name} (${rule.level}) on container "${container.name}": ${violation.problem}. ` +
          `Fix: ${rule.fix}. Or accept it: DockerPolicy.suppress(construct, [{ id: '${rule.id}', ` +
          `${violation.findingId !== undefined ? `appliesTo: ['${violation.findingId}'], ` : ''}reason: '...' }]).`;
        this._findings.push({
          ruleId: rule.id,
          ruleName: rule.name,
          level: rule.level,
          path: node.node.path,
          container: container.name,
          findingId: violation.findingId,
          problem: violation.problem,
          fix: rule.fix,
          message,
          status,
          suppression,
        });
        if (status === FindingStatus.FAILED) annotate(node, 'error', message);
        else if (status === FindingStatus.REPORTED) annotate(node, rule.level === PolicyLevel.WARNING ? 'warning' : 'info', message);
      }
    }
  }

  /** The findings on containers of `stack`. */
  public findingsOf(stack: TerraformStack): PolicyFinding[] {
    return this._findings.filter((f) => f.path === stack.node.path || f.path.startsWith(`${stack.node.path}/`));
  }
}

const APPLIED = new WeakMap<TerraformStack, DockerPolicyChecks>();

/** Entry points of the Docker policy pack. */
export class DockerPolicy {
  /** Every rule of the pack, in id order (DKR1 to DKR16). */
  public static readonly RULES: readonly IPolicyRule[] = DOCKER_POLICY_RULES;

  /**
   * Checks `scope` with the policy pack at synth, in one line: `DockerPolicy.applyTo(stack)`.
   * Adds `DockerPolicyChecks` to the stack, writes `policy-report.md` and `policy-report.json` beside the
   * synthesized stack, and the reachability report (`Reachability.of(stack)`). On an App, applies to each of its
   * stacks that exist now.
   */
  public static applyTo(scope: IConstruct, props: DockerPolicyProps = {}): void {
    if (App.isApp(scope)) {
      const stacks = scope.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
      if (stacks.length === 0) {
        throw new ValidationError(scope, 'has no stacks yet; call DockerPolicy.applyTo(app) after creating them, or on each stack.');
      }
      stacks.forEach((stack) => DockerPolicy.applyTo(stack, props));
      return;
    }
    const stack = TerraformStack.of(scope);
    if (scope !== stack) {
      throw new ValidationError(scope, 'is not a stack; apply the policy to its stack: DockerPolicy.applyTo(TerraformStack.of(scope)).');
    }
    if (APPLIED.has(stack)) {
      throw new ValidationError(stack, 'already has the Docker policy pack applied; apply it once per stack.');
    }
    const checks = new DockerPolicyChecks(props);
    APPLIED.set(stack, checks);
    Aspects.of(stack).add(checks);
    Reachability.of(stack);
    new StackFiles(stack, 'DockerPolicyReport', () => ({
      'policy-report.md': renderMarkdownReport(stack.node.id, checks, checks.findingsOf(stack)),
      'policy-report.json': renderJsonReport(stack.node.id, checks, checks.findingsOf(stack)),
    }));
  }

  /** The checks `applyTo` added to `stack`, to read their findings after synth. */
  public static of(stack: TerraformStack): DockerPolicyChecks | undefined {
    return APPLIED.get(stack);
  }

  /**
   * Accepts findings on `scope` and everything inside it, each with the reason why (at least 10 characters):
   * `DockerPolicy.suppress(db, [{ id: 'DKR10', reason: 'the entrypoint chowns its data dir as root' }])`.
   * `appliesTo` narrows a suppression to the findings it names (a capability, a port, a network...).
   */
  public static suppress(scope: IConstruct, suppressions: PolicySuppression[]): void {
    addSuppressions(scope, suppressions);
  }
}
