import { PolicyLevel } from './level';
import type { PolicySuppression } from './suppressions';

/** What happened to a finding. */
export enum FindingStatus {
  /**
   * At or above `failAt`: the synth fails. The finding is an annotation at its own level, and one error annotation
   * on the stack (`POL1`) counts the findings that fail it.
   */
  FAILED = 'failed',
  /**
   * Below `failAt`: a warning annotation for a warning; an info finding is counted in one info annotation on the
   * stack (`POL2`), or annotated on its own when info findings are listed (`listInfoFindings`).
   */
  REPORTED = 'reported',
  /** Accepted by a suppression; in the report only. */
  SUPPRESSED = 'suppressed',
}

/** One rule's finding on one container: plain data, for annotations, reports and tools. */
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

/** What a suppression did in one stack. */
export enum SuppressionStatus {
  /** It accepted at least one finding. */
  USED = 'used',
  /** It accepted no finding: a warning annotation (`POL4`), an error with `failOnUnusedSuppressions`. */
  UNUSED = 'unused',
  /** Its id is no rule of the pack applied to the stack: an error annotation (`POL3`). */
  UNKNOWN_RULE = 'unknown-rule',
  /** Its id is a rule of the library that the pack applied to the stack does not run (`rules` narrows it). */
  RULE_NOT_RUN = 'rule-not-run',
}

/** A suppression as the reports list it, with what it accepted in one stack. */
export interface SuppressionSummary {
  readonly ruleId: string;
  /** The path of the construct it was added to; empty for the App. */
  readonly path: string;
  readonly reason: string;
  readonly appliesTo?: string[];
  readonly status: SuppressionStatus;
  /** How many findings of the stack it accepted. */
  readonly accepted: number;
  /** The `appliesTo` entries that match no finding it could accept. */
  readonly unmatched: string[];
}

/** A rule as the reports list it. */
export interface RuleSummary {
  readonly id: string;
  readonly name: string;
  readonly level: PolicyLevel;
  readonly fix: string;
}

/** What the policy reports render: the outcome of one stack's check, without the pack that produced it. */
export interface PolicyReportData {
  /** The stack's id. */
  readonly stack: string;
  readonly failAt: PolicyLevel;
  readonly rules: readonly RuleSummary[];
  readonly findings: readonly PolicyFinding[];
  /** The suppressions that can accept findings in the stack, on it, inside it and above it. */
  readonly suppressions: readonly SuppressionSummary[];
}
