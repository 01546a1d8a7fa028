import { IConstruct } from 'constructs';
import { TerraformStack } from 'cdktf';

/**
 * The label every network, container and volume the library creates carries, with its stack's id as the value:
 * what a recovery step uses to tell the stack's own objects (left behind by an interrupted deploy) from a
 * stranger's of the same name.
 */
export const STACK_LABEL = 'cdktf-docker-networking.stack';

/** The user's labels plus the stack label, in the provider's list-of-blocks form. */
export function objectLabels(scope: IConstruct, labels: Record<string, string> = {}): { label: string; value: string }[] {
  return Object.entries({ ...labels, [STACK_LABEL]: TerraformStack.of(scope).node.id }).map(([label, value]) => ({ label, value }));
}
