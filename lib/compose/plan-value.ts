import { dependable } from 'cdktf';

/** Where a name used in generated code comes from. */
export type ImportSource = 'library' | 'cdktf' | 'path';

/** A value of a plan together with the TypeScript that makes it, e.g. `Size.mebibytes(512)`. */
export class Code {
  constructor(
    public readonly value: unknown,
    public readonly source: string,
    public readonly imports: { from: ImportSource; name: string }[],
  ) {}
}

/** A value made by the library's `name`: `libraryCode(Size.mebibytes(5), 'Size', 'Size.mebibytes(5)')`. */
export function libraryCode(value: unknown, name: string, source: string): Code {
  return new Code(value, source, [{ from: 'library', name }]);
}

/** A construct of the plan, or one of its attributes: a variable in generated code. */
export class Ref {
  constructor(
    public readonly key: string,
    public readonly attribute?: string,
    /** Wrapped in cdktf's `dependable()`, for a resource's `dependsOn`. */
    public readonly dependable = false,
  ) {}
}

/** What a plan holds: plain data, code, and references to other constructs of the plan. */
export type PlanValue = string | number | boolean | undefined | Code | Ref | PlanValue[] | { [key: string]: PlanValue };

/** The value a plan value stands for, with references resolved by `resolve`. */
export function evaluate(value: PlanValue, resolve: (ref: Ref) => unknown): any {
  if (value instanceof Code) return value.value;
  if (value instanceof Ref) {
    const target = resolve(value) as any;
    const resolved = value.attribute ? target[value.attribute] : target;
    return value.dependable ? dependable(resolved) : resolved;
  }
  if (Array.isArray(value)) return value.map((v) => evaluate(v, resolve));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = evaluate(v, resolve);
    return out;
  }
  return value;
}

/** Every import a plan value needs. */
export function importsOf(value: PlanValue, into: Map<string, ImportSource>): void {
  if (value instanceof Code) value.imports.forEach((i) => into.set(i.name, i.from));
  else if (value instanceof Ref && value.dependable) into.set('dependable', 'cdktf');
  else if (Array.isArray(value)) value.forEach((v) => importsOf(v, into));
  else if (typeof value === 'object' && value !== null && !(value instanceof Ref)) Object.values(value).forEach((v) => importsOf(v, into));
}

/** TypeScript for a plan value, indented for `indent`; references become the variable names `variable` gives. */
export function print(value: PlanValue, variable: (ref: Ref) => string, indent = ''): string {
  if (value instanceof Code) return value.source;
  if (value instanceof Ref) {
    const text = value.attribute ? `${variable(value)}.${value.attribute}` : variable(value);
    return value.dependable ? `dependable(${text})` : text;
  }
  if (typeof value === 'string') return quote(value);
  if (typeof value !== 'object' || value === null) return String(value);
  const inner = `${indent}  `;
  const entries = Array.isArray(value)
    ? value.map((v) => print(v, variable, inner))
    : Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : quote(k)}: ${print(v, variable, inner)}`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) return `${open}${close}`;
  const oneLine = Array.isArray(value) ? `[${entries.join(', ')}]` : `{ ${entries.join(', ')} }`;
  if (oneLine.length + indent.length <= 100 && !oneLine.includes('\n')) return oneLine;
  return `${open}\n${entries.map((e) => `${inner}${e},`).join('\n')}\n${indent}${close}`;
}

/** A string literal in single quotes, or in double quotes where that saves escaping single ones. */
export function quote(text: string): string {
  const q = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escaped = text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  return `${q}${escaped.split(q).join(`\\${q}`)}${q}`;
}
