import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * A cache on disk for what reading a compose file costs most, the same at every synth while the file does not
 * change: its parse (the YAML library, about 0.3 s for 3000 lines). Entries are named by a hash of what they are
 * made of, so a changed file or library format never meets an old entry. `CDKTF_DOCKER_NETWORKING_CACHE` names the folder, or turns the cache
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
