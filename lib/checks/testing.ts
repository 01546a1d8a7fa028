import { IConstruct } from 'constructs';
import { Testing, TerraformStack } from 'cdktf';
import { StackAnnotation, annotationsOf } from '../analysis/annotations';
import { StackModel } from '../analysis/model';
import { PolicyFinding } from '../policy/finding';
import { renderMarkdownReport } from '../policy/report';
import { Reachability } from '../reachability/reachability';
import { DockerPolicy } from './docker-policy';

/** What a synth of a stack under the policy pack produced. */
export class PolicyCheckResult {
  constructor(
    /** Every annotation in the stack (policy, reachability and others), in stack order. */
    public readonly annotations: StackAnnotation[],
    /** Every policy finding, suppressed ones included; empty when the policy is not applied. */
    public readonly findings: PolicyFinding[],
    /** The policy report as written to policy-report.md; empty when the policy is not applied. */
    public readonly policyReport: string,
    /** The reachability report as written to reachability.md. */
    public readonly reachabilityReport: string,
  ) {}

  /** The annotations that fail `cdktf synth`. */
  public get errors(): StackAnnotation[] {
    return this.annotations.filter((a) => a.level === 'error');
  }

  /** The rule ids of the annotations at `level`, e.g. `['DKR6', 'REACH1']`. */
  public ruleIds(level?: StackAnnotation['level']): string[] {
    return this.annotations.filter((a) => a.ruleId && (level === undefined || a.level === level)).map((a) => a.ruleId!);
  }
}

/**
 * For tests: `Testing.synth` runs aspects but does not fail on error annotations, so read them here.
 * `PolicyTesting.synth(stack)` synthesizes like `Testing.synth(stack)` and returns the annotations, the findings
 * and the two reports.
 */
export class PolicyTesting {
  public static synth(stack: TerraformStack, runValidations = false): PolicyCheckResult {
    Testing.synth(stack, runValidations);
    const reachability = Reachability.find(stack);
    const checks = DockerPolicy.of(stack);
    return new PolicyCheckResult(
      annotationsOf(stack),
      checks?.findingsOf(stack) ?? [],
      checks ? renderMarkdownReport(checks.reportOf(stack)) : '',
      // The model of the synth just run, which the checks built, not a new one.
      reachability?.report(StackModel.ofSynth(stack)) ?? '',
    );
  }

  /** The annotations on `scope` and everything inside it, read from the construct metadata. */
  public static annotations(scope: IConstruct): StackAnnotation[] {
    return annotationsOf(scope);
  }
}
