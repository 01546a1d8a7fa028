/**
 * ops/engine/daemon.sh: a server started by a project script (dockerd, PostgreSQL) takes nothing of its caller: no
 * open descriptor (the main job's lock on .voting-app.lock), no umask (the job once ran everything under 077, and
 * the images the engine built hid their /run/secrets from their users), no working directory.
 * A fake daemon stands in for dockerd, so no engine is needed.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const DAEMON_SH = path.join(ROOT, 'ops', 'engine', 'daemon.sh');

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'daemon-test-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Waits (bounded: 10 s) for `file` to exist and hold a complete report. */
function waitForReport(file: string): string {
  for (let i = 0; i < 100; i++) {
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes('end')) return fs.readFileSync(file, 'utf8');
    spawnSync('sleep', ['0.1']);
  }
  throw new Error(`the fake daemon wrote no report to ${file} within 10 s`);
}

test('a daemon started under a held lock and umask 077 holds no descriptor above 2, has umask 022 and runs in /', () => {
  const report = path.join(dir, 'report');
  const lock = path.join(dir, '.voting-app.lock');
  const fake = path.join(dir, 'fake-daemon');
  // The fake daemon reports what it inherited (ls runs with bash's descriptors as they are: a redirection of a
  // command happens in the command's process), then stays up for a while like a server.
  fs.writeFileSync(
    fake,
    ['#!/bin/bash', `ls -l /proc/$$/fd >"${report}.fds"`, `{ echo "umask $(umask)"; echo "cwd $PWD"; echo end; } >"${report}"`, 'sleep 5'].join('\n'),
    { mode: 0o755 },
  );
  const caller = [
    'set -euo pipefail',
    'umask 077',
    `cd "${dir}"`,
    `exec 8>"${lock}"`,
    'flock -n 8',
    `source "${DAEMON_SH}"`,
    `start_daemon "${path.join(dir, 'daemon.log')}" "${fake}"`,
  ].join('\n');
  const started = spawnSync('bash', ['-c', caller], { encoding: 'utf8', timeout: 10_000 });
  expect(started.stderr).toBe('');
  expect(started.status).toBe(0);

  const lines = waitForReport(report).split('\n');
  expect(lines[0]).toBe('umask 0022');
  expect(lines[1]).toBe('cwd /');
  // Descriptor -> what it points at; 255 is bash's own copy of the fake's script.
  const fds = Object.fromEntries(
    [...fs.readFileSync(`${report}.fds`, 'utf8').matchAll(/ (\d+) -> (.+)$/gm)].map((m) => [m[1], m[2]]),
  );
  expect(Object.keys(fds).sort()).toEqual(['0', '1', '2', '255']);
  expect(fds['0']).toBe('/dev/null');
  expect(fds['1']).toBe(path.join(dir, 'daemon.log'));
  expect(fds['255']).toBe(fake);
  // The caller is gone and the daemon runs: the lock is free.
  expect(spawnSync('flock', ['-n', lock, 'true']).status).toBe(0);
});

test('the scripts start their servers through start_daemon, and background nothing themselves but jobs they wait for', () => {
  const script = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
  expect(script('ops/engine/start-docker.sh')).toContain('start_daemon "$LOG_FILE" dockerd "${extra_args[@]}"');
  expect(script('ops/state/start-postgres.sh')).toContain('start_daemon "$LOG/pg_ctl.log" "$BIN/pg_ctl" start');
  expect(script('ops/state/start-postgres.sh')).toContain('start_daemon "$LOG/pg_ctl.log" runuser -u "$OWNER" -- "$BIN/pg_ctl" start');
  const shellScripts = fs
    .readdirSync(path.join(ROOT, 'ops'), { recursive: true, encoding: 'utf8' })
    .map((f) => path.join('ops', f))
    .filter((f) => f.endsWith('.sh') && f !== 'ops/engine/daemon.sh');
  expect(shellScripts).toEqual(expect.arrayContaining(['ops/engine/start-docker.sh', 'ops/state/start-postgres.sh', 'ops/main-job/voting-app.sh']));
  // A job the script waits for (its pid kept in `pids`, each waited on) ends before the script does.
  const waitedFor = (lines: string[], i: number) => /^\s*pids\+=\(\$!\)$/.test(lines[i + 1] ?? '') && lines.some((l) => /wait "\$pid"/.test(l));
  const background = shellScripts.flatMap((f) => {
    const lines = script(f).split('\n');
    return lines.filter((line, i) => /[^&]&\s*$/.test(line) && !waitedFor(lines, i)).map((line) => `${f}: ${line}`);
  });
  expect(background).toEqual([]);
});
