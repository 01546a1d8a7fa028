import * as path from 'path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { cacheKey, readCache, requireCached, writeCache, writeCachedModule } from './cache';
import spec from './schema/compose-spec.json';
import { ComposeValue, Fail, describeLocation, locationOf } from './source';

/** The vendored compose-spec schema (schema/README.md says where it comes from). */
export const COMPOSE_SPEC_SCHEMA: Record<string, any> = spec;

let validator: ValidateFunction | undefined;
let schemaKey: string | undefined;

/**
 * The schema's validator, where the cache has no verdict: ajv's standalone code of it from the cache, else compiled
 * (about 0.4 s on a busy machine) and its standalone code cached for the next synth.
 */
function validate(): ValidateFunction {
  validator ??= requireCached<ValidateFunction>('validator', schemaCacheKey()) ?? compile();
  return validator;
}

function compile(): ValidateFunction {
  const Ajv = (require('ajv') as typeof import('ajv')).default;
  const standalone = (require('ajv/dist/standalone') as typeof import('ajv/dist/standalone')).default;
  // The schema names its draft by an https URL ajv does not know; ajv's default is that draft (07).
  const { $schema: _draft, ...schema } = COMPOSE_SPEC_SCHEMA;
  const ajv = new Ajv({ allErrors: true, strict: false, code: { source: true } });
  const compiled = ajv.compile(schema);
  // The code requires ajv's runtime helpers by package name, which a module in the cache folder cannot resolve.
  const ajvDir = path.dirname(require.resolve('ajv/package.json'));
  const code = standalone(ajv, compiled).replace(/require\("ajv\//g, `require(${JSON.stringify(`${ajvDir}/`)} + "`);
  writeCachedModule('validator', schemaCacheKey(), code);
  return compiled;
}

function schemaCacheKey(): string {
  schemaKey ??= cacheKey(JSON.stringify(COMPOSE_SPEC_SCHEMA), require('ajv/package.json').version);
  return schemaKey;
}

/** A string converted to the type the schema wants there: where, and to what. */
type Conversion = [(string | number)[], number | boolean];

/**
 * Checks one compose file (after interpolation) against the compose-spec schema; fails naming the line, the key
 * and what is wrong. Strings where the schema wants a number or a boolean are converted first, as compose does for
 * interpolated values (`replicas: ${REPLICAS}`).
 */
export function validateComposeFile(value: ComposeValue, file: string, fail: Fail): void {
  const key = cacheKey('valid', schemaCacheKey(), JSON.stringify(value));
  const known = readCache<Conversion[]>('valid', key);
  if (known) {
    for (const [segments, converted] of known) setAt(value, segments, converted);
    return;
  }
  const conversions: Conversion[] = [];
  const check = validate();
  for (let round = 0; round < 20 && !check(value); round++) {
    if (!convertStrings(value, check.errors ?? [], conversions)) break;
  }
  if (check(value)) {
    convertFlags(value, [], value, file, fail, conversions);
    writeCache('valid', key, conversions);
    return;
  }
  const errors = check.errors ?? [];
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
function convertFlags(node: unknown, at: string[], root: ComposeValue, file: string, fail: Fail, conversions: Conversion[]): void {
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    const here = [...at, key];
    if (typeof value === 'string' && FLAGS.has(key) && !Array.isArray(node)) {
      if (!/^(true|false)$/i.test(value)) {
        fail(`${describeLocation(locate(root, here) ?? { file, line: 1 })}: ${dotted(here)} is "${value}"; write true or false.`);
      }
      (node as any)[key] = value.toLowerCase() === 'true';
      conversions.push([here, (node as any)[key]]);
    } else {
      convertFlags(value, here, root, file, fail, conversions);
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
function convertStrings(root: ComposeValue, errors: ErrorObject[], conversions: Conversion[]): boolean {
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
      conversions.push([segments, converted]);
      changed = true;
    }
  }
  return changed;
}

function setAt(root: ComposeValue, segments: (string | number)[], value: unknown): void {
  const parent = segments.slice(0, -1).reduce<any>((node, key) => node?.[key], root);
  if (parent) parent[segments[segments.length - 1]] = value;
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
