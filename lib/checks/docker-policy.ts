import { IConstruct } from 'constructs';
import { App, TerraformStack } from 'cdktf';
import { ValidationError } from '../core/errors';
import { DockerPolicyChecks, DockerPolicyProps } from '../policy/pack';
import { IPolicyRule } from '../policy/rule';
import { DOCKER_POLICY_RULES } from '../policy/rules';
import { PolicySuppression, addSuppressions } from '../policy/suppressions';
import { appliedChecks, applyToApp, applyToStack, reconfigureFromApp } from './apply';

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
   * synthesized stack, and the reachability report (`Reachability.of(stack)`).
   *
   * On an App, applies to every stack of the App with these props: the stacks that exist now, nested ones included,
   * and the stacks made later, each as soon as a construct of this library is made in it, or else when `app.synth()`
   * starts (`cdktf synth` calls it). A stack that calls `applyTo` itself keeps its own props, before or after. A
   * stack made later that holds only the provider's own resources gets the pack from `app.synth()` and
   * `PolicyTesting.synth`, not from `Testing.synth` or `Testing.fullSynth` of that stack alone (nothing of this
   * library runs while it is made): in such a test, apply the pack to the stack itself.
   */
  public static applyTo(scope: IConstruct, props: DockerPolicyProps = {}): void {
    if (App.isApp(scope)) {
      applyToApp(scope, props);
      return;
    }
    if (!scope.node.scopes.some((s) => TerraformStack.isStack(s))) {
      throw new ValidationError(
        scope,
        'is neither an App nor inside a stack; apply the policy to the App (every stack in it, nested ones too) or to each stack.',
      );
    }
    const stack = TerraformStack.of(scope);
    if (scope !== stack) {
      throw new ValidationError(scope, 'is not a stack; apply the policy to its stack: DockerPolicy.applyTo(TerraformStack.of(scope)).');
    }
    if (reconfigureFromApp(stack, props)) return;
    if (DockerPolicy.of(stack)) {
      throw new ValidationError(stack, 'already has the Docker policy pack applied; apply it once per stack.');
    }
    applyToStack(stack, props, false);
  }

  /** The checks `applyTo` added to `stack`, to read their findings after synth. */
  public static of(stack: TerraformStack): DockerPolicyChecks | undefined {
    return appliedChecks(stack);
  }

  /**
   * Accepts findings on `scope` and everything inside it, each with the reason why (at least 10 characters):
   * `DockerPolicy.suppress(db, [{ id: 'DKR10', reason: 'the entrypoint chowns its data dir as root' }])`.
   * `appliesTo` narrows a suppression to the findings it names (a capability, a port, a network...).
   * At synth, a suppression whose id is no rule of the stack's pack fails it (`POL3`), and one that accepts no
   * finding, or whose `appliesTo` names what no finding is about, is a warning (`POL4`; an error with
   * `failOnUnusedSuppressions`). A suppression on a construct above the stacks (the App) is not reported as unused:
   * another stack may use it.
   */
  public static suppress(scope: IConstruct, suppressions: PolicySuppression[]): void {
    addSuppressions(scope, suppressions);
  }
}
