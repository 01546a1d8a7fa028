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
 * one app read each other's, and nothing is kept in module state.
 */
const SUPPRESSIONS = Symbol.for('cdktf-docker-networking.policy-suppressions');

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
  Object.defineProperty(scope, SUPPRESSIONS, { value: [...suppressionsOn(scope), ...suppressions], configurable: true });
}

/** The suppression that accepts finding `findingId` of rule `ruleId` on `construct`, if any. */
export function findSuppression(construct: IConstruct, ruleId: string, findingId: string | undefined): PolicySuppression | undefined {
  for (const scope of [...construct.node.scopes].reverse()) {
    const match = suppressionsOn(scope).find(
      (s) => s.id === ruleId && (s.appliesTo === undefined || (findingId !== undefined && s.appliesTo.includes(findingId))),
    );
    if (match) return match;
  }
  return undefined;
}
