/**
 * A fake `docker` for the operator's scripts (no engine): a bash script first on PATH that answers each call from a
 * table of `pattern -> output` (the first whose extended regex matches `$DOCKER_HOST docker <args>` wins; a pattern
 * that starts with `!` fails with its text on stderr) and logs every call, as `$DOCKER_HOST docker <args>`.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface FakeDocker {
  /** The folder to put first on PATH. */
  readonly bin: string;
  /** Every call so far, one a line: `<DOCKER_HOST> docker <args>`. */
  calls(): string[];
}

export function fakeDocker(dir: string, answers: [pattern: string, output: string][]): FakeDocker {
  const bin = path.join(dir, 'bin');
  const log = path.join(dir, 'docker-calls');
  fs.mkdirSync(bin, { recursive: true });
  const cases = answers
    .map(([pattern, output]) => {
      const fails = output.startsWith('!');
      const text = fails ? output.slice(1) : output;
      return `re=${shellQuote(pattern)}; if [[ "$call" =~ $re ]]; then printf '%s\\n' ${shellQuote(text)} ${fails ? '>&2; exit 1' : '; exit 0'}; fi`;
    })
    .join('\n');
  fs.writeFileSync(
    path.join(bin, 'docker'),
    [
      '#!/usr/bin/env bash',
      'call="${DOCKER_HOST:-local} docker $*"',
      `echo "$call" >>${shellQuote(log)}`,
      // `docker save` writes a tar on stdout, `docker load` reads it: the fake only passes the bytes on.
      'if [ "$1" = load ]; then cat >/dev/null; fi',
      cases,
      'echo "fake docker: no answer for: $call" >&2; exit 99',
    ].join('\n'),
    { mode: 0o755 },
  );
  return { bin, calls: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean) : []) };
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
