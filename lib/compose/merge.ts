import { ComposeValue, copyLocations, isOverridden, locationOf, resetKeys, setLocation } from './source';

/** Keys whose value an override replaces whole (the compose-spec's "Shell commands" exception). */
const REPLACED = new Set(['command', 'entrypoint', 'services.*.healthcheck.test']);

/** Sequences merged entry by entry on a key (the compose-spec's "Unique resources"); others are appended. */
const UNIQUE_BY: Record<string, (entry: ComposeValue) => string> = {
  ports: (p) => JSON.stringify([p.host_ip ?? '', String(p.target), String(p.published ?? ''), p.protocol ?? 'tcp']),
  volumes: (v) => String(v.target),
  secrets: (s) => String(s.target ?? s.source),
  configs: (c) => String(c.target ?? c.source),
};

/**
 * Merges `override` into `base` as compose merges override files and `extends`: mappings key by key, sequences
 * appended (ports, volumes, secrets and configs merged on their unique key, duplicates of plain lists dropped),
 * scalars, `command`, `entrypoint` and `healthcheck.test` replaced; `!reset` removes a key, `!override` replaces a value
 * whole. Neither input is changed; the result keeps each entry's line from the file that set it.
 */
export function mergeService(base: ComposeValue, override: ComposeValue): ComposeValue {
  return mergeMapping(base, override, 'services.*');
}

/** A top-level network, volume, secret or config: merged as a mapping. */
export function mergeResource(base: ComposeValue | undefined, override: ComposeValue): ComposeValue {
  return base === undefined ? override : mergeMapping(base, override, 'resource');
}

function mergeMapping(base: ComposeValue, override: ComposeValue, at: string): ComposeValue {
  const out: ComposeValue = { ...base };
  copyLocations(base, out);
  for (const key of resetKeys(override)) delete out[key];
  for (const [key, value] of Object.entries(override)) {
    const here = `${at}.${key}`;
    out[key] = key in out ? mergeValue(out[key], value, here, key) : value;
    setLocation(out, key, locationOf(override, key));
  }
  return out;
}

function mergeValue(base: unknown, override: unknown, at: string, key: string): unknown {
  if (isOverridden(override) || REPLACED.has(key) || REPLACED.has(at)) return override;
  if (Array.isArray(base) && Array.isArray(override)) {
    const unique = at.startsWith('services.*.') && at.split('.').length === 3 ? UNIQUE_BY[key] : undefined;
    return unique ? mergeUnique(base, override, unique) : appendUnique(base, override);
  }
  if (isMapping(base) && isMapping(override)) return mergeMapping(base, override, at);
  return override;
}

function isMapping(x: unknown): x is ComposeValue {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function mergeUnique(base: unknown[], override: unknown[], keyOf: (entry: ComposeValue) => string): unknown[] {
  const out = [...base];
  base.forEach((_, i) => setLocation(out, i, locationOf(base, i)));
  override.forEach((entry, i) => {
    const at = out.findIndex((existing) => keyOf(existing as ComposeValue) === keyOf(entry as ComposeValue));
    const index = at >= 0 ? at : out.length;
    out[index] = at >= 0 && isMapping(out[at]) && isMapping(entry) ? mergeMapping(out[at] as ComposeValue, entry, 'entry') : entry;
    setLocation(out, index, locationOf(override, i));
  });
  return out;
}

function appendUnique(base: unknown[], override: unknown[]): unknown[] {
  const out = [...base];
  base.forEach((_, i) => setLocation(out, i, locationOf(base, i)));
  const seen = new Set(base.map((entry) => JSON.stringify(entry)));
  override.forEach((entry, i) => {
    if (seen.has(JSON.stringify(entry))) return;
    seen.add(JSON.stringify(entry));
    setLocation(out, out.length, locationOf(override, i));
    out.push(entry);
  });
  return out;
}
