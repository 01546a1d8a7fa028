/**
 * The Docker policy pack, run on one side of the plan: the library's rule objects (DockerPolicy.RULES) evaluate the
 * model built from the plan's values (`DockerModel.fromPlan`), as they evaluate a stack's model at synth.
 */
import { DockerModel, DockerPolicy } from '../../lib';

export interface Finding {
  readonly ruleId: string;
  readonly ruleName: string;
  readonly level: string;
  readonly container: string;
  readonly findingId?: string;
  readonly problem: string;
  /** Why the code accepts it, from the synthesized policy report of the code under review. */
  readonly suppressedBecause?: string;
}

/** The part of `policy-report.json` (written at synth beside the stack) the review reads. */
export interface PolicyReportJson {
  readonly findings: { ruleId: string; container: string; findingId?: string; status: string; suppressionReason?: string }[];
}

/** The findings of every rule on every container and service of `model`. */
export function findingsOf(model: DockerModel, report?: PolicyReportJson): Finding[] {
  const suppressed = new Map(
    (report?.findings ?? []).filter((f) => f.status === 'suppressed').map((f) => [findingKey(f), f.suppressionReason ?? '']),
  );
  return model.containers.flatMap((workload) =>
    DockerPolicy.RULES.filter((rule) => !rule.workloads || rule.workloads.includes(workload.kind)).flatMap((rule) =>
      rule.evaluate(workload, model).map((v): Finding => {
        const finding = { ruleId: rule.id, ruleName: rule.name, level: rule.level, container: workload.name, findingId: v.findingId, problem: v.problem };
        const reason = suppressed.get(findingKey(finding));
        return reason === undefined ? finding : { ...finding, suppressedBecause: reason };
      }),
    ),
  );
}

export function findingKey(f: { ruleId: string; container: string; findingId?: string }): string {
  return `${f.ruleId}|${f.container}|${f.findingId ?? ''}`;
}
