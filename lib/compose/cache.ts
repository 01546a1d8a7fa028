import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * A cache on disk for what reading a compose file costs most, the same at every synth while the file does not
 * change: its parse (the YAML library, about 0.3 s for 3000 lines), the schema's verdict on it, and the schema's
 * compiled validator (compiling the compose-spec schema takes about 0.4 s; ajv's standalone code of it loads in a
 * few ms). Entries are named by a hash of what they are made of, so a changed file, schema
 * or library format never meets an old entry. `CDKTF_DOCKER_NETWORKING_CACHE` names the folder, or turns the cache
 * off with `off`; by default a folder of the user's under the system's temporary folder. A cache that cannot be read
 * or written is skipped.
 */
const FORMAT = 'compose-cache-1';

function cacheDir(): string | undefined {
  const setting = process.env.CDKTF_DOCKER_NETWORKING_CACHE;
  if (setting === 'off') return undefined;
  return setting ?? path.join(os.tmpdir(), `cdktf-docker-networking-${process.getuid?.() ?? 'user'}`, 'compose');
}

export function cacheKey(...parts: string[]): string {
  const hash = createHash('sha256').update(FORMAT);
  for (const part of parts) hash.update('\0').update(part);
  return hash.digest('hex').slice(0, 40);
}

export function readCache<T>(kind: string, key: string): T | undefined {
  const dir = cacheDir();
  if (!dir) return undefined;
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, `${kind}-${key}.json`), 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export function writeCache(kind: string, key: string, data: unknown): void {
  const dir = cacheDir();
  if (!dir) return;
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Written aside, then renamed: a synth running beside this one reads a whole entry or none.
    const file = path.join(dir, `${kind}-${key}.json`);
    const temporary = `${file}.${process.pid}`;
    fs.writeFileSync(temporary, JSON.stringify(data), { mode: 0o600 });
    fs.renameSync(temporary, file);
  } catch {
    // A cache is an optimisation: without one, the next synth reads the file again.
  }
}

/** Loads a module the cache holds (JavaScript written by `writeCachedModule`), or undefined. */
export function requireCached<T>(kind: string, key: string): T | undefined {
  const dir = cacheDir();
  const file = dir && path.join(dir, `${kind}-${key}.js`);
  if (!file || !fs.existsSync(file)) return undefined;
  try {
    return require(file) as T;
  } catch {
    return undefined;
  }
}

export function writeCachedModule(kind: string, key: string, code: string): void {
  const dir = cacheDir();
  if (!dir) return;
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, `${kind}-${key}.js`);
    fs.writeFileSync(`${file}.${process.pid}`, code, { mode: 0o600 });
    fs.renameSync(`${file}.${process.pid}`, file);
  } catch {
    // Without it, the next synth compiles the schema again.
  }
}
