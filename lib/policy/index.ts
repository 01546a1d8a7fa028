export { PolicyLevel } from './level';
export type { IPolicyRule, RuleViolation } from './rule';
export { DockerPolicyChecks } from './pack';
export type { DockerPolicyProps } from './pack';
export { FindingStatus, SuppressionStatus } from './finding';
export type { PolicyFinding, PolicyReportData, RuleSummary, SuppressionSummary } from './finding';
export type { PolicySuppression } from './suppressions';
export { MIN_SUPPRESSION_REASON_LENGTH } from './suppressions';
export * from './rules';
