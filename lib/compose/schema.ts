import type { ErrorObject, ValidateFunction } from 'ajv';
import spec from './schema/compose-spec.json';
import { ComposeValue, Fail, describeLocation, locationOf } from './source';

/** The vendored compose-spec schema (schema/README.md says where it comes from). */
export const COMPOSE_SPEC_SCHEMA: Record<string, any> = spec;

let compiled: ValidateFunction | undefined;

/**
 * The schema's validator: ajv's standalone code of it, generated ahead of time (schema/compose-spec-validator.ts,
 * which a test keeps in step with the schema and ajv). Loaded on first use: a program that reads no compose file does
 * not load its 400 kB.
 */
function validator(): ValidateFunction {
  compiled ??= (require('./schema/compose-spec-validator') as { default: unknown }).default as ValidateFunction;
  return compiled;
}

/**
 * Checks one compose file (after interpolation) against the compose-spec schema; fails naming the line, the key
 * and what is wrong. Strings where the schema wants a number or a boolean are converted first, as compose does for
 * interpolated values (`replicas: ${REPLICAS}`).
 */
export function validateComposeFile(value: ComposeValue, file: string, fail: Fail): void {
  const validate = validator();
  for (let round = 0; round < 20 && !validate(value); round++) {
    if (!convertStrings(value, validate.errors ?? [])) break;
  }
  if (validate(value)) {
    convertFlags(value, [], value, file, fail);
    return;
  }
  const errors = validate.errors ?? [];
  const unknown = errors.find((e) => e.keyword === 'additionalProperties');
  const error = unknown ?? mostSpecific(errors);
  const segments = pointer(error.instancePath);
  if (unknown) {
    const key = String(unknown.params.additionalProperty);
    const where = describeLocation(locate(value, [...segments, key]) ?? { file, line: 1 });
    fail(`${where}: ${dotted([...segments, key])} is not a key of the compose specification; check its spelling (extension keys start with x-).`);
  }
  const where = describeLocation(locate(value, segments) ?? { file, line: 1 });
  fail(`${where}: ${dotted(segments) || '(the file)'} ${describe(error, errors)}.`);
}

/** Keys the schema allows as boolean or string (for interpolation); compose reads the string as a boolean. */
const FLAGS = new Set([
  'read_only', 'init', 'privileged', 'tty', 'stdin_open', 'oom_kill_disable', 'attach', 'internal', 'attachable',
  'enable_ipv4', 'enable_ipv6', 'external', 'disable', 'nocopy', 'create_host_path', 'required',
]);

/** `"true"` and `"false"` (any case) of a flag to booleans; another string fails, naming the line. */
function convertFlags(node: unknown, at: string[], root: ComposeValue, file: string, fail: Fail): void {
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    const here = [...at, key];
    if (typeof value === 'string' && FLAGS.has(key) && !Array.isArray(node)) {
      if (!/^(true|false)$/i.test(value)) {
        fail(`${describeLocation(locate(root, here) ?? { file, line: 1 })}: ${dotted(here)} is "${value}"; write true or false.`);
      }
      (node as any)[key] = value.toLowerCase() === 'true';
    } else {
      convertFlags(value, here, root, file, fail);
    }
  }
}

/** The deepest error: the one nearest to what was written wrong. */
function mostSpecific(errors: ErrorObject[]): ErrorObject {
  return [...errors].sort((a, b) => pointer(b.instancePath).length - pointer(a.instancePath).length)[0];
}

/** What the schema wanted at the error's place: every type the alternatives there allow. */
function describe(error: ErrorObject, errors: ErrorObject[]): string {
  const here = errors.filter((e) => e.instancePath === error.instancePath);
  const types = [...new Set(here.filter((e) => e.keyword === 'type').flatMap((e) => String(e.params.type).split(',')))];
  if (types.length > 0) return `must be ${types.map((t) => (t === 'array' ? 'a list' : t === 'object' ? 'a mapping' : `a ${t}`)).join(' or ')}`;
  return error.message ?? 'does not match the compose specification';
}

/** Converts strings the schema wants as integer, number or boolean; true when it changed something. */
function convertStrings(root: ComposeValue, errors: ErrorObject[]): boolean {
  let changed = false;
  for (const error of errors) {
    if (error.keyword !== 'type') continue;
    const segments = pointer(error.instancePath);
    const parent = segments.slice(0, -1).reduce<any>((node, key) => node?.[key], root);
    const key = segments[segments.length - 1];
    const current = parent?.[key];
    if (typeof current !== 'string') continue;
    const wanted = String(error.params.type);
    const converted =
      (wanted === 'integer' && /^-?\d+$/.test(current)) || (wanted === 'number' && current.trim() !== '' && !Number.isNaN(Number(current)))
        ? Number(current)
        : wanted === 'boolean' && /^(true|false)$/i.test(current)
          ? current.toLowerCase() === 'true'
          : undefined;
    if (converted !== undefined) {
      parent[key] = converted;
      changed = true;
    }
  }
  return changed;
}

function pointer(instancePath: string): string[] {
  return instancePath === '' ? [] : instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `services.web.ports[0]`: how messages name a place in a compose file. */
export function dotted(segments: (string | number)[]): string {
  return segments.map((s, i) => (/^\d+$/.test(String(s)) ? `[${s}]` : `${i > 0 ? '.' : ''}${s}`)).join('');
}

/** The location of the deepest entry on `segments` that has one. */
export function locate(root: unknown, segments: (string | number)[]) {
  let node: any = root;
  let found;
  for (const segment of segments) {
    if (typeof node !== 'object' || node === null) break;
    const key = Array.isArray(node) ? Number(segment) : segment;
    found = locationOf(node, key) ?? found;
    node = node[key];
  }
  return found;
}
