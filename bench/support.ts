/** What the voting-app benches share: commands run bounded, the app's pages polled, one vote proven counted. */
import { randomBytes } from 'crypto';
import { spawnSync } from 'child_process';
import { Measured } from './measure';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const log = (message: string) => process.stderr.write(`bench: ${message}\n`);
/** Milliseconds as seconds with one decimal. */
export const seconds = (ms: number) => (ms / 1000).toFixed(1);

export function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A command run to its end, bounded; its stdout and stderr together. */
export function sh(file: string, args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): { code: number | null; out: string } {
  const r = spawnSync(file, args, { encoding: 'utf8', timeout: options.timeoutMs ?? 120_000, env: options.env ?? process.env });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** A measured command that must have succeeded: otherwise its last 30 lines in the error. */
export function checked(what: string, m: Measured): Measured {
  if (m.code !== 0) {
    const why = m.timedOut ? 'timed out' : `exited with ${m.code}`;
    throw new Error(`${what} ${why}:\n${m.output.trimEnd().split('\n').slice(-30).join('\n')}`);
  }
  return m;
}

/** The page's body where it answers 2xx within a second, else undefined. */
export async function answers(url: string): Promise<string | undefined> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(1_000) });
    return r.ok ? await r.text() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Waits (bounded) for result to answer, casts one vote as a new voter on vote and waits until result's total grows:
 * proof that the app works end to end, not only that its ports answer. A POST that fails or times out is tried
 * again until `timeoutMs` (vote answers before redis is reachable: `docker stack deploy` does not wait for health).
 */
export async function castOneVote(voteUrl: string, resultUrl: string, timeoutMs: number): Promise<void> {
  const total = async () => {
    const body = await answers(resultUrl);
    return body === undefined ? undefined : (JSON.parse(body) as { total: number }).total;
  };
  let before: number | undefined;
  for (const deadline = Date.now() + timeoutMs; before === undefined && Date.now() < deadline; ) {
    before = await total();
    if (before === undefined) await sleep(100);
  }
  if (before === undefined) throw new Error(`result never answered on ${resultUrl} within ${timeoutMs / 1000} s`);
  let refused = 'no answer';
  const castBy = Date.now() + timeoutMs;
  for (let cast = false; !cast; ) {
    try {
      const response = await fetch(voteUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `voter_id=bench-${randomBytes(4).toString('hex')}` },
        body: 'vote=a',
        signal: AbortSignal.timeout(5_000),
      });
      cast = response.status < 400;
      refused = `HTTP ${response.status}`;
    } catch (error) {
      refused = String(error);
    }
    if (!cast && Date.now() > castBy) throw new Error(`POST ${voteUrl} was not taken within ${timeoutMs / 1000} s: ${refused}`);
    if (!cast) await sleep(500);
  }
  // A POST that timed out may have been counted too: the total must have grown, by one or more.
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(100)) {
    if (((await total()) ?? before) > before) return;
  }
  throw new Error(`a vote cast on ${voteUrl} did not show up on ${resultUrl} within ${timeoutMs / 1000} s`);
}
