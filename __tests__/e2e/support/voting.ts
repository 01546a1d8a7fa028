/** Casting votes and reading the tally of a deployed voting app, over HTTP on 127.0.0.1. */
import { httpAnswer } from './http';

export interface Tally {
  a: number;
  b: number;
  total: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` every `everyMs` until it returns a value other than undefined, or `timeoutMs` passes. */
export async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, everyMs = 250): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) return undefined;
    await sleep(everyMs);
  }
}

/** POSTs the ballot form to `voteUrl` as the voter with cookie `voter_id=<voter>` (none: a new voter). */
export function castVote(voteUrl: string, vote: 'a' | 'b', voter?: string): Promise<Response> {
  return fetch(`${voteUrl}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(voter ? { cookie: `voter_id=${voter}` } : {}) },
    body: new URLSearchParams({ vote }).toString(),
    redirect: 'manual',
    signal: AbortSignal.timeout(5_000),
  });
}

/**
 * Casts the voter's vote until vote takes it (an answer below 400), for up to `timeoutMs`: right after a deploy the
 * engine's proxy may accept a connection before the app listens, and close it. A voter who votes again replaces
 * their vote, so a retry never counts twice. Returns the status vote took it with; throws with the last refusal.
 */
export async function castVoteWhenReady(voteUrl: string, vote: 'a' | 'b', voter: string, timeoutMs = 60_000): Promise<number> {
  let refused = 'no answer';
  const taken = await waitFor(
    async () => {
      try {
        const response = await castVote(voteUrl, vote, voter);
        refused = `HTTP ${response.status}`;
        return response.status < 400 ? response.status : undefined;
      } catch (error) {
        refused = `${error}${(error as { cause?: unknown }).cause ? ` (${(error as { cause?: unknown }).cause})` : ''}`;
        return undefined;
      }
    },
    timeoutMs,
    1_000,
  );
  if (taken === undefined) throw new Error(`vote at ${voteUrl} did not take a vote within ${timeoutMs / 1000} s: ${refused}`);
  return taken;
}

/** The tally `resultUrl` shows now, or undefined when it does not answer 200. */
export async function tally(resultUrl: string): Promise<Tally | undefined> {
  const response = await httpAnswer(`${resultUrl}/results.json`);
  if (!response || response.status !== 200) return undefined;
  return JSON.parse(response.body) as Tally;
}

/** Waits (bounded) until `resultUrl` shows `want`; returns the last tally seen and how long it took. */
export async function waitForTally(resultUrl: string, want: Tally, timeoutMs = 15_000): Promise<{ last?: Tally; ms: number }> {
  const started = Date.now();
  let last: Tally | undefined;
  await waitFor(async () => {
    last = await tally(resultUrl);
    return last && last.a === want.a && last.b === want.b && last.total === want.total ? true : undefined;
  }, timeoutMs);
  return { last, ms: Date.now() - started };
}
