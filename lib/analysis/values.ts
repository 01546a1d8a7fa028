/** Small helpers for reading provider values, shared by the model's readers and the policy rules. */

/** A value known at synth: not a `${...}` reference. */
export function isLiteral(value: unknown): value is string {
  return typeof value === 'string' && !value.includes('${');
}

/** A block or list as an array: `[]` for nothing, `[x]` for a single block. */
export function asArray(value: unknown): any[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** A reference to another object of the stack: `${docker_network.x.id}`, `${data.docker_image.y.repo_digest}`. */
const REFERENCE = /^\$\{((?:module\.[A-Za-z0-9_-]+\.)*(?:data\.)?[a-z_]+\.[A-Za-z0-9_-]+)\.[a-z_]+\}$/;

/** The address a whole-value reference points at (`docker_network.x` of `${docker_network.x.id}`), else undefined. */
export function referencedAddress(value: unknown): string | undefined {
  return typeof value === 'string' ? REFERENCE.exec(value)?.[1] : undefined;
}

/** The address a value starting with a reference points at (`${docker_network.x.id}...`), else undefined. */
export function leadingAddress(value: string): string | undefined {
  return /^\$\{((?:module\.[A-Za-z0-9_-]+\.)*(?:data\.)?[a-z_]+\.[A-Za-z0-9_-]+)\./.exec(value)?.[1];
}

/** A reference to an attribute of the object at `address`, as a Terraform JSON document writes it. */
export function referenceTo(address: string, attribute: string): string {
  return `\${${address}.${attribute}}`;
}

/**
 * A literal as it is; a reference to an attribute of a known object (`${docker_image.x.image_id}`) as that object's
 * literal name from `names`; anything else (a variable, a function) as undefined.
 */
export function resolveReference(value: unknown, names: ReadonlyMap<string, string>): string | undefined {
  if (isLiteral(value)) return value;
  const address = referencedAddress(value);
  const name = address ? names.get(address) : undefined;
  return isLiteral(name) ? name : undefined;
}

/** A number where the value is one, else undefined (unknown at apply, or a token). */
export function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** A non-empty string where the value is one, else undefined. */
export function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Terraform's `labels` blocks (`[{ label, value }]`) as a record. */
export function labelRecord(value: unknown): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const entry of asArray(value)) {
    if (entry && typeof entry.label === 'string') labels[entry.label] = String(entry.value);
  }
  return labels;
}
