/** Host-side HTTP and port helpers for the deploy tier (everything on 127.0.0.1). */
import * as net from 'net';

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
  readonly headers: Headers;
}

/** Whatever `url` answers within 3 s, or undefined when nothing answers. */
export async function httpAnswer(url: string): Promise<HttpAnswer | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3_000) });
    return { status: response.status, body: await response.text(), headers: response.headers };
  } catch {
    return undefined;
  }
}

/** The body of a 2xx answer from `url`, or undefined when there is none within 3 s. */
export async function httpGet(url: string): Promise<string | undefined> {
  const answer = await httpAnswer(url);
  return answer && answer.status >= 200 && answer.status < 300 ? answer.body : undefined;
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolvePort(port));
    });
  });
}
