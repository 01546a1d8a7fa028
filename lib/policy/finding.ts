import { PolicyLevel } from './level';
import type { PolicySuppression } from './suppressions';

/** What happened to a finding. */
export enum FindingStatus {
  /** At or above `failAt`: an error annotation, the synth fails. */
  FAILED = 'failed',
  /** Below `failAt`: a warning or info annotation. */
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
}
