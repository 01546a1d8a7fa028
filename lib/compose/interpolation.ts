import * as fs from 'fs';
import { Fail, displayPath } from './source';

/** Variables for interpolation, and the names looked up but unset (compose warns about each). */
export interface Environment {
  readonly lookup: (name: string) => string | undefined;
  readonly unset: Set<string>;
}

export function environmentOf(variables: Record<string, string | undefined>): Environment {
  return { lookup: (name) => variables[name], unset: new Set() };
}

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*/;

/**
 * Compose's interpolation (the compose-spec's "Interpolation"): `$VAR`, `${VAR}`, `${VAR:-default}`,
 * `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `${VAR:+replacement}`, `${VAR+replacement}`, nested in defaults,
 * and `$$` for a literal `$`. An unset variable without a default is the empty string (and recorded in `unset`).
 * `where` says where the value was written, for messages (a function: describing a place may read the file again, see
 * `withPositionsOnDemand`, so it is described only for a message).
 */
export function interpolate(text: string, env: Environment, where: string | (() => string), fail: Fail): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '{') {
      const end = closingBrace(text, i + 2);
      if (end < 0) fail(`${place(where)}: "${text}" has a \${ without its closing }; close it, or write $$ for a literal $.`);
      out += substitute(text.slice(i + 2, end), env, where, fail);
      i = end + 1;
    } else {
      const name = NAME.exec(text.slice(i + 1))?.[0];
      if (name) {
        out += value(name, env);
        i += 1 + name.length;
      } else {
        out += '$';
        i++;
      }
    }
  }
  return out;
}

function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '$') i++;
    else if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

function value(name: string, env: Environment): string {
  const found = env.lookup(name);
  if (found === undefined) env.unset.add(name);
  return found ?? '';
}

function substitute(body: string, env: Environment, where: string | (() => string), fail: Fail): string {
  const name = NAME.exec(body)?.[0];
  if (!name) fail(`${place(where)}: "\${${body}}" does not start with a variable name; write \${NAME}, \${NAME:-default} or \${NAME:?error}.`);
  const rest = body.slice(name.length);
  if (rest === '') return value(name, env);
  const operator = /^(:-|-|:\?|\?|:\+|\+)/.exec(rest)?.[0];
  if (!operator) fail(`${place(where)}: "\${${body}}" has an unknown modifier "${rest}"; use :-, -, :?, ?, :+ or +.`);
  const argument = () => interpolate(rest.slice(operator.length), env, where, fail);
  const found = env.lookup(name);
  const emptyCounts = operator.startsWith(':');
  const isSet = found !== undefined && !(emptyCounts && found === '');
  switch (operator.replace(':', '')) {
    case '-':
      return isSet ? found! : argument();
    case '?':
      if (!isSet) fail(`${place(where)}: the variable ${name} is required: ${argument() || `${name} is ${found === undefined ? 'unset' : 'empty'}`}; set it.`);
      return found!;
    default:
      return isSet ? argument() : '';
  }
}

/**
 * A `.env` or `env_file` file: `KEY=VALUE` lines (also `export KEY=VALUE`, `KEY: VALUE`), `#` comments, single
 * quotes taken literally, double quotes with `\n` escapes; unquoted and double-quoted values are interpolated with
 * `env` and the keys before them, unless `raw`.
 */
export function readEnvFile(file: string, env: Environment, fail: Fail, raw = false): Record<string, string> {
  const shown = displayPath(file);
  const result: Record<string, string> = {};
  const local: Environment = { lookup: (name) => result[name] ?? env.lookup(name), unset: env.unset };
  fs.readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .forEach((line, index) => {
      const trimmed = line.trim();
      if (trimmed === '' || trimmed.startsWith('#')) return;
      const match = /^(?:export\s+)?([^=:\s]+)\s*(?:[=:]\s*(.*))?$/.exec(trimmed);
      if (!match) fail(`${shown}:${index + 1}: "${trimmed}" is not KEY=VALUE; fix the line or comment it out with #.`);
      const [, key, rawValue] = match;
      if (rawValue === undefined) {
        const inherited = env.lookup(key);
        if (inherited !== undefined) result[key] = inherited;
        return;
      }
      const where = `${shown}:${index + 1}`;
      if (rawValue.startsWith("'")) {
        result[key] = rawValue.slice(1, rawValue.lastIndexOf("'") > 0 ? rawValue.lastIndexOf("'") : undefined);
      } else if (rawValue.startsWith('"')) {
        const inner = rawValue.slice(1, rawValue.lastIndexOf('"') > 0 ? rawValue.lastIndexOf('"') : undefined);
        const unescaped = inner.replace(/\\([nrt"\\])/g, (_m, c: string) => ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[c] ?? c);
        result[key] = raw ? unescaped : interpolate(unescaped, local, where, fail);
      } else {
        const unquoted = rawValue.replace(/\s+#.*$/, '').trim();
        result[key] = raw ? unquoted : interpolate(unquoted, local, where, fail);
      }
    });
  return result;
}

function place(where: string | (() => string)): string {
  return typeof where === 'string' ? where : where();
}
