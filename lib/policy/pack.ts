import { IConstruct } from 'constructs';
import { IAspect, TerraformResource, TerraformStack } from 'cdktf';
import { annotate } from '../analysis/annotate';
import { FinalSynth } from '../analysis/final-synth';
import { StackModel, isDockerWorkload, ownerPath } from '../analysis/model';
import { ValidationError } from '../core/errors';
import { FindingStatus, PolicyFinding, PolicyReportData } from './finding';
import { PolicyLevel, atLeast } from './level';
import { IPolicyRule } from './rule';
import { DOCKER_POLICY_RULES } from './rules';
import { findSuppression } from './suppressions';

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

/**
 * The Docker policy pack as a cdktf aspect: every rule runs against every `docker_container` and `docker_service` of the stack it is
 * added to, also containers made without this library's constructs. Add it per stack (an aspect on the App does
 * not reach the stacks in cdktf), or use `DockerPolicy.applyTo(stack)`, which also writes the reports.
 */
export class DockerPolicyChecks implements IAspect {
  public readonly failAt: PolicyLevel;
  public readonly rules: readonly IPolicyRule[];
  private readonly _findings: PolicyFinding[] = [];
  private readonly visited = new WeakSet<IConstruct>();
  private readonly models = new WeakMap<TerraformStack, StackModel>();
  private readonly checkedWhenFinal = new WeakSet<TerraformStack>();

  constructor(props: DockerPolicyProps = {}) {
    this.failAt = props.failAt ?? PolicyLevel.WARNING;
    this.rules = props.rules ?? DOCKER_POLICY_RULES;
    const ids = this.rules.map((r) => r.id);
    const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
    if (duplicate) {
      throw new ValidationError('DockerPolicyChecks', `two rules have the id ${duplicate}; give each rule a unique id.`);
    }
  }

  /** The findings so far (after synth: all of them), in stack order. */
  public get findings(): readonly PolicyFinding[] {
    return [...this._findings];
  }

  /**
   * Checks the workloads of `stack` in each synth once its tree is final (`FinalSynth`) rather than as their aspect
   * visits them; `DockerPolicy.applyTo` does this. The shared model (`StackModel.shareWithinSynth`) must be on.
   */
  public checkWhenTreeIsFinal(stack: TerraformStack): void {
    this.checkedWhenFinal.add(stack);
    FinalSynth.whenTreeIsFinal(stack, () => {
      const model = StackModel.ofSynth(stack);
      for (const container of model.containers) this.check(container.resource, model);
    });
  }

  public visit(node: IConstruct): void {
    if (!isDockerWorkload(node)) return;
    const stack = TerraformStack.of(node);
    if (this.checkedWhenFinal.has(stack) && FinalSynth.defers(stack)) return;
    // Added with DockerPolicy.applyTo, the pack shares the synth's model with the reachability check; added as a
    // plain aspect, it builds its own once.
    let model = StackModel.sharesWithinSynth(stack) ? StackModel.ofSynth(stack) : this.models.get(stack);
    if (!model) {
      model = StackModel.build(stack);
      this.models.set(stack, model);
    }
    this.check(node, model);
  }

  private check(node: TerraformResource, model: StackModel): void {
    if (this.visited.has(node)) return;
    this.visited.add(node);
    const container = model.containerOf(node);
    if (!container) return;
    for (const rule of this.rules) {
      if (rule.workloads && !rule.workloads.includes(container.kind)) continue;
      for (const violation of rule.evaluate(container, model)) {
        const suppression = findSuppression(node, rule.id, violation.findingId);
        const status = suppression
          ? FindingStatus.SUPPRESSED
          : atLeast(rule.level, this.failAt)
            ? FindingStatus.FAILED
            : FindingStatus.REPORTED;
        const message =
          `[${rule.id}] ${rule.name} (${rule.level}) on ${container.kind} "${container.name}": ${violation.problem}. ` +
          `Fix: ${rule.fix}. Or accept it on the construct ${ownerPath(node)}: DockerPolicy.suppress(<that construct>, ` +
          `[{ id: '${rule.id}', ${violation.findingId !== undefined ? `appliesTo: ['${violation.findingId}'], ` : ''}` +
          "reason: '<why it is acceptable here>' }]).";
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

  /** What the reports of `stack` render. */
  public reportOf(stack: TerraformStack): PolicyReportData {
    return { stack: stack.node.id, failAt: this.failAt, rules: this.rules, findings: this.findingsOf(stack) };
  }
}
