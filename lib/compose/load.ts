import * as fs from 'fs';
import * as path from 'path';
import { Environment, environmentOf, interpolate, readEnvFile } from './interpolation';
import { mergeResource, mergeService } from './merge';
import { normalizeFileResource, normalizeService } from './normalize';
import { dotted, locate, validateComposeFile } from './schema';
import { ComposeValue, Fail, SourceLocation, describeLocation, displayPath, locationOf, readComposeFile, setLocation } from './source';

/** What `loadCompose` reads. */
export interface LoadOptions {
  /** Compose files, merged in order; relative paths start at the working directory. */
  readonly files: string[];
  /** @default - the top-level `name`, else the first file's directory name, normalized as compose does */
  readonly projectName?: string;
  /** Variables for interpolation. @default - the process's environment */
  readonly environment?: Record<string, string | undefined>;
  /** Files of variables for interpolation, in place of `<project dir>/.env`. @default - `.env` if it exists */
  readonly envFiles?: string[];
  /** @default - COMPOSE_PROFILES (comma-separated), else none */
  readonly profiles?: string[];
}

/** A compose project after merge, interpolation, `extends` and profiles: the services that run and what they use. */
export interface ComposeModel {
  readonly name: string;
  readonly projectDir: string;
  /** The compose files, absolute. */
  readonly files: string[];
  readonly services: Record<string, ComposeValue>;
  readonly networks: Record<string, ComposeValue>;
  readonly volumes: Record<string, ComposeValue>;
  readonly secrets: Record<string, ComposeValue>;
  readonly configs: Record<string, ComposeValue>;
  /** The interpolation environment (env files included), for `environment` entries without a value. */
  readonly env: Environment;
  /** Variables used but unset (compose warns "The X variable is not set. Defaulting to a blank string."). */
  readonly unsetVariables: string[];
}

const TOP_LEVEL = ['services', 'networks', 'volumes', 'secrets', 'configs'] as const;

export function loadCompose(options: LoadOptions, fail: Fail): ComposeModel {
  if (options.files.length === 0) fail('`files` is empty; name at least one compose file, e.g. files: ["docker-compose.yml"].');
  const files = options.files.map((f) => path.resolve(f));
  const projectDir = path.dirname(files[0]);
  const env = environment(options, projectDir, fail);

  const documents = files.map((file) => readInterpolated(file, env, fail));
  const merged = documents.reduce<ComposeValue>((acc, doc, i) => mergeTopLevel(acc, resolveExtends(doc, files[i], projectDir, env, fail)), {});
  if (merged.include) fail(`${describeLocation(locationOf(merged, 'include'))}: include is not translated; merge the included files with \`files\` instead.`);

  const name = projectName(options.projectName ?? merged.name ?? path.basename(projectDir), locationOf(merged, 'name'), fail);
  const profiles = options.profiles ?? (env.lookup('COMPOSE_PROFILES') ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  const all: ComposeValue = merged.services ?? {};
  if (Object.keys(all).length === 0) fail(`${displayPath(files[0])}: the project has no services; add one under services:.`);
  const services: Record<string, ComposeValue> = {};
  for (const [serviceName, service] of Object.entries(all)) {
    const own: string[] = service.profiles ?? [];
    if (own.length === 0 || own.some((p) => profiles.includes(p))) services[serviceName] = service;
  }
  if (Object.keys(services).length === 0) {
    fail(`every service has a profile, and none of ${profiles.length ? profiles.join(', ') : '(no profiles)'} is active; set \`profiles\`.`);
  }
  for (const [serviceName, service] of Object.entries(services)) {
    checkDependencies(serviceName, service, services, all, fail);
    if (!service.networks && !service.network_mode) {
      service.networks = { default: null };
      setLocation(service, 'networks', locationOf(all, serviceName));
    }
    if (service.image === undefined && service.build === undefined) {
      fail(`${describeLocation(locationOf(all, serviceName))}: services.${serviceName} has neither image nor build; give it an image.`);
    }
  }
  const used = usedResources(services);
  const pickUsed = (kind: 'networks' | 'volumes' | 'secrets' | 'configs') => pick(kind, merged, used[kind], services, fail);
  const networks = pickUsed('networks');
  if (used.networks.has('default') && !networks.default) networks.default = {};
  return {
    name,
    projectDir,
    files,
    services,
    networks,
    volumes: pickUsed('volumes'),
    secrets: pickUsed('secrets'),
    configs: pickUsed('configs'),
    env,
    unsetVariables: [...env.unset].sort(),
  };
}

function environment(options: LoadOptions, projectDir: string, fail: Fail): Environment {
  const given = environmentOf(options.environment ?? process.env);
  const envFiles = options.envFiles?.map((f) => path.resolve(f)) ?? [path.join(projectDir, '.env')].filter((f) => fs.existsSync(f));
  const fromFiles: Record<string, string> = {};
  for (const file of envFiles) {
    if (!fs.existsSync(file)) fail(`env file ${displayPath(file)} does not exist; check \`envFiles\`.`);
    Object.assign(fromFiles, readEnvFile(file, { lookup: (n) => given.lookup(n) ?? fromFiles[n], unset: given.unset }, fail));
  }
  // The environment wins over the files, as in compose.
  return { lookup: (n) => given.lookup(n) ?? fromFiles[n], unset: given.unset };
}

/** One file read, interpolated and checked against the schema, its services in one form. */
function readInterpolated(file: string, env: Environment, fail: Fail): ComposeValue {
  const raw = readComposeFile(file, fail);
  const doc = interpolateTree(raw, [], env, fail) as ComposeValue;
  validateComposeFile(doc, displayPath(file), fail);
  return doc;
}

function interpolateTree(value: unknown, at: (string | number)[], env: Environment, fail: Fail, root?: unknown): unknown {
  const top = root ?? value;
  if (typeof value === 'string') {
    if (!value.includes('$')) return value;
    return interpolate(value, env, () => `${describeLocation(locate(top, at))}: ${dotted(at)}`, fail);
  }
  if (typeof value !== 'object' || value === null) return value;
  // In place: the entries keep their locations and tags. Extension fields (x-*) are not interpolated.
  for (const key of Object.keys(value)) {
    if (at.length === 0 && key.startsWith('x-')) continue;
    (value as any)[key] = interpolateTree((value as any)[key], [...at, Array.isArray(value) ? Number(key) : key], env, fail, top);
  }
  return value;
}

/** The services of one file with their `extends` resolved; top-level file resources with absolute paths. */
function resolveExtends(doc: ComposeValue, file: string, baseDir: string, env: Environment, fail: Fail): ComposeValue {
  const out: ComposeValue = { ...doc };
  const services: ComposeValue = {};
  const normalized = new Map<string, ComposeValue>();
  const normalizedOf = (source: ComposeValue, name: string, dir: string) =>
    normalizeService(source[name], (key) => `${describeLocation(locate(source, [name, key]))}: services.${name}.${key}`, dir, fail);
  for (const name of Object.keys(doc.services ?? {})) normalized.set(name, normalizedOf(doc.services, name, baseDir));

  const resolving: string[] = [];
  const resolve = (name: string): ComposeValue => {
    const service = normalized.get(name)!;
    if (!service.extends) return service;
    if (resolving.includes(name)) fail(`${describeLocation(locationOf(doc.services, name))}: extends makes a cycle: ${[...resolving, name].join(' -> ')}; break it.`);
    resolving.push(name);
    const { file: from, service: baseName } = service.extends;
    let base: ComposeValue;
    if (from && path.resolve(from) !== file) {
      const other = readInterpolated(from, env, fail);
      if (!other.services?.[baseName]) {
        fail(`${describeLocation(locationOf(service, 'extends'))}: services.${name}.extends names service ${baseName}, which ${displayPath(from)} does not define.`);
      }
      base = resolveExtends(other, from, path.dirname(from), env, fail).services[baseName];
    } else {
      if (!normalized.has(baseName)) {
        fail(`${describeLocation(locationOf(service, 'extends'))}: services.${name}.extends names service ${baseName}, which this file does not define.`);
      }
      base = resolve(baseName);
    }
    resolving.pop();
    const { extends: _extends, ...own } = service;
    const { profiles: _profiles, ...inherited } = base;
    const result = mergeService(inherited, withLocations(own, service));
    normalized.set(name, result);
    return result;
  };
  for (const name of normalized.keys()) {
    services[name] = resolve(name);
    setLocation(services, name, locationOf(doc.services, name));
  }
  if (doc.services) out.services = services;
  for (const key of ['secrets', 'configs']) {
    if (!doc[key]) continue;
    out[key] = Object.fromEntries(Object.entries<ComposeValue>(doc[key]).map(([k, v]) => [k, normalizeFileResource(v, baseDir)]));
    Object.keys(doc[key]).forEach((k) => setLocation(out[key], k, locationOf(doc[key], k)));
  }
  return out;
}

function withLocations(copy: ComposeValue, from: ComposeValue): ComposeValue {
  Object.keys(copy).forEach((key) => setLocation(copy, key, locationOf(from, key)));
  return copy;
}

function mergeTopLevel(base: ComposeValue, override: ComposeValue): ComposeValue {
  const out: ComposeValue = { ...base, ...override };
  for (const key of ['name', 'include']) setLocation(out, key, locationOf(override, key) ?? locationOf(base, key));
  for (const key of TOP_LEVEL) {
    if (!override[key] && !base[key]) continue;
    const merged: ComposeValue = { ...(base[key] ?? {}) };
    Object.keys(base[key] ?? {}).forEach((k) => setLocation(merged, k, locationOf(base[key], k)));
    for (const [name, value] of Object.entries<ComposeValue>(override[key] ?? {})) {
      const v = value ?? {};
      merged[name] = key === 'services' ? (merged[name] ? mergeService(merged[name], v) : v) : mergeResource(merged[name], v);
      setLocation(merged, name, locationOf(override[key], name));
    }
    out[key] = merged;
  }
  return out;
}

/** Compose's rule: lower case letters, digits, `-` and `_`, starting with a letter or digit. */
function projectName(raw: string, where: SourceLocation | undefined, fail: Fail): string {
  const name = String(raw).toLowerCase().replace(/[^a-z0-9_-]/g, '');
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(name)) {
    // Described before asking whether there is a place: without positions there is none yet.
    const place = describeLocation(where);
    fail(`${where ? `${place}: ` : ''}project name "${raw}" has no letter or digit to start with; set \`projectName\` (or name: in the file).`);
  }
  return name;
}

function checkDependencies(name: string, service: ComposeValue, active: ComposeValue, all: ComposeValue, fail: Fail): void {
  for (const [dependency, options] of Object.entries<ComposeValue>(service.depends_on ?? {})) {
    if (active[dependency]) continue;
    if (options.required === false) {
      delete service.depends_on[dependency];
      continue;
    }
    const where = describeLocation(locationOf(service.depends_on, dependency) ?? locationOf(service, 'depends_on'));
    fail(
      all[dependency]
        ? `${where}: services.${name} depends on ${dependency}, which is not active (its profiles are ${all[dependency].profiles.join(', ')}); add one of them to \`profiles\`, or mark the dependency required: false.`
        : `${where}: services.${name} depends on ${dependency}, which the project does not define; define it, or remove the dependency.`,
    );
  }
}

interface Used {
  readonly networks: Set<string>;
  readonly volumes: Set<string>;
  readonly secrets: Set<string>;
  readonly configs: Set<string>;
}

function usedResources(services: ComposeValue): Used {
  const used: Used = { networks: new Set(), volumes: new Set(), secrets: new Set(), configs: new Set() };
  for (const service of Object.values<ComposeValue>(services)) {
    Object.keys(service.networks ?? {}).forEach((n) => used.networks.add(n));
    (service.volumes ?? []).filter((v: ComposeValue) => v.type === 'volume' && v.source).forEach((v: ComposeValue) => used.volumes.add(v.source));
    (service.secrets ?? []).forEach((s: ComposeValue) => used.secrets.add(s.source));
    (service.configs ?? []).forEach((c: ComposeValue) => used.configs.add(c.source));
  }
  return used;
}

/** The resources of one kind that active services use; a use of an undefined one fails, naming the service. */
function pick(
  kind: 'networks' | 'volumes' | 'secrets' | 'configs',
  merged: ComposeValue,
  used: Set<string>,
  services: Record<string, ComposeValue>,
  fail: Fail,
): Record<string, ComposeValue> {
  const defined: ComposeValue = merged[kind] ?? {};
  const out: Record<string, ComposeValue> = {};
  for (const name of used) {
    if (name in defined) {
      out[name] = defined[name] ?? {};
      setLocation(out, name, locationOf(defined, name));
    } else if (!(kind === 'networks' && name === 'default')) {
      const [service] = Object.entries(services).filter(([, s]) => usesResource(s, kind, name));
      const where = describeLocation(locationOf(service[1], kind));
      fail(`${where}: services.${service[0]}.${kind} names ${kind.slice(0, -1)} ${name}, which the top-level ${kind}: does not define; add it there.`);
    }
  }
  return out;
}

function usesResource(service: ComposeValue, kind: string, name: string): boolean {
  if (kind === 'networks') return Object.keys(service.networks ?? {}).includes(name);
  return (service[kind] ?? []).some((entry: ComposeValue) => entry.source === name);
}
