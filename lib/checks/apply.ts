import { IConstruct } from 'constructs';
import { App, TerraformStack } from 'cdktf';
import { annotate } from '../analysis/annotate';
import { FinalSynth } from '../analysis/final-synth';
import { StackModel } from '../analysis/model';
import { StackFiles } from '../analysis/stack-files';
import { onRegisterConstruct } from '../core/brand';
import { addStackValidationOnce } from '../core/construct-tree';
import { ValidationError } from '../core/errors';
import { checkFrameworkCopies } from '../core/framework-copies';
import { DockerPolicyChecks, DockerPolicyProps } from '../policy/pack';
import { renderJsonReport, renderMarkdownReport } from '../policy/report';
import { Reachability } from '../reachability/reachability';

/*
 * What the pack leaves on the tree, under keys every copy of the library shares: the checks on each stack, a mark
 * on a stack whose checks came from its App, the props of the App's pack on the App, and on the global object a
 * mark that the pack was applied somewhere in this process.
 */
const APPLIED = Symbol.for('cdktf-docker-networking.policy-checks');
const FROM_APP = Symbol.for('cdktf-docker-networking.policy-from-app');
const APP_PROPS = Symbol.for('cdktf-docker-networking.policy-app-props');
const APPLIED_IN_PROCESS = Symbol.for('cdktf-docker-networking.policy-applied-in-process');
const WARNED_ELSEWHERE = Symbol.for('cdktf-docker-networking.policy-warned-elsewhere');

/** Id of the warning on a stack that no pack checks while the pack is applied to another App of the process. */
export const POLICY_ELSEWHERE = 'POL5';

/** The checks applied to `stack`, if any. */
export function appliedChecks(stack: TerraformStack): DockerPolicyChecks | undefined {
  return (stack as any)[APPLIED];
}

/**
 * Applies the pack to `stack`: the checks, the reachability report and the two policy reports. `fromApp` marks it
 * as the App's, which an `applyTo` of the stack itself may reconfigure (`reconfigureFromApp`).
 */
export function applyToStack(stack: TerraformStack, props: DockerPolicyProps, fromApp: boolean): void {
  checkFrameworkCopies(stack);
  (globalThis as any)[APPLIED_IN_PROCESS] = true;
  const checks = new DockerPolicyChecks(props);
  Object.defineProperty(stack, APPLIED, { value: checks });
  if (fromApp) Object.defineProperty(stack, FROM_APP, { value: true, configurable: true, writable: true });
  StackModel.shareWithinSynth(stack);
  FinalSynth.addAspect(stack, checks);
  checks.checkWhenTreeIsFinal(stack);
  Reachability.of(stack);
  new StackFiles(stack, 'DockerPolicyReport', () => {
    // Where the pack ran in its aspect and no validation summarized it (`skipValidation`).
    checks.summarize(stack);
    const report = checks.reportOf(stack);
    return { 'policy-report.md': renderMarkdownReport(report), 'policy-report.json': renderJsonReport(report) };
  });
}

/** Gives the stack's own props to checks that came from its App; false when its checks are its own already. */
export function reconfigureFromApp(stack: TerraformStack, props: DockerPolicyProps): boolean {
  const checks = appliedChecks(stack);
  if (!checks || !(stack as any)[FROM_APP]) return false;
  checks._configure(props);
  (stack as any)[FROM_APP] = false;
  return true;
}

/**
 * Applies the pack to every stack of `app`: those that exist now, those made later (when the first construct of
 * this library is made in them, or else when `app.synth()` starts), nested ones included. A stack with a pack of
 * its own keeps it.
 */
export function applyToApp(app: App, props: DockerPolicyProps): void {
  if ((app as any)[APP_PROPS]) {
    throw new ValidationError('DockerPolicy.applyTo(app)', 'the App already has the Docker policy pack applied; apply it once per App.');
  }
  Object.defineProperty(app, APP_PROPS, { value: props });
  (globalThis as any)[APPLIED_IN_PROCESS] = true;
  coverStacksOf(app);
  // cdktf's App.synth finds the stacks and runs each one's synthesizer: cover the stacks made since, first.
  const synth = app.synth;
  Object.defineProperty(app, 'synth', {
    configurable: true,
    writable: true,
    value: () => {
      coverStacksOf(app);
      synth.call(app);
    },
  });
}

/** Applies the App's pack to `stack` if its App has one and the stack has no pack yet. */
export function coverStack(stack: TerraformStack): void {
  if (appliedChecks(stack)) return;
  const props: DockerPolicyProps | undefined = (stack.node.root as any)[APP_PROPS];
  if (props) applyToStack(stack, props, true);
}

function coverStacksOf(app: App): void {
  for (const c of app.node.findAll()) if (TerraformStack.isStack(c)) coverStack(c);
}

/**
 * For every construct of this library as it is made: its stack gets the App's pack if the App has one; otherwise
 * the stack is checked at synth for a pack applied to another App instead (`POL5`).
 */
function onLibraryConstruct(construct: IConstruct): void {
  const stack = TerraformStack.of(construct);
  if (appliedChecks(stack)) return;
  coverStack(stack);
  if (!appliedChecks(stack)) addStackValidationOnce(stack, 'policy-applied-elsewhere', warnIfAppliedElsewhere);
}

onRegisterConstruct('policy-coverage', onLibraryConstruct);

/** `POL5` on a stack that no pack checks, while the pack is applied in this process, but to another App. */
function warnIfAppliedElsewhere(stack: TerraformStack): string[] {
  const root = stack.node.root;
  const appHasPack = () => (root as any)[APP_PROPS] || root.node.findAll().some((c) => TerraformStack.isStack(c) && appliedChecks(c));
  if ((globalThis as any)[APPLIED_IN_PROCESS] && !(stack as any)[WARNED_ELSEWHERE] && !appliedChecks(stack) && !appHasPack()) {
    Object.defineProperty(stack, WARNED_ELSEWHERE, { value: true });
    annotate(
      stack,
      'warning',
      `[${POLICY_ELSEWHERE}] the Docker policy pack checks no container of stack ${stack.node.id}: it is applied in this ` +
        "process, but not to this stack's App nor to any stack of it. Apply it here: DockerPolicy.applyTo(app) for " +
        'every stack of the App, or DockerPolicy.applyTo(stack).',
    );
  }
  return [];
}
