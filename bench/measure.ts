/**
 * Runs one command under GNU time (`/usr/bin/time -v`, for the largest RSS of any process in its tree) and samples
 * the whole tree's RSS from /proc every 100 ms (for the peak of the sum), bounded in time; kills the tree on
 * timeout.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface Measured {
  readonly code: number | null;
  readonly output: string;
  readonly ms: number;
  readonly timedOut: boolean;
  /** "Maximum resident set size" from GNU time: the largest single process of the tree, in KiB. */
  readonly maxRssKib?: number;
  /** Peak of the summed RSS of the tree (GNU time excluded), sampled every 100 ms, in KiB. */
  readonly peakTreeRssKib: number;
}

/** statm counts pages. */
const PAGE_KIB = Number(spawnSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }).stdout.trim() || 4096) / 1024;

/** RSS in KiB of `root` and all its descendants, read from /proc. */
function treeRssKib(root: number): number {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid ...; comm may hold spaces and parentheses
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // the process ended meanwhile
    }
  }
  let total = 0;
  const stack = [...(children.get(root) ?? [])]; // the tree below GNU time, not time itself
  while (stack.length > 0) {
    const pid = stack.pop()!;
    try {
      total += Number(fs.readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_KIB;
    } catch {
      // ended
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

export function measure(file: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<Measured> {
  const timeFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-time-')), 'time.txt');
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/time', ['-v', '-o', timeFile, file, ...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    let peak = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, treeRssKib(child.pid!));
    }, 100);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    }, options.timeoutMs);
    const finish = (code: number | null) => {
      const ms = Date.now() - started;
      clearInterval(sampler);
      clearTimeout(timer);
      let maxRssKib: number | undefined;
      try {
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(fs.readFileSync(timeFile, 'utf8'));
        if (m) maxRssKib = Number(m[1]);
        fs.rmSync(path.dirname(timeFile), { recursive: true, force: true });
      } catch {
        // time did not write it (killed)
      }
      resolve({ code, output, ms, timedOut, maxRssKib, peakTreeRssKib: peak });
    };
    child.on('error', (err) => {
      output += String(err);
      finish(null);
    });
    child.on('close', finish);
  });
}
