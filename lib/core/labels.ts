import { IConstruct } from 'constructs';
import { TerraformStack } from 'cdktf';

/**
 * The label every network, container and volume the library creates carries, with its stack's id as the value:
 * what a recovery step uses to tell the stack's own objects (left behind by an interrupted deploy) from a
 * stranger's of the same name.
 */
export const STACK_LABEL = 'cdktf-docker-networking.stack';

/**
 * Label whose value changes with the settings that Docker cannot change on a running container (healthcheck, CPU
 * limit). The provider plans such changes as in-place updates that never reach the engine; a label change replaces
 * the container, so the change takes effect.
 */
export const REPLACE_ON_CHANGE_LABEL = 'cdktf-docker-networking.replace-on-change';

/** The user's labels plus the stack label, in the provider's list-of-blocks form. */
export function objectLabels(scope: IConstruct, labels: Record<string, string> = {}): { label: string; value: string }[] {
  return Object.entries({ ...labels, [STACK_LABEL]: TerraformStack.of(scope).node.id }).map(([label, value]) => ({ label, value }));
}
