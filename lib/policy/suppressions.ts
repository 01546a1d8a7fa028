import { IConstruct } from 'constructs';
import { ValidationError, isKnown } from '../core/errors';

/** Accepts a policy finding on purpose, with the reason why. */
export interface PolicySuppression {
  /** The rule id, e.g. `DKR6`. */
  readonly id: string;

  /** Why the finding is acceptable here; at least 10 characters. It is written into the policy report. */
  readonly reason: string;

  /**
   * Accept only the findings about these items (the `findingId` a finding shows in the report: a capability, a
   * port, a network name, an environment variable, `memory` or `cpu`...).
   * @default - every finding of the rule on the construct and everything inside it
   */
  readonly appliesTo?: string[];
}

/** The shortest reason a suppression may give. */
export const MIN_SUPPRESSION_REASON_LENGTH = 10;

/**
 * Suppressions live on the construct they were added to, under a `Symbol.for` key: two copies of the library in
 * one app read each other's, and nothing is kept in module state. The root of the tree lists the constructs that
 * hold some, so that a stack's check finds them without walking the tree.
 */
const SUPPRESSIONS = Symbol.for('cdktf-docker-networking.policy-suppressions');
const SUPPRESSED_SCOPES = Symbol.for('cdktf-docker-networking.policy-suppressed-scopes');

/** A suppression and the construct it was added to. */
export interface PlacedSuppression {
  readonly scope: IConstruct;
  readonly suppression: PolicySuppression;
}

function suppressionsOn(scope: IConstruct): PolicySuppression[] {
  return (scope as any)[SUPPRESSIONS] ?? [];
}

/** Records suppressions on `scope`; they apply to findings on `scope` and every construct inside it. */
export function addSuppressions(scope: IConstruct, suppressions: PolicySuppression[]): void {
  for (const s of suppressions) {
    const reason = isKnown(s.reason) ? (s.reason ?? '').trim() : s.reason;
    if (reason.length < MIN_SUPPRESSION_REASON_LENGTH) {
      throw new ValidationError(
        scope,
        `the suppression of ${s.id} needs a reason of at least ${MIN_SUPPRESSION_REASON_LENGTH} characters that says why ` +
          `the finding is acceptable here, got "${s.reason ?? ''}"; write the reason into \`reason\`.`,
      );
    }
    if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(s.id ?? '')) {
      throw new ValidationError(scope, `"${s.id}" is not a rule id; use the id the finding shows, e.g. "DKR6".`);
    }
    if (s.appliesTo !== undefined && s.appliesTo.length === 0) {
      throw new ValidationError(
        scope,
        `the suppression of ${s.id} has an empty \`appliesTo\`; name the findings it accepts, or leave \`appliesTo\` out to accept them all.`,
      );
    }
  }
  if (suppressionsOn(scope).length === 0) {
    const root = scope.node.root as any;
    if (!root[SUPPRESSED_SCOPES]) Object.defineProperty(root, SUPPRESSED_SCOPES, { value: [] });
    root[SUPPRESSED_SCOPES].push(scope);
  }
  Object.defineProperty(scope, SUPPRESSIONS, { value: [...suppressionsOn(scope), ...suppressions], configurable: true });
}

/** The suppression that accepts finding `findingId` of rule `ruleId` on `construct`, if any: the innermost one. */
export function findSuppression(construct: IConstruct, ruleId: string, findingId: string | undefined): PlacedSuppression | undefined {
  for (const scope of [...construct.node.scopes].reverse()) {
    const suppression = suppressionsOn(scope).find(
      (s) => s.id === ruleId && (s.appliesTo === undefined || (findingId !== undefined && s.appliesTo.includes(findingId))),
    );
    if (suppression) return { scope, suppression };
  }
  return undefined;
}

/**
 * The suppressions that can accept findings in `stack`: those on the constructs above it (the App...), on it and
 * inside it, in the order they were added.
 */
export function suppressionsFor(stack: IConstruct): PlacedSuppression[] {
  const scopes: IConstruct[] = (stack.node.root as any)[SUPPRESSED_SCOPES] ?? [];
  const above = new Set(stack.node.scopes);
  return scopes
    .filter((scope) => above.has(scope) || isWithin(scope.node.path, stack))
    .flatMap((scope) => suppressionsOn(scope).map((suppression) => ({ scope, suppression })));
}

/** True when the construct at `path` is `scope` or lies inside it. */
export function isWithin(path: string, scope: IConstruct): boolean {
  const top = scope.node.path;
  return top === '' || path === top || path.startsWith(`${top}/`);
}
