import { IConstruct } from 'constructs';
import { IAspect, TerraformResource, TerraformStack } from 'cdktf';
import { annotate } from '../analysis/annotate';
import { FinalSynth } from '../analysis/final-synth';
import { StackModel, isDockerWorkload, ownerPath } from '../analysis/model';
import { ValidationError, constructLabel } from '../core/errors';
import { FindingStatus, PolicyFinding, PolicyReportData, SuppressionStatus, SuppressionSummary } from './finding';
import { PolicyLevel, atLeast } from './level';
import { IPolicyRule } from './rule';
import { DOCKER_POLICY_RULES } from './rules';
import { PlacedSuppression, PolicySuppression, findSuppression, isWithin, suppressionsFor } from './suppressions';

/** Ids of the pack's own annotations about a stack; stable like the rule ids. */
export const POLICY_FAILED = 'POL1';
export const POLICY_INFO_SUMMARY = 'POL2';
export const POLICY_UNKNOWN_SUPPRESSION = 'POL3';
export const POLICY_UNUSED_SUPPRESSION = 'POL4';

/** Set to `1` or `true`, lists each info finding as its own annotation, as `listInfoFindings: true` does. */
export const LIST_INFO_ENV = 'DOCKER_POLICY_LIST_INFO';

/** Failing findings the `POL1` annotation names; the rest are counted. */
const FAILED_NAMED = 10;

export interface DockerPolicyProps {
  /**
   * Unsuppressed findings at this level or above fail the synth: each finding is an annotation at its own level,
   * and one error annotation on the stack (`POL1`) says how many fail it and where. Findings below it are reported
   * (warnings as warning annotations, info findings summed up in one line) and listed in the report.
   * @default PolicyLevel.WARNING - errors and warnings must be fixed or suppressed with a reason; info findings
   * are reported only
   */
  readonly failAt?: PolicyLevel;

  /**
   * The rules to run.
   * @default DockerPolicy.RULES - every rule of the pack
   */
  readonly rules?: IPolicyRule[];

  /**
   * Annotates each info finding below `failAt` on its container, as `cdktf synth` then prints one line each.
   * The environment variable `DOCKER_POLICY_LIST_INFO=1` does the same without a code change.
   * @default false - unless `DOCKER_POLICY_LIST_INFO` is `1` or `true`: the info findings below `failAt` are summed
   * up in one info annotation per stack (`POL2`, a count per rule id) and listed in policy-report.md
   */
  readonly listInfoFindings?: boolean;

  /**
   * Fails the synth on a suppression that accepts no finding, or whose `appliesTo` names something no finding is
   * about (`POL4` as an error annotation).
   * @default false - such a suppression is reported as a warning annotation (`POL4`)
   */
  readonly failOnUnusedSuppressions?: boolean;
}

/** The ids of the library's own rules: a suppression of one that a narrowed pack does not run is not unknown. */
const LIBRARY_RULE_IDS: ReadonlySet<string> = new Set(DOCKER_POLICY_RULES.map((r) => r.id));

const ANNOTATION_LEVEL = { [PolicyLevel.ERROR]: 'error', [PolicyLevel.WARNING]: 'warning', [PolicyLevel.INFO]: 'info' } as const;

/**
 * The Docker policy pack as a cdktf aspect: every rule runs against every `docker_container` and `docker_service` of the stack it is
 * added to, also containers made without this library's constructs. Add it per stack (an aspect on the App does
 * not reach the stacks in cdktf), or use `DockerPolicy.applyTo(stack)`, which also writes the reports.
 *
 * Each finding is an annotation at its own level; once every container of a stack is checked, `summarize` adds the
 * stack-wide annotations: `POL1` (error: the findings that fail the synth), `POL2` (info: a count of the info
 * findings), `POL3` (error: a suppression of a rule the pack does not have) and `POL4` (warning: a suppression that
 * accepts no finding). A synth does that itself.
 */
export class DockerPolicyChecks implements IAspect {
  private props!: DockerPolicyProps;
  private _rules!: readonly IPolicyRule[];
  private readonly _findings: PolicyFinding[] = [];
  private readonly visited = new WeakSet<IConstruct>();
  private readonly models = new WeakMap<TerraformStack, StackModel>();
  private readonly checkedWhenFinal = new WeakSet<TerraformStack>();
  private readonly summarizedInValidation = new WeakSet<TerraformStack>();
  private readonly summarized = new WeakSet<TerraformStack>();
  /** The construct that holds the suppression that accepted a finding. */
  private readonly suppressedOn = new WeakMap<PolicyFinding, IConstruct>();

  constructor(props: DockerPolicyProps = {}) {
    this._configure(props);
  }

  /** Findings at this level or above fail the synth. */
  public get failAt(): PolicyLevel {
    return this.props.failAt ?? PolicyLevel.WARNING;
  }

  /** The rules this pack runs. */
  public get rules(): readonly IPolicyRule[] {
    return this._rules;
  }

  /** The findings so far (after synth: all of them), in stack order. */
  public get findings(): readonly PolicyFinding[] {
    return [...this._findings];
  }

  /**
   * Replaces the props; `DockerPolicy.applyTo(stack, props)` does it on a stack that the App's pack covered first.
   * @internal
   */
  public _configure(props: DockerPolicyProps): void {
    const rules = props.rules ?? DOCKER_POLICY_RULES;
    const ids = rules.map((r) => r.id);
    const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
    if (duplicate) {
      throw new ValidationError('DockerPolicyChecks', `two rules have the id ${duplicate}; give each rule a unique id.`);
    }
    this.props = props;
    this._rules = rules;
  }

  /**
   * Checks the workloads of `stack` in each synth once its tree is final (`FinalSynth`) rather than as their aspect
   * visits them; `DockerPolicy.applyTo` does this. The shared model (`StackModel.shareWithinSynth`) must be on.
   */
  public checkWhenTreeIsFinal(stack: TerraformStack): void {
    this.checkedWhenFinal.add(stack);
    FinalSynth.whenTreeIsFinal(stack, () => {
      const model = StackModel.ofSynth(stack);
      for (const container of model.containers) this.check(container.resource!, model);
      this.summarize(stack);
    });
  }

  public visit(node: IConstruct): void {
    if (TerraformStack.isStack(node)) this.summarizeInValidation(node);
    if (!isDockerWorkload(node)) return;
    const stack = TerraformStack.of(node);
    this.summarizeInValidation(stack);
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

  /**
   * Adds the stack-wide annotations, once, when every container of `stack` is checked: `POL1` (the findings that
   * fail the synth), `POL2` (the count of info findings), `POL3` and `POL4` (suppressions of a rule the pack does not
   * have, and suppressions that accept nothing). A synth does it; after `Testing.synth(stack)`, which runs aspects
   * only, call it to read them (`PolicyTesting.synth` does).
   */
  public summarize(stack: TerraformStack): void {
    if (this.summarized.has(stack)) return;
    this.summarized.add(stack);
    const findings = this.findingsOf(stack);
    const failed = findings.filter((f) => f.status === FindingStatus.FAILED);
    if (failed.length > 0) annotate(stack, 'error', this.failedMessage(stack, failed));
    const info = findings.filter((f) => f.status === FindingStatus.REPORTED && f.level === PolicyLevel.INFO);
    if (info.length > 0 && !this.listsInfo()) annotate(stack, 'info', this.infoMessage(info));
    const summaries = this.suppressionSummaries(stack, findings);
    suppressionsFor(stack).forEach((placed, i) => this.annotateSuppression(stack, placed, summaries[i], findings));
  }

  /** The findings on containers of `stack`. */
  public findingsOf(stack: TerraformStack): PolicyFinding[] {
    return this._findings.filter((f) => isWithin(f.path, stack));
  }

  /** What the reports of `stack` render. */
  public reportOf(stack: TerraformStack): PolicyReportData {
    const findings = this.findingsOf(stack);
    return { stack: stack.node.id, failAt: this.failAt, rules: this.rules, findings, suppressions: this.suppressionSummaries(stack, findings) };
  }

  private check(node: TerraformResource, model: StackModel): void {
    if (this.visited.has(node)) return;
    this.visited.add(node);
    const container = model.containerOf(node);
    if (!container) return;
    const listInfo = this.listsInfo();
    for (const rule of this.rules) {
      if (rule.workloads && !rule.workloads.includes(container.kind)) continue;
      for (const violation of rule.evaluate(container, model)) {
        const match = findSuppression(node, rule.id, violation.findingId);
        const status = match
          ? FindingStatus.SUPPRESSED
          : atLeast(rule.level, this.failAt)
            ? FindingStatus.FAILED
            : FindingStatus.REPORTED;
        const message =
          `[${rule.id}] ${rule.name} (${rule.level}) on ${container.kind} "${container.name}": ${violation.problem}. ` +
          `Fix: ${rule.fix}. Or accept it on the construct ${ownerPath(node)}: DockerPolicy.suppress(<that construct>, ` +
          `[{ id: '${rule.id}', ${violation.findingId !== undefined ? `appliesTo: ['${violation.findingId}'], ` : ''}` +
          "reason: '<why it is acceptable here>' }]).";
        const finding: PolicyFinding = {
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
          suppression: match?.suppression,
        };
        this._findings.push(finding);
        if (match) this.suppressedOn.set(finding, match.scope);
        const annotated = status === FindingStatus.FAILED || (status === FindingStatus.REPORTED && (rule.level !== PolicyLevel.INFO || listInfo));
        if (annotated) annotate(node, ANNOTATION_LEVEL[rule.level], message);
      }
    }
  }

  /** True when info findings below `failAt` get an annotation each rather than one count per stack. */
  private listsInfo(): boolean {
    return this.props.listInfoFindings === true || ['1', 'true'].includes(process.env[LIST_INFO_ENV] ?? '');
  }

  /**
   * Summarizes `stack` in a validation of it, where the pack runs in its aspect (`Testing.synth(stack, true)`, a
   * stack with its own synthesizer, the pack added as a plain aspect): validations run once the aspects are done.
   */
  private summarizeInValidation(stack: TerraformStack): void {
    if (this.summarizedInValidation.has(stack)) return;
    this.summarizedInValidation.add(stack);
    stack.node.addValidation({
      validate: () => {
        if (!FinalSynth.defers(stack)) this.summarize(stack);
        return [];
      },
    });
  }

  private failedMessage(stack: TerraformStack, failed: PolicyFinding[]): string {
    // One entry a rule and container, in stack order: `DKR8 (2) on "app" (test/app)`.
    const groups = new Map<string, { first: PolicyFinding; count: number }>();
    for (const f of failed) {
      const key = `${f.ruleId} ${f.path}`;
      const group = groups.get(key);
      if (group) group.count++;
      else groups.set(key, { first: f, count: 1 });
    }
    const entries = [...groups.values()];
    const named = entries
      .slice(0, FAILED_NAMED)
      .map(({ first: f, count }) => `${f.ruleId}${count > 1 ? ` (${count})` : ''} on "${f.container}" (${f.path.replace(/\/Resource$/, '')})`);
    if (entries.length > FAILED_NAMED) {
      const rest = entries.slice(FAILED_NAMED).reduce((n, g) => n + g.count, 0);
      named.push(`and ${rest} more`);
    }
    return (
      `[${POLICY_FAILED}] ${failed.length} finding(s) at or above ${this.failAt} fail the synth of stack ${stack.node.id}: ` +
      `${named.join(', ')}. Fix each (policy-report.md beside the stack gives the fix of every finding), or accept it on ` +
      "its construct with a reason: DockerPolicy.suppress(construct, [{ id: '<rule id>', reason: '<why it is acceptable here>' }])."
    );
  }

  private infoMessage(info: PolicyFinding[]): string {
    const perRule = this.rules
      .map((r) => [r.id, info.filter((f) => f.ruleId === r.id).length] as const)
      .filter(([, n]) => n > 0)
      .map(([id, n]) => `${id} (${n})`)
      .join(', ');
    return (
      `[${POLICY_INFO_SUMMARY}] ${info.length} info finding(s) below failAt ${this.failAt}, reported only: ${perRule}. ` +
      `policy-report.md beside the stack lists them; to print each here, set listInfoFindings: true in ` +
      `DockerPolicy.applyTo, or ${LIST_INFO_ENV}=1.`
    );
  }

  /** What each suppression of `stack` (`suppressionsFor`, same order) did there. */
  private suppressionSummaries(stack: TerraformStack, findings: PolicyFinding[]): SuppressionSummary[] {
    // The findings each suppression accepted, by the construct that holds it: one object may sit on several.
    const accepted = new Map<IConstruct, Map<PolicySuppression, PolicyFinding[]>>();
    for (const f of findings) {
      const scope = this.suppressedOn.get(f);
      if (!scope || !f.suppression) continue;
      if (!accepted.has(scope)) accepted.set(scope, new Map());
      const byScope = accepted.get(scope)!;
      if (!byScope.has(f.suppression)) byScope.set(f.suppression, []);
      byScope.get(f.suppression)!.push(f);
    }
    const ids = new Set(this.rules.map((r) => r.id));
    return suppressionsFor(stack).map(({ scope, suppression: s }) => {
      const mine = accepted.get(scope)?.get(s) ?? [];
      const about = new Set(mine.map((f) => f.findingId));
      const status = !ids.has(s.id)
        ? LIBRARY_RULE_IDS.has(s.id)
          ? SuppressionStatus.RULE_NOT_RUN
          : SuppressionStatus.UNKNOWN_RULE
        : mine.length > 0
          ? SuppressionStatus.USED
          : SuppressionStatus.UNUSED;
      const unmatched = status === SuppressionStatus.USED ? (s.appliesTo ?? []).filter((item) => !about.has(item)) : [];
      return { ruleId: s.id, path: scope.node.path, reason: s.reason, appliesTo: s.appliesTo, status, accepted: mine.length, unmatched };
    });
  }

  /**
   * `POL3` for a suppression of a rule the pack does not have; `POL4` for one inside the stack that accepts nothing
   * or names in `appliesTo` what no finding is about. One above the stack (on the App) may accept findings of
   * another stack, so it only gets `POL3`, on the stack.
   */
  private annotateSuppression(stack: TerraformStack, { scope }: PlacedSuppression, summary: SuppressionSummary, findings: PolicyFinding[]): void {
    const inStack = isWithin(scope.node.path, stack);
    const on = scope.node.path === '' ? 'the App' : constructLabel(scope);
    const { ruleId } = summary;
    if (summary.status === SuppressionStatus.UNKNOWN_RULE) {
      const reach = /^REACH\d+$/.test(ruleId)
        ? ' Reachability findings are not suppressed: declare the flow with Reachability.of(stack).allow(from, to), or .tolerate(from, to, reason).'
        : '';
      annotate(
        inStack ? scope : stack,
        'error',
        `[${POLICY_UNKNOWN_SUPPRESSION}] a suppression on ${on} names the rule ${ruleId}, which the Docker policy pack of ` +
          `stack ${stack.node.id} does not have; its rules are ${this.rules.map((r) => r.id).join(', ')}. Use the id a ` +
          `finding shows (policy-report.md lists them), or remove the suppression.${reach}`,
      );
      return;
    }
    if (!inStack || (summary.status !== SuppressionStatus.UNUSED && summary.unmatched.length === 0)) return;
    const level = this.props.failOnUnusedSuppressions ? 'error' : 'warning';
    // What the rule's findings on the construct are about, to show what appliesTo could name.
    const items = [
      ...new Set(findings.filter((f) => f.ruleId === ruleId && f.findingId !== undefined && isWithin(f.path, scope)).map((f) => f.findingId)),
    ];
    const there = items.length > 0 ? ` (its ${ruleId} findings there are about: ${items.join(', ')})` : '';
    const quoted = (list: string[]) => list.map((item) => `"${item}"`).join(', ');
    const message =
      summary.status === SuppressionStatus.UNUSED
        ? `[${POLICY_UNUSED_SUPPRESSION}] the suppression of ${ruleId} on ${on} accepts no finding: no ${ruleId} finding on ` +
          `it or inside it${summary.appliesTo ? ` is about ${quoted(summary.appliesTo)}${there}` : ''}. Remove the suppression, ` +
          'or put it on the construct that the finding names (policy-report.md lists the findings).'
        : `[${POLICY_UNUSED_SUPPRESSION}] the suppression of ${ruleId} on ${on} names ${quoted(summary.unmatched)} in ` +
          `appliesTo, which no ${ruleId} finding on it or inside it is about${there}. Remove ${quoted(summary.unmatched)} from appliesTo.`;
    annotate(scope, level, message);
  }
}
