/** Compose's value syntaxes: durations, byte sizes, command strings. */

/** Milliseconds of a compose duration (`1m30s`, `10s`, `1.5s`, `500ms`, `2h`); undefined when it is not one. */
export function parseDuration(text: string | number): number | undefined {
  if (typeof text === 'number') return text * 1000;
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text.trim()) return undefined;
  return parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * units[unit], 0);
}

/** Bytes of a compose size (`512m`, `1g`, `1.5gb`, `65536`, `64k`); undefined when it is not one. */
export function parseBytes(text: string | number): number | undefined {
  if (typeof text === 'number') return text;
  const match = /^(\d+(?:\.\d+)?)\s*([bkmg]?)b?$/i.exec(text.trim());
  if (!match) return undefined;
  const factor = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[match[2].toLowerCase()]!;
  return Math.round(Number(match[1]) * factor);
}

/**
 * A command string split into words as compose splits it (shell-like quoting, no shell): `echo "a b"` is
 * `['echo', 'a b']`. Compose does not run a string command through a shell; write `sh -c '...'` for that.
 */
export function splitCommand(text: string): string[] {
  const words: string[] = [];
  let current: string | undefined;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length && '"\\$`'.includes(text[i + 1])) current += text[++i];
      else current += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      current ??= '';
    } else if (/\s/.test(c)) {
      if (current !== undefined) words.push(current);
      current = undefined;
    } else if (c === '\\' && i + 1 < text.length) {
      current = (current ?? '') + text[++i];
    } else {
      current = (current ?? '') + c;
    }
  }
  if (current !== undefined) words.push(current);
  return words;
}

/** `front-tier` -> `frontTier`; a name that cannot be an identifier gets a prefix. */
export function identifier(name: string, prefix: string): string {
  const camel = name.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : '')).replace(/^[A-Z]/, (c) => c.toLowerCase());
  const id = /^[A-Za-z_$]/.test(camel) ? camel : `${prefix}${camel.charAt(0).toUpperCase()}${camel.slice(1)}`;
  return RESERVED.has(id) ? `${id}${prefix.charAt(0).toUpperCase()}${prefix.slice(1)}` : id;
}

const RESERVED = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await arguments eval undefined'.split(
    ' ',
  ),
);
