import { IConstruct } from 'constructs';
import { Testing, TerraformStack } from 'cdktf';
import { StackAnnotation, annotationsOf } from '../analysis/annotations';
import { StackModel } from '../analysis/model';
import { FindingStatus, PolicyFinding } from '../policy/finding';
import { POLICY_FAILED } from '../policy/pack';
import { renderMarkdownReport } from '../policy/report';
import { Reachability } from '../reachability/reachability';
import { coverStack } from './apply';
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

  /**
   * The annotations that fail `cdktf synth`: findings at the error level, `REACH1` and `REACH2`, the pack's count of
   * the findings that fail the synth (`POL1`), suppressions of unknown rules (`POL3`).
   */
  public get errors(): StackAnnotation[] {
    return this.annotations.filter((a) => a.level === 'error');
  }

  /**
   * The ids of the annotations at `level`, e.g. `['DKR6', 'REACH3']`. A finding's annotation carries the finding's
   * own level, whether or not it fails the synth (`failingRuleIds` says what fails); info findings below `failAt`
   * are one annotation `POL2` unless listed (`listInfoFindings`).
   */
  public ruleIds(level?: StackAnnotation['level']): string[] {
    return this.annotations.filter((a) => a.ruleId && (level === undefined || a.level === level)).map((a) => a.ruleId!);
  }

  /**
   * The ids of what fails the synth, e.g. `['DKR6', 'REACH1']`: the findings at or above `failAt` that no
   * suppression accepts, whatever their level, in stack order; then the other error annotations (`REACH1`,
   * `REACH2`, `POL3`...). `POL1`, which counts the failing findings, is left out.
   */
  public failingRuleIds(): string[] {
    const findingMessages = new Set(this.findings.map((f) => f.message));
    const failing = this.findings.filter((f) => f.status === FindingStatus.FAILED).map((f) => f.ruleId);
    const others = this.errors.filter((a) => a.ruleId && a.ruleId !== POLICY_FAILED && !findingMessages.has(a.message));
    return [...failing, ...others.map((a) => a.ruleId!)];
  }
}

/**
 * For tests: `Testing.synth` runs aspects but does not fail on error annotations, so read them here.
 * `PolicyTesting.synth(stack)` synthesizes like `Testing.synth(stack)` and returns the annotations, the findings
 * and the two reports, with the pack's stack-wide annotations (`POL1`...) that a full synth adds. A stack made
 * after `DockerPolicy.applyTo(app)` gets the App's pack first, as `app.synth()` gives it.
 */
export class PolicyTesting {
  public static synth(stack: TerraformStack, runValidations = false): PolicyCheckResult {
    coverStack(stack);
    Testing.synth(stack, runValidations);
    const reachability = Reachability.find(stack);
    const checks = DockerPolicy.of(stack);
    checks?.summarize(stack);
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
