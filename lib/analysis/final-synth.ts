import { Aspects, IAspect, ISynthesisSession, IStackSynthesizer, TerraformStack } from 'cdktf';
import { StackSynthesizer } from 'cdktf/lib/synthesize/synthesizer';

/**
 * Stack-wide checks that run once the construct tree is final, on the document cdktf writes, so the stack is
 * resolved once for both (a resolve of every element is most of a synth's time).
 *
 * In a synth through the stack's synthesizer (`app.synth()`, `cdktf synth`, `Testing.fullSynth`), cdktf runs the
 * aspects, then the validations, then each construct's `onSynthesize` (files written beside the stack), then fails
 * on error annotations, then resolves the stack (`toTerraform()`) and writes `cdk.tf.json`. The checks registered
 * here wait for the first `onSynthesize` of a `StackFiles` (`settle`): the tree no longer changes, their
 * annotations still fail the synth, and the resolved document they read (`document`) is the one cdktf writes next.
 *
 * Elsewhere (`Testing.synth`, which runs only the aspects, or a stack whose synthesizer is not cdktf's own) the
 * checks run in their aspects as before: `defers` is false there. A synth through the synthesizer leaves those
 * aspects out (`addAspect`), since cdktf's walk for a stack-wide aspect keeps a path and a list for every construct.
 */
export class FinalSynth {
  /**
   * Wraps the synthesizer of `stack` so that its checks can wait for the final tree. Idempotent; a stack with a
   * synthesizer of its own (not cdktf's `StackSynthesizer`) keeps it, and its checks run in their aspects.
   */
  public static enable(stack: TerraformStack): void {
    const s = stack as any;
    if (s[STATE] || !isCdktfSynthesizer(stack.synthesizer)) return;
    const state: FinalSynthState = { checks: [], starts: [], aspects: [], phase: 'idle' };
    Object.defineProperty(s, STATE, { value: state });
    stack.synthesizer = new DeferringSynthesizer(stack, state, stack.synthesizer);
  }

  /**
   * Registers a check that runs once a synth, when the tree is final. Call it next to adding the check's aspect,
   * whose `visit` returns early while `defers(stack)`.
   */
  public static whenTreeIsFinal(stack: TerraformStack, check: () => void): void {
    stateOf(stack)?.checks.push(check);
  }

  /** Registers `start` to run when a synth through the stack's synthesizer starts, before anything else. */
  public static whenSynthStarts(stack: TerraformStack, start: () => void): void {
    stateOf(stack)?.starts.push(start);
  }

  /**
   * Adds `aspect` to `stack` for the synths that run only aspects (`Testing.synth`). A synth through the stack's
   * synthesizer takes it out of the stack's aspects while it runs: there its work waits for the final tree
   * (`whenTreeIsFinal`), and cdktf would otherwise walk every construct for it. Call `enable` first.
   */
  public static addAspect(stack: TerraformStack, aspect: IAspect): void {
    Aspects.of(stack).add(aspect);
    stateOf(stack)?.aspects.push(aspect);
  }

  /** True while a synth of `stack` is under way whose checks wait for the final tree: aspects leave them to it. */
  public static defers(stack: TerraformStack): boolean {
    return stateOf(stack)?.phase === 'deferring';
  }

  /** True from the moment the checks of the synth under way start: the tree is final. */
  public static isFinal(stack: TerraformStack): boolean {
    return stateOf(stack)?.phase === 'settled';
  }

  /** Runs the registered checks, once a synth; every `onSynthesize` that reads their results calls it first. */
  public static settle(stack: TerraformStack): void {
    const state = stateOf(stack);
    if (state?.phase !== 'deferring') return;
    state.phase = 'settled';
    for (const check of state.checks) check();
  }

  /**
   * The stack resolved as `cdk.tf.json` will hold it, once the tree is final. cdktf's own resolve for the write that
   * follows returns this same document instead of resolving the stack again.
   */
  public static document(stack: TerraformStack): Record<string, any> {
    const state = stateOf(stack);
    if (state?.phase !== 'settled' || !state.resolve) {
      throw new Error(`FinalSynth.document(${stack.node.path}) is only available once the tree of a synth is final`);
    }
    return (state.document ??= state.resolve());
  }
}

interface FinalSynthState {
  readonly checks: (() => void)[];
  readonly starts: (() => void)[];
  /** Aspects that a synth through the synthesizer leaves out (`addAspect`). */
  readonly aspects: IAspect[];
  phase: 'idle' | 'deferring' | 'settled';
  /** The stack's own `toTerraform`, during a synth. */
  resolve?: () => Record<string, any>;
  /** The resolved document, from `document` until cdktf's write takes it. */
  document?: Record<string, any>;
}

/** Shared by every copy of this library, like the other per-stack keys. */
const STATE = Symbol.for('cdktf-docker-networking.final-synth');

function stateOf(stack: TerraformStack): FinalSynthState | undefined {
  return (stack as any)[STATE];
}

/** cdktf's synthesizer (of any copy of cdktf), whose order of steps `FinalSynth` relies on. */
function isCdktfSynthesizer(synthesizer: IStackSynthesizer | undefined): boolean {
  return synthesizer instanceof StackSynthesizer || synthesizer?.constructor?.name === 'StackSynthesizer';
}

class DeferringSynthesizer implements IStackSynthesizer {
  constructor(
    private readonly stack: TerraformStack,
    private readonly state: FinalSynthState,
    private readonly inner: IStackSynthesizer,
  ) {}

  public synthesize(session: ISynthesisSession): void {
    const { stack, state } = this;
    const own = Object.getOwnPropertyDescriptor(stack, 'toTerraform');
    const resolve = stack.toTerraform.bind(stack);
    state.phase = 'deferring';
    state.resolve = resolve;
    // cdktf's write calls toTerraform once, right after the onSynthesize hooks: it takes the document the checks
    // resolved, if any, and a later call resolves again.
    Object.defineProperty(stack, 'toTerraform', {
      configurable: true,
      writable: true,
      value: () => {
        const document = state.document;
        state.document = undefined;
        return document ?? resolve();
      },
    });
    let restoreAspects = () => {};
    try {
      for (const start of state.starts) start();
      restoreAspects = stepAside(stack, state.aspects);
      this.inner.synthesize(session);
      // The inner synthesizer's onSynthesize hooks moved the phase on (settle).
      const phase = state.phase as FinalSynthState['phase'];
      if (phase !== 'settled' && state.checks.length > 0) {
        throw new Error(
          `${stack.node.path}: the Docker policy and reachability checks did not run in this synth (no onSynthesize of ` +
            'their report files was called); synthesize with cdktf\'s StackSynthesizer, or check with PolicyTesting.synth.',
        );
      }
    } finally {
      restoreAspects();
      if (own) Object.defineProperty(stack, 'toTerraform', own);
      else delete (stack as any).toTerraform;
      state.phase = 'idle';
      state.resolve = undefined;
      state.document = undefined;
    }
  }
}

/**
 * Takes `aspects` out of the stack's own aspects until the function returned puts them back where they were.
 * cdktf's `Aspects` has no remove: this edits its list (`_aspects`). Where that is not an array (another cdktf), it
 * takes nothing out, and the aspects step aside in their `visit` (`defers`) instead.
 */
function stepAside(stack: TerraformStack, aspects: readonly IAspect[]): () => void {
  const list: unknown = (Aspects.of(stack) as any)._aspects;
  if (aspects.length === 0 || !Array.isArray(list)) return () => {};
  const before = [...list];
  const kept = before.filter((a) => !aspects.includes(a));
  list.splice(0, list.length, ...kept);
  return () => {
    const addedMeanwhile = list.slice(kept.length);
    list.splice(0, list.length, ...before, ...addedMeanwhile);
  };
}
