import * as os from 'os';
import * as path from 'path';
import { ComposeValue, Fail, copyLocations, isOverridden, locationOf, markOverridden, setLocation } from './source';

/**
 * One form for each key that compose lets you write in several (the compose-spec's short and long syntax), so that
 * files merge entry by entry and the translation reads one shape: mappings for `environment`, `labels`, `depends_on`
 * and `networks`; the long syntax of `ports`, `volumes`, `secrets` and `configs`; lists for `dns`, `tmpfs`, ...;
 * absolute paths for everything a path names, taken from `baseDir` (the project directory, or the directory of a file
 * named by `extends`).
 */
export function normalizeService(service: ComposeValue, where: (key: string) => string, baseDir: string, fail: Fail): ComposeValue {
  const out: ComposeValue = { ...service };
  copyLocations(service, out);
  if (isOverridden(service)) markOverridden(out);
  const keep = (key: string, value: unknown) => {
    if (isOverridden(service[key])) markOverridden(value);
    out[key] = value;
  };
  for (const key of ['environment', 'labels', 'annotations', 'sysctls']) {
    if (service[key] !== undefined && service[key] !== null) keep(key, toMapping(service[key], key === 'environment' ? undefined : ''));
  }
  if (service.extra_hosts) keep('extra_hosts', extraHosts(service.extra_hosts));
  if (service.depends_on) keep('depends_on', dependsOn(service.depends_on));
  if (service.networks) keep('networks', Array.isArray(service.networks) ? listToKeys(service.networks) : service.networks);
  if (service.ports) keep('ports', sameLocations(service.ports, (p: unknown, i: number) => port(p, () => `${where('ports')}[${i}]`, fail)));
  if (service.volumes) keep('volumes', sameLocations(service.volumes, (v: unknown, i: number) => volume(v, baseDir, () => `${where('volumes')}[${i}]`, fail)));
  for (const key of ['secrets', 'configs']) {
    if (service[key]) keep(key, sameLocations(service[key], (s: unknown) => (typeof s === 'string' ? { source: s } : s)));
  }
  for (const key of ['dns', 'dns_search', 'tmpfs', 'cap_add', 'cap_drop', 'profiles']) {
    if (typeof service[key] === 'string') keep(key, [service[key]]);
  }
  if (service.expose) keep('expose', service.expose.map(String));
  if (service.build !== undefined && service.build !== null) {
    const build = typeof service.build === 'string' ? { context: service.build } : { ...service.build };
    if (typeof service.build === 'object') copyLocations(service.build, build);
    build.context = resolvePath(baseDir, build.context ?? '.');
    if (build.args) build.args = toMapping(build.args, undefined);
    keep('build', build);
  }
  if (service.env_file) {
    const files = Array.isArray(service.env_file) ? service.env_file : [service.env_file];
    keep(
      'env_file',
      files.map((f: string | ComposeValue) =>
        typeof f === 'string' ? { path: resolvePath(baseDir, f), required: true } : { required: true, ...f, path: resolvePath(baseDir, f.path) },
      ),
    );
  }
  if (service.label_file) {
    keep('label_file', (Array.isArray(service.label_file) ? service.label_file : [service.label_file]).map((f: string) => resolvePath(baseDir, f)));
  }
  if (service.extends) {
    const extended = typeof service.extends === 'string' ? { service: service.extends } : { ...service.extends };
    if (extended.file) extended.file = resolvePath(baseDir, extended.file);
    out.extends = extended;
  }
  return out;
}

/** Top-level secrets and configs: the path of `file` made absolute. */
export function normalizeFileResource(resource: ComposeValue | null, baseDir: string): ComposeValue {
  if (resource === null || resource === undefined) return {};
  if (typeof resource.file !== 'string') return resource;
  const out = { ...resource, file: resolvePath(baseDir, resource.file) };
  copyLocations(resource, out);
  return out;
}

export function resolvePath(baseDir: string, p: string): string {
  if (p === '~' || p.startsWith('~/')) return path.join(os.homedir(), p.slice(1));
  return path.resolve(baseDir, p);
}

/** A list mapped item by item, each new item at the line of the old one. */
function sameLocations<T>(list: unknown[], f: (item: any, index: number) => T): T[] {
  const out = list.map(f);
  list.forEach((_, i) => setLocation(out, i, locationOf(list, i)));
  return out;
}

/** `[A=1, B]` or `{A: 1, B: null}` to `{A: '1', B: <valueless>}`; entries keep their lines. */
function toMapping(value: unknown, valueless: string | undefined): ComposeValue {
  const out: ComposeValue = {};
  if (Array.isArray(value)) {
    value.forEach((entry, i) => {
      const text = String(entry);
      const eq = text.indexOf('=');
      const key = eq < 0 ? text : text.slice(0, eq);
      out[key] = eq < 0 ? valueless ?? null : text.slice(eq + 1);
      setLocation(out, key, locationOf(value, i));
    });
    return out;
  }
  for (const [key, v] of Object.entries(value as ComposeValue)) {
    out[key] = v === null ? valueless ?? null : typeof v === 'object' ? v : String(v);
  }
  copyLocations(value as object, out);
  return out;
}

function listToKeys(list: string[]): ComposeValue {
  const out: ComposeValue = {};
  list.forEach((name, i) => {
    out[name] = null;
    setLocation(out, name, locationOf(list, i));
  });
  return out;
}

function dependsOn(value: unknown): ComposeValue {
  const out: ComposeValue = Array.isArray(value) ? listToKeys(value) : { ...(value as ComposeValue) };
  if (!Array.isArray(value)) copyLocations(value as object, out);
  for (const name of Object.keys(out)) out[name] = { condition: 'service_started', required: true, ...(out[name] ?? {}) };
  return out;
}

function extraHosts(value: unknown): ComposeValue {
  if (!Array.isArray(value)) return toMapping(value, '');
  const out: ComposeValue = {};
  value.forEach((entry: string, i) => {
    // host:ip or host=ip; the IP may itself hold colons (IPv6), so split at the first separator.
    const match = /^([^:=]+)[:=](.*)$/.exec(entry);
    const [host, ip] = match ? [match[1], match[2]] : [entry, ''];
    out[host] = ip.replace(/^\[(.*)\]$/, '$1');
    setLocation(out, host, locationOf(value, i));
  });
  return out;
}

/**
 * A port in the long syntax; `published` and `target` stay strings where they are ranges (`8000-8001`).
 * Short syntax: `[[IP:](HOST|RANGE):](CONTAINER|RANGE)[/PROTOCOL]`, IPv6 host addresses in brackets or bare.
 */
function port(value: unknown, where: () => string, fail: Fail): ComposeValue {
  if (typeof value === 'object' && value !== null) return value as ComposeValue;
  const text = String(value);
  const [spec, protocol] = text.split('/');
  const match = /^(?:(?:\[([0-9a-fA-F:.]+)\]|([0-9a-fA-F:.]*?)):)??(?:(\d+(?:-\d+)?)?:)?(\d+(?:-\d+)?)$/.exec(spec);
  if (!match || text.split('/').length > 2) {
    fail(`${where()}: "${text}" is not a port; write [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL], e.g. "127.0.0.1:8080:80/tcp".`);
  }
  const [, bracketed, bare, published, target] = match;
  const hostIp = bracketed ?? (bare === '' ? undefined : bare);
  return {
    target,
    ...(published !== undefined ? { published } : {}),
    ...(hostIp !== undefined ? { host_ip: hostIp } : {}),
    ...(protocol ? { protocol } : {}),
  };
}

/**
 * A volume in the long syntax. Short syntax: `SOURCE:TARGET[:MODE]` or `TARGET`; a source starting with `.`, `/` or
 * `~` is a host path (bind mount), anything else a named volume.
 */
function volume(value: unknown, baseDir: string, where: () => string, fail: Fail): ComposeValue {
  if (typeof value === 'object' && value !== null) {
    const long = { ...(value as ComposeValue) };
    copyLocations(value as object, long);
    if (long.type === 'bind' && typeof long.source === 'string') long.source = resolvePath(baseDir, long.source);
    return long;
  }
  const parts = String(value).split(':');
  if (parts.length > 3 || parts.some((p) => p === '')) {
    fail(`${where()}: "${value}" is not a volume; write SOURCE:TARGET[:ro], e.g. "db-data:/var/lib/postgresql/data" or "./conf:/etc/app:ro".`);
  }
  if (parts.length === 1) return { type: 'volume', target: parts[0] };
  const [source, target, mode = ''] = parts;
  const modes = mode.split(',').filter(Boolean);
  const unknownMode = modes.find((m) => !['ro', 'rw', 'z', 'Z', 'nocopy', 'shared', 'slave', 'private', 'rshared', 'rslave', 'rprivate'].includes(m));
  if (unknownMode) fail(`${where()}: "${value}" has the mode "${unknownMode}"; use ro or rw.`);
  const readOnly = modes.includes('ro') ? { read_only: true } : {};
  if (/^[./~]/.test(source)) {
    const propagation = modes.find((m) => /^r?(shared|slave|private)$/.test(m));
    return {
      type: 'bind',
      source: resolvePath(baseDir, source),
      target,
      ...readOnly,
      bind: { create_host_path: true, ...(propagation ? { propagation } : {}), ...(modes.some((m) => /^[zZ]$/.test(m)) ? { selinux: modes.find((m) => /^[zZ]$/.test(m)) } : {}) },
    };
  }
  return { type: 'volume', source, target, ...readOnly, ...(modes.includes('nocopy') ? { volume: { nocopy: true } } : {}) };
}
