/**
 * The Docker policy pack, run on one side of the plan: the library's rule objects (DockerPolicy.RULES) evaluate a
 * model built from the plan's values instead of from a synthesized stack.
 */
import { ContainerModel, DockerPolicy, StackModel } from '../../lib';
import { asArray } from '../../lib/analysis/model';
import { ContainerNode, Topology } from './topology';

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

/** Blocks of at most one element that the rules read as an object, as the synthesized configuration has them. */
const SINGLE_BLOCKS = ['healthcheck', 'capabilities'];

/** The findings of every rule on every container of `topology` that is not being deleted. */
export function findingsOf(topology: Topology, report?: PolicyReportJson): Finding[] {
  const live = topology.containers.filter((c) => c.action !== 'delete' && c.action !== 'forget');
  const isolated = new Set(topology.networks.filter((n) => n.isolated).map((n) => n.name));
  const models = live.map((c) => containerModel(c, isolated));
  // The rules read only `containers` and `containersOn` of the stack model, and nothing of `resource`.
  const stack = {
    containers: models,
    containersOn: (key: string) => models.filter((m) => m.networks.some((n) => n.key === key)),
  } as unknown as StackModel;
  const suppressed = new Map(
    (report?.findings ?? []).filter((f) => f.status === 'suppressed').map((f) => [findingKey(f), f.suppressionReason ?? '']),
  );
  return models.flatMap((model) =>
    DockerPolicy.RULES.flatMap((rule) =>
      rule.evaluate(model, stack).map((v): Finding => {
        const finding = { ruleId: rule.id, ruleName: rule.name, level: rule.level, container: model.name, findingId: v.findingId, problem: v.problem };
        const reason = suppressed.get(findingKey(finding));
        return reason === undefined ? finding : { ...finding, suppressedBecause: reason };
      }),
    ),
  );
}

export function findingKey(f: { ruleId: string; container: string; findingId?: string }): string {
  return `${f.ruleId}|${f.container}|${f.findingId ?? ''}`;
}

function containerModel(c: ContainerNode, isolated: Set<string>): ContainerModel {
  const config: Record<string, any> = {};
  for (const [key, value] of Object.entries(c.values)) {
    if (value === null || value === undefined) continue;
    config[key] = SINGLE_BLOCKS.includes(key) && Array.isArray(value) ? value[0] : value;
  }
  return {
    resource: undefined as never,
    kind: 'container',
    name: c.name,
    config,
    image: c.image,
    networks: c.networks.map((n) => ({
      key: n.network,
      networkName: n.network,
      names: [c.name, ...n.aliases],
      isolated: isolated.has(n.network),
    })),
    onDefaultBridge: c.onDefaultBridge,
    publishesPorts: c.ports.length > 0 || config.publish_all_ports === true || asArray(config.ports).length > 0,
  };
}
