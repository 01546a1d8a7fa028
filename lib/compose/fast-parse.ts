import type { Schema } from 'js-yaml';

/**
 * A compose file's plain value without the line of any entry, read by js-yaml: about 45 ms for 3000 lines where the
 * `yaml` library, which gives the lines, takes about 0.25 s (its parse costs that with or without positions). It gives
 * what `source.ts`'s read with positions gives, or undefined where it might not, and that read takes over: a
 * syntax error (whose message comes from there), a tag other than `!!str`, `!!seq` and `!!map` (`!reset`,
 * `!override`, `!!int`, ...), a directive (`%YAML 1.1` changes the scalars), a merge key (`<<`) over a list, an
 * alias inside itself, duplicate keys, an empty file, a file that is not a mapping.
 * `__tests__/compose/fast-parse.test.ts` compares the two reads on the corpus's compose files and YAML's corners.
 */
export function parseWithoutPositions(text: string): Record<string, any> | undefined {
  if (/^%/m.test(text)) return undefined;
  const { load } = require('js-yaml') as typeof import('js-yaml');
  let loaded: unknown;
  try {
    loaded = load(text, { schema: schema() });
  } catch {
    return undefined;
  }
  if (typeof loaded !== 'object' || loaded === null || Array.isArray(loaded)) return undefined;
  try {
    return copy(loaded, new Set()) as Record<string, any>;
  } catch (error) {
    if (error === DIFFERENT) return undefined;
    throw error;
  }
}

/** Thrown by `copy` where the read with positions would give another value or fail. */
const DIFFERENT = Symbol('read with positions');

/**
 * A fresh copy, as the read with positions makes one of every alias (the values are changed in place afterwards,
 * by interpolation and the schema's conversions), with a merge key resolved as it resolves one: the mapping's own
 * keys first, then those of the merged mapping that it does not set.
 */
function copy(value: unknown, ancestors: Set<object>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (ancestors.has(value)) throw DIFFERENT;
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => copy(item, ancestors));
    const map: Record<string, any> = {};
    let merged: unknown;
    for (const [key, entry] of Object.entries(value)) {
      if (key === '<<') merged = entry;
      else map[key] = copy(entry, ancestors);
    }
    if (merged !== undefined) {
      // A list of mappings to merge, and an alias of a list, read differently there: left to it.
      const source = copy(merged, ancestors);
      if (typeof source !== 'object' || source === null || Array.isArray(source)) throw DIFFERENT;
      for (const [key, entry] of Object.entries(source)) if (!(key in map)) map[key] = entry;
    }
    return map;
  } finally {
    ancestors.delete(value);
  }
}

let cached: Schema | undefined;

/**
 * The scalars of the `yaml` library's YAML 1.2 core schema, as it resolves them (its order and patterns), and a
 * plain integer with a leading 0 as YAML 1.1's octal (file modes: 0644), as the read with positions does.
 */
function schema(): Schema {
  if (cached) return cached;
  const { FAILSAFE_SCHEMA, Type } = require('js-yaml') as typeof import('js-yaml');
  const plain = (name: string, pattern: RegExp, construct: (text: string) => unknown) =>
    new Type(`tag:cdktf-docker-networking,compose:${name}`, {
      kind: 'scalar',
      // An empty node is null to js-yaml; the null pattern takes it (its '' alternative).
      resolve: (data: string | null) => pattern.test(data ?? ''),
      construct: (data: string | null) => construct(data ?? ''),
    });
  cached = FAILSAFE_SCHEMA.extend({
    implicit: [
      plain('null', /^(?:~|[Nn]ull|NULL)?$/, () => null),
      plain('bool', /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (text) => text[0] === 't' || text[0] === 'T'),
      plain('int-oct', /^0o[0-7]+$/, (text) => parseInt(text.substring(2), 8)),
      plain('int', /^[-+]?[0-9]+$/, (text) => (/^0[0-7]+$/.test(text) ? parseInt(text, 8) : parseInt(text, 10))),
      plain('int-hex', /^0x[0-9a-fA-F]+$/, (text) => parseInt(text.substring(2), 16)),
      plain('float-nan', /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, (text) =>
        text.slice(-3).toLowerCase() === 'nan' ? NaN : text[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY,
      ),
      plain('float-exp', /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, (text) => parseFloat(text)),
      plain('float', /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, (text) => parseFloat(text)),
    ],
  });
  return cached;
}
