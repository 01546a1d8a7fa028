import { IConstruct } from 'constructs';
import { Testing, TerraformStack } from 'cdktf';
import { Reachability } from '../reachability/reachability';
import { DockerPolicy, PolicyFinding } from './docker-policy';
import { renderMarkdownReport } from './report';

/** One cdktf annotation of a stack, as the synthesized manifest lists it. */
export interface StackAnnotation {
  /** The path of the construct it is on. */
  readonly path: string;
  readonly level: 'error' | 'warning' | 'info';
  readonly message: string;
  /** The rule id the message starts with (`[DKR6] ...`, `[REACH1] ...`), if any. */
  readonly ruleId?: string;
}

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

const LEVELS: Record<string, StackAnnotation['level']> = {
  '@cdktf/error': 'error',
  '@cdktf/warn': 'warning',
  '@cdktf/info': 'info',
};

/**
 * For tests: `Testing.synth` runs aspects but does not fail on error annotations, so read them here.
 * `PolicyTesting.synth(stack)` synthesizes like `Testing.synth(stack)` and returns the annotations, the findings
 * and the two reports.
 */
export class PolicyTesting {
  public static synth(stack: TerraformStack, runValidations = false): PolicyCheckResult {
    Testing.synth(stack, runValidations);
    const reachability = stack.node.tryFindChild('Reachability');
    const checks = DockerPolicy.of(stack);
    const findings = checks?.findingsOf(stack) ?? [];
    return new PolicyCheckResult(
      PolicyTesting.annotations(stack),
      findings,
      checks ? renderMarkdownReport(stack.node.id, checks, findings) : '',
      reachability instanceof Reachability ? reachability.report() : '',
    );
  }

  /** The annotations on `scope` and everything inside it, read from the construct metadata. */
  public static annotations(scope: IConstruct): StackAnnotation[] {
    return scope.node.findAll().flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type in LEVELS)
        .map((m) => ({
          path: c.node.path,
          level: LEVELS[m.type],
          message: String(m.data),
          ruleId: /^\[([A-Z]+\d+)\]/.exec(String(m.data))?.[1],
        })),
    );
  }
}
