/**
 * Every shell command the docs show is run as written: by a test through `documented('<the command>')`, as part of
 * a named block a test runs whole (`namedBlock(file, name)`: the consumer tier's bootstrap), literally by .ci/ (the
 * user's path), or it is exempt below with the reason why nothing here can run it.
 */
import * as fs from 'fs';
import * as path from 'path';
import { documented, documentedCommands, withoutComment } from './commands';
import { ROOT } from './markdown';

/** Commands no test runs, and why. Keep this short: a command a user may paste belongs in a test. */
const EXEMPT: Record<string, string> = {
  'BENCH_ROUNDS=3 npm run bench': 'the benchmark runs by hand, never in tests or CI: it takes minutes and its figures need a quiet machine',
  'npm run bench:compose': 'the benchmark runs by hand, never in tests or CI: its figures need a quiet machine',
  'npm run bench:lab': 'the benchmark runs by hand on the lab, never in tests or CI: it takes minutes and its figures need a quiet machine',
  'npm run build && node_modules/.bin/tsc -p bench/tsconfig.json': 'builds the bench, which runs by hand',
  'flock /tmp/docker-engine.lock bench/trace-run.sh /tmp/trace/npm-deploy npm run deploy': 'a trace of the bench, run by hand',
  'node dist/bench/trace.js /tmp/trace/npm-deploy': 'reads a trace of the bench, run by hand',
  'DOCKER_HOST=ssh://deploy@manager-1 VOTING_APP_ORCHESTRATOR=swarm npm run deploy': 'needs a remote engine reached over ssh, which this machine has none of',
  'DOCKER_HOST=tcp://manager-1:2376 DOCKER_CERT_PATH=$HOME/.docker/manager-1 VOTING_APP_ORCHESTRATOR=swarm npm run deploy':
    'needs a remote engine behind TLS, which this machine has none of',
  'npm run test:e2e -- network-basics': 'one suite of npm run test:e2e, which .ci/run runs whole',
  'npm run test:e2e -- voting-app': 'one suite of npm run test:e2e, which .ci/run runs whole',
};

/** Every file of __tests__ (fixtures included), recursively, but the mechanism's own two. */
function testSources(dir = path.join(ROOT, '__tests__')): string[] {
  const own = [__filename, path.join(__dirname, 'commands.ts')];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return testSources(full);
    return entry.name.endsWith('.ts') && !own.includes(full) ? [full] : [];
  });
}

/** The string literals tests pass to `documented(...)`, and the `namedBlock(file, name)` blocks they run. */
function runByTests(): { commands: Set<string>; blocks: Set<string> } {
  const commands = new Set<string>();
  const blocks = new Set<string>();
  for (const file of testSources()) {
    const source = fs.readFileSync(file, 'utf8');
    for (const m of source.matchAll(/\bdocumented\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1\s*\)/g)) commands.add(m[2].replace(/\\(.)/g, '$1'));
    for (const m of source.matchAll(/\bnamedBlock\(\s*'([^']+)',\s*'([^']+)'\s*\)/g)) blocks.add(`${m[1]}#${m[2]}`);
  }
  return { commands, blocks };
}

/** The command lines of .ci/ (comments dropped): what CI runs literally. */
function ciText(): string {
  return fs
    .readdirSync(path.join(ROOT, '.ci'))
    .map((f) => fs.readFileSync(path.join(ROOT, '.ci', f), 'utf8'))
    .join('\n')
    .split('\n')
    .map(withoutComment)
    .join('\n');
}

describe('the commands the docs show', () => {
  const commands = documentedCommands();
  const { commands: run, blocks } = runByTests();
  const ci = ciText();

  test('are found: every page that explains running something shows it in a sh block', () => {
    expect(commands.map((c) => c.text)).toEqual(expect.arrayContaining(['npm ci && VOTING_APP_IMAGES=local npm run deploy', 'npm run review -- voting-app']));
  });

  test('each is run as written by a test or by CI, or exempt with a reason', () => {
    const notRun = commands
      .filter((c) => !run.has(c.text) && !(c.block && blocks.has(`${c.file}#${c.block}`)) && !ci.includes(c.text) && !(c.text in EXEMPT))
      .map((c) => `${c.file}:${c.line}: ${c.text}`);
    expect(notRun).toEqual([]);
  });

  test('the exemptions and the commands tests run are all still shown by a page', () => {
    const shown = new Set(commands.map((c) => c.text));
    expect([...Object.keys(EXEMPT), ...run].filter((text) => !shown.has(text))).toEqual([]);
  });

  test('documented() refuses a command no page shows, naming it', () => {
    expect(documented('npm ci && npm test')).toBe('npm ci && npm test');
    expect(() => documented('npm run deploy --force')).toThrow(
      'no page shows the command `npm run deploy --force` any more; run the command the docs show now (README.md, docs/*.md)',
    );
  });

  test('a comment after a command is not part of it; a # inside quotes or a word is', () => {
    expect(withoutComment('npm run state:unlock -- voting-app   # who holds the lock')).toBe('npm run state:unlock -- voting-app');
    expect(withoutComment(`echo "a # b" 'c # d' e#f # g`)).toBe(`echo "a # b" 'c # d' e#f`);
  });
});
