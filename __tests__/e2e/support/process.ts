import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';

/** What a finished command left behind. `output` is stdout and stderr interleaved, without terminal escapes. */
export interface RunResult {
  readonly command: string;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly output: string;
  readonly timedOut: boolean;
  readonly ms: number;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Kill the command (and everything it started) after this long. */
  readonly timeoutMs: number;
  readonly input?: string;
  /** Called with the process group id once the command started (to signal it, e.g. `process.kill(-pgid, 'SIGINT')`). */
  readonly onStart?: (pgid: number) => void;
}

// CSI sequences (colours, cursor moves, line erases) and the bare carriage returns of cdktf's spinner.
const ESCAPES = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b[()][0-9A-Za-z]|\r/g;

export function stripEscapes(text: string): string {
  return text.replace(ESCAPES, '');
}

/**
 * Runs a command in its own process group and kills the whole group when `timeoutMs` passes, so a hung
 * `terraform` started by `cdktf` does not outlive the test.
 */
export function run(file: string, args: string[], options: RunOptions): Promise<RunResult> {
  const command = [file, ...args].join(' ');
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    if (child.pid !== undefined) options.onStart?.(child.pid);
    let stdout = '';
    let stderr = '';
    let output = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      output += chunk.toString();
    });
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, options.timeoutMs);
    const finish = (code: number | null) => {
      clearTimeout(timer);
      resolve({
        command,
        code,
        stdout: stripEscapes(stdout),
        stderr: stripEscapes(stderr),
        output: stripEscapes(output),
        timedOut,
        ms: Date.now() - started,
      });
    };
    child.on('error', (err) => {
      output += String(err);
      finish(null);
    });
    child.on('close', (code) => finish(code));
    child.stdin.end(options.input ?? '');
  });
}

/** A short synchronous probe (version checks at module load): trimmed stdout, or undefined when it failed. */
export function probe(file: string, args: string[], timeoutMs = 15_000): string | undefined {
  const result = spawnSync(file, args, { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error || result.status !== 0) return undefined;
  return result.stdout.trim();
}

/** Throws with the command's output when it did not exit 0. */
export function assertSucceeded(result: RunResult): RunResult {
  if (result.code !== 0) {
    const why = result.timedOut ? `timed out after ${result.ms} ms` : `exited with ${result.code}`;
    throw new Error(`${result.command} ${why}:\n${tail(result.output, 60)}`);
  }
  return result;
}

export function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** The terraform process working in `dir` (the stack folder of one run), found through /proc: nobody else's. */
export function terraformIn(dir: string): number | undefined {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'terraform' && fs.readlinkSync(`/proc/${entry}/cwd`) === dir) return Number(entry);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return undefined;
}
