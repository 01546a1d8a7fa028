import { IConstruct } from 'constructs';
import { App, TerraformStack } from 'cdktf';
import { FinalSynth } from '../analysis/final-synth';
import { StackModel } from '../analysis/model';
import { StackFiles } from '../analysis/stack-files';
import { ValidationError } from '../core/errors';
import { checkFrameworkCopies } from '../core/framework-copies';
import { DockerPolicyChecks, DockerPolicyProps } from '../policy/pack';
import { renderJsonReport, renderMarkdownReport } from '../policy/report';
import { IPolicyRule } from '../policy/rule';
import { DOCKER_POLICY_RULES } from '../policy/rules';
import { PolicySuppression, addSuppressions } from '../policy/suppressions';
import { Reachability } from '../reachability/reachability';

/** The checks applied to a stack live on the stack, under a key every copy of the library shares. */
const APPLIED = Symbol.for('cdktf-docker-networking.policy-checks');

/**
 * Entry points of the Docker policy pack, and the one place that applies both checks of a stack: the policy
 * rules and the reachability report.
 */
export class DockerPolicy {
  /** Every rule of the pack, in id order (DKR1 to DKR16). */
  public static readonly RULES: readonly IPolicyRule[] = DOCKER_POLICY_RULES;

  /**
   * Checks `scope` with the policy pack at synth, in one line: `DockerPolicy.applyTo(stack)`.
   * Adds `DockerPolicyChecks` to the stack, writes `policy-report.md` and `policy-report.json` beside the
   * synthesized stack, and the reachability report (`Reachability.of(stack)`). On an App, applies to each of its
   * stacks that exist now.
   */
  public static applyTo(scope: IConstruct, props: DockerPolicyProps = {}): void {
    if (App.isApp(scope)) {
      const stacks = scope.node.findAll().filter((c): c is TerraformStack => TerraformStack.isStack(c));
      if (stacks.length === 0) {
        throw new ValidationError(scope, 'has no stacks yet; call DockerPolicy.applyTo(app) after creating them, or on each stack.');
      }
      stacks.forEach((stack) => DockerPolicy.applyTo(stack, props));
      return;
    }
    const stack = TerraformStack.of(scope);
    if (scope !== stack) {
      throw new ValidationError(scope, 'is not a stack; apply the policy to its stack: DockerPolicy.applyTo(TerraformStack.of(scope)).');
    }
    checkFrameworkCopies(stack);
    if (DockerPolicy.of(stack)) {
      throw new ValidationError(stack, 'already has the Docker policy pack applied; apply it once per stack.');
    }
    const checks = new DockerPolicyChecks(props);
    Object.defineProperty(stack, APPLIED, { value: checks });
    StackModel.shareWithinSynth(stack);
    FinalSynth.addAspect(stack, checks);
    checks.checkWhenTreeIsFinal(stack);
    Reachability.of(stack);
    new StackFiles(stack, 'DockerPolicyReport', () => {
      const report = checks.reportOf(stack);
      return { 'policy-report.md': renderMarkdownReport(report), 'policy-report.json': renderJsonReport(report) };
    });
  }

  /** The checks `applyTo` added to `stack`, to read their findings after synth. */
  public static of(stack: TerraformStack): DockerPolicyChecks | undefined {
    return (stack as any)[APPLIED];
  }

  /**
   * Accepts findings on `scope` and everything inside it, each with the reason why (at least 10 characters):
   * `DockerPolicy.suppress(db, [{ id: 'DKR10', reason: 'the entrypoint chowns its data dir as root' }])`.
   * `appliesTo` narrows a suppression to the findings it names (a capability, a port, a network...).
   */
  public static suppress(scope: IConstruct, suppressions: PolicySuppression[]): void {
    addSuppressions(scope, suppressions);
  }
}
