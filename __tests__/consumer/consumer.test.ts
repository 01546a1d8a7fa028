/**
 * Consumer tier: the library as a user gets it. `npm pack`s it, installs it into fresh cdktf projects in a temp
 * folder (from the tarball, from a git clone, into a project on an older cdktf), type-checks the consumer's own app
 * (fixture/main.ts) with `skipLibCheck: false`, synthesizes it with `node`, and checks that the policy pack runs in
 * the consumer's stack: a container made privileged through the escape hatch fails the synth naming DKR1.
 * It also walks the README's install path as a user would: the README's bootstrap commands as written (`cdktf init`,
 * the TypeScript pin, the library from the packed tarball in place of its registry name), the README's first stack
 * as main.ts, the README's synth command, which must pass the policy pack and print what the README shows, and the
 * template's own `npm test`.
 * Needs the npm registry or a warm npm cache (installs use --prefer-offline). Run: `npm run test:consumer`.
 */
import { SpawnSyncReturns, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { namedBlock, readMarkdown } from '../docs/markdown';
import { CDKTN_VERSION, Node22, TERRAIN_DEPENDENCIES, TERRAIN_OVERRIDES, installNode22, withPath } from './terrain';

const root = path.resolve(__dirname, '..', '..');
const fixture = path.join(__dirname, 'fixture');
const LIBRARY = 'cdktf-docker-networking';

/** What a fresh `cdktf init` project on cdktf 0.21 depends on, with the library's peers at the versions it supports. */
const CURRENT = { cdktf: '0.21.0', constructs: '^10.4.2', '@cdktf/provider-docker': '12.0.3' };

let work: string;
let tarball: string;

/** Switches a user's shell does not have: cdktf's that lets error annotations pass, the pack's that lists info findings. */
const USER_UNSET = ['CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS', 'DOCKER_POLICY_LIST_INFO'];

/**
 * The environment of a user's shell: without the npm_* variables of the `npm run` that started jest (they would
 * pass this repo's npm settings on to the consumer's npm) and without the switches of USER_UNSET.
 */
function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key) && !USER_UNSET.includes(key)) env[key] = value;
  }
  return { ...env, CHECKPOINT_DISABLE: '1', ...extra };
}

function run(command: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, env: userEnv(extraEnv), encoding: 'utf8', timeout: 300_000 });
  if (result.error) throw result.error;
  return result;
}

/** Fails with the command's output, so a broken install or compile says why. */
function expectSuccess(result: SpawnSyncReturns<string>, what: string): void {
  if (result.status !== 0) {
    throw new Error(`${what} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  }
}

interface ProjectOptions {
  /** package.json `overrides`. @default none */
  readonly overrides?: Record<string, string>;
  /** The framework module the consumer app imports (`cdktn` on CDK Terrain). @default 'cdktf' */
  readonly framework?: string;
}

/** A fresh project with the consumer app, its dependencies written as a user would, then `npm install`. */
function createProject(
  name: string,
  dependencies: Record<string, string>,
  options: ProjectOptions = {},
): { dir: string; install: SpawnSyncReturns<string> } {
  const dir = path.join(work, name);
  fs.mkdirSync(dir);
  for (const file of fs.readdirSync(fixture)) fs.copyFileSync(path.join(fixture, file), path.join(dir, file));
  if (options.framework) {
    const main = path.join(dir, 'main.ts');
    fs.writeFileSync(main, fs.readFileSync(main, 'utf8').replace("from 'cdktf';", `from '${options.framework}';`));
  }
  const pkg = {
    name: `consumer-${name}`,
    version: '1.0.0',
    private: true,
    dependencies,
    devDependencies: { typescript: '~5.9.3', '@types/node': '^20.19.43' },
    ...(options.overrides ? { overrides: options.overrides } : {}),
  };
  fs.writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  const install = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], dir);
  return { dir, install };
}

/** The consumer's type check (`skipLibCheck: false`, so the library's .d.ts are checked against its cdktf). */
function typeCheck(dir: string): SpawnSyncReturns<string> {
  return run(process.execPath, [path.join(dir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], dir);
}

function synth(dir: string, privileged: boolean): SpawnSyncReturns<string> {
  return run(process.execPath, [path.join(dir, 'dist', 'main.js')], dir, { CONSUMER_PRIVILEGED: privileged ? '1' : '0' });
}

/**
 * The installed library loads the consumer's cdktf and constructs, not copies of its own. On CDK Terrain, the project's
 * `cdktn` and the library's `cdktf` are one copy.
 */
function expectOneCopy(dir: string): void {
  const installed = fs.realpathSync(path.join(dir, 'node_modules', LIBRARY));
  const consumers = (pkg: string) => fs.realpathSync(path.join(dir, 'node_modules', pkg, 'package.json'));
  for (const peer of ['cdktf', 'constructs', '@cdktf/provider-docker']) {
    const fromLibrary = require.resolve(`${peer}/package.json`, { paths: [installed] });
    expect(fromLibrary).toBe(consumers(peer));
  }
  if (fs.existsSync(path.join(dir, 'node_modules', 'cdktn'))) expect(consumers('cdktf')).toBe(consumers('cdktn'));
}

/**
 * A clean synth passes the policy pack; the escape hatch's privileged container fails it, naming DKR1. Returns the
 * clean synth's cdk.tf.json.
 */
function expectPolicyRuns(dir: string): Record<string, any> {
  const typed = typeCheck(dir);
  expectSuccess(typed, 'tsc (skipLibCheck: false) of the consumer app');

  expectSuccess(synth(dir, false), 'synth of the consumer app');
  const out = path.join(dir, 'cdktf.out', 'stacks', 'shop');
  const config = JSON.parse(fs.readFileSync(path.join(out, 'cdk.tf.json'), 'utf8'));
  const containerNames = Object.values<{ name: string }>(config.resource.docker_container).map((c) => c.name).sort();
  expect(containerNames).toEqual(['shop-api', 'shop-db', 'shop-redis', 'shop-result', 'shop-vote', 'shop-worker']);
  expect(Object.values<{ name: string }>(config.resource.docker_network).map((n) => n.name)).toContain('shop-network');
  expect(Object.values<{ name: string }>(config.data.docker_network).map((n) => n.name)).toEqual(['platform-shared']);
  const report = JSON.parse(fs.readFileSync(path.join(out, 'policy-report.json'), 'utf8'));
  expect(report.findings.filter((f: { status: string }) => f.status === 'failed')).toEqual([]);

  const failed = synth(dir, true);
  expect(failed.status).not.toBe(0);
  expect(failed.stderr).toContain('Encountered Annotations with level "ERROR"');
  expect(failed.stderr).toMatch(/\[DKR1\] privileged \(error\) on container "shop-api"/);
  return config;
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-docker-networking-consumer-'));
  // `npm pack` runs the package's `prepare`, so dist/lib is built from the current lib/.
  const pack = run('npm', ['pack', '--pack-destination', work, '--no-fund'], root);
  expectSuccess(pack, 'npm pack');
  tarball = path.join(work, pack.stdout.trim().split('\n').pop()!);
  expect(fs.existsSync(tarball)).toBe(true);
}, 300_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('a consumer project on cdktf 0.21', () => {
  test('installs the packed tarball: types, README and LICENSE ship, one copy of the peers, the policy pack runs', () => {
    const { dir, install } = createProject('tarball', { ...CURRENT, [LIBRARY]: `file:${tarball}` });
    expectSuccess(install, 'npm install of the tarball');
    const installed = path.join(dir, 'node_modules', LIBRARY);
    for (const file of ['dist/lib/index.js', 'dist/lib/index.d.ts', 'README.md', 'LICENSE']) {
      expect(fs.existsSync(path.join(installed, file))).toBe(true);
    }
    expect(fs.existsSync(path.join(installed, 'lib'))).toBe(false);
    expectOneCopy(dir);
    expectPolicyRuns(dir);
  }, 600_000);

  test('installs from git (a clone at HEAD): npm builds dist/lib with the prepare script, the policy pack runs', () => {
    // Committed work only: a clone of this checkout at its HEAD commit.
    const clone = path.join(work, 'clone');
    expectSuccess(run('git', ['clone', '--quiet', root, clone], work), 'git clone');
    const head = run('git', ['rev-parse', 'HEAD'], root);
    expectSuccess(head, 'git rev-parse HEAD');
    expectSuccess(run('git', ['checkout', '--quiet', head.stdout.trim()], clone), 'git checkout');

    const { dir, install } = createProject('git', { ...CURRENT, [LIBRARY]: `git+file://${clone}#${head.stdout.trim()}` });
    expectSuccess(install, 'npm install from git');
    expect(fs.existsSync(path.join(dir, 'node_modules', LIBRARY, 'dist', 'lib', 'index.d.ts'))).toBe(true);
    expectOneCopy(dir);
    expectPolicyRuns(dir);
  }, 600_000);
});

describe("the README's install path", () => {
  test('a fresh cdktf init project, set up as the README says, synthesizes the first stack under the policy pack', () => {
    // The README's commands exactly as written, but for the library's registry name: the tarball stands in for it.
    const commands = namedBlock('README.md', 'bootstrap').code.split('\n');
    const libraryLine = commands.findIndex((c) => /^npm install .*\scdktf-docker-networking$/.test(c));
    expect(libraryLine).toBeGreaterThan(0);
    commands[libraryLine] = commands[libraryLine].replace(/cdktf-docker-networking$/, tarball);
    const project = /^mkdir (\S+) && cd \1$/.exec(commands[0])?.[1];
    expect(project).toBeDefined();

    const home = path.join(work, 'readme');
    fs.mkdirSync(home);
    expectSuccess(run('bash', ['-euo', 'pipefail', '-c', commands.join('\n')], home), "the README's install commands");
    const dir = path.join(home, project!);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(pkg.devDependencies.typescript).toBe('~5.9.3');
    expect(pkg.dependencies[LIBRARY]).toMatch(/^file:.*\.tgz$/);
    expectOneCopy(dir);

    fs.writeFileSync(path.join(dir, 'main.ts'), `${namedBlock('README.md', 'first-stack').code}\n`);
    const synthCommand = namedBlock('README.md', 'first-synth').code.trim();
    const synthed = run('bash', ['-euo', 'pipefail', '-c', synthCommand], dir);
    expectSuccess(synthed, `${synthCommand} of the README's first stack`);
    const stacks = fs.readdirSync(path.join(dir, 'cdktf.out', 'stacks'));
    expect(stacks).toHaveLength(1);
    const out = path.join(dir, 'cdktf.out', 'stacks', stacks[0]);
    for (const file of ['cdk.tf.json', 'policy-report.md', 'reachability.md']) expect(fs.existsSync(path.join(out, file))).toBe(true);
    const report = JSON.parse(fs.readFileSync(path.join(out, 'policy-report.json'), 'utf8'));
    expect(report.rules.map((r: { id: string }) => r.id)).toEqual(Array.from({ length: 16 }, (_, i) => `DKR${i + 1}`));
    expect(report.findings.filter((f: { status: string }) => f.status === 'failed')).toEqual([]);
    // What the README says the synth prints: one line for the two info findings, which do not fail it.
    const printed = `${synthed.stdout}${synthed.stderr}`;
    for (const line of namedBlock('README.md', 'first-synth-output').code.split('\n')) expect(printed).toContain(line);
    expect(printed).not.toContain('[DKR7]'); // summed up in the POL2 line, not printed one by one

    // The pin is what makes the template's ts-jest work.
    expectSuccess(run('npm', ['test'], dir), "the cdktf template's npm test");
  }, 600_000);
});

describe('a consumer project on an older cdktf', () => {
  test('cdktf 0.20 with provider-docker 11: npm refuses the install (ERESOLVE), nothing is installed', () => {
    const { dir, install } = createProject('cdktf-0.20', {
      cdktf: '0.20.12',
      constructs: '^10.3.0',
      '@cdktf/provider-docker': '11.6.0',
      [LIBRARY]: `file:${tarball}`,
    });
    expect(install.status).not.toBe(0);
    expect(install.stderr).toContain('ERESOLVE');
    expect(install.stderr).toMatch(/peer @cdktf\/provider-docker@"\^12\.0\.3" from cdktf-docker-networking/);
    expect(fs.existsSync(path.join(dir, 'node_modules', LIBRARY))).toBe(false);
  }, 300_000);

  test('cdktf 0.20 without the provider bindings: npm refuses the install on cdktf 0.21 (ERESOLVE)', () => {
    const { install } = createProject('cdktf-0.20-only', { cdktf: '0.20.12', constructs: '^10.3.0', [LIBRARY]: `file:${tarball}` });
    expect(install.status).not.toBe(0);
    expect(install.stderr).toContain('ERESOLVE');
    // npm names the first peer it cannot place: cdktf ^0.21.0, which the library's provider-docker peer needs.
    expect(install.stderr).toContain('Found: cdktf@0.20.12');
    expect(install.stderr).toMatch(/peer cdktf@"\^0\.21\.0"/);
    expect(install.stderr).toContain('from cdktf-docker-networking@');
  }, 300_000);
});

describe('a consumer with a symlinked checkout (its own copies of cdktf and constructs)', () => {
  // Issue 9, item 3: the library must fail the synth naming both copies instead of silently not running the pack.
  // The library detects it: the synth fails and names both copies and how to dedupe (issue 9 item 3).
  test('from a symlinked checkout that loads its own cdktf, the synth fails and names both copies', () => {
    const { dir, install } = createProject('symlink', CURRENT);
    expectSuccess(install, 'npm install');
    // What `npm install <folder>` does without --install-links: a link to a checkout with its own node_modules.
    fs.symlinkSync(root, path.join(dir, 'node_modules', LIBRARY));
    typeCheck(dir); // fails with TS2345 (two declarations of Construct) but still emits dist/main.js
    const failed = synth(dir, true);
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toContain(fs.realpathSync(path.join(root, 'node_modules', 'cdktf')));
    expect(failed.stderr).toContain(fs.realpathSync(path.join(dir, 'node_modules', 'cdktf')));
    expect(failed.stderr).toContain('Keep one copy: `npm ls');
  }, 300_000);
});

describe('a consumer project on CDK Terrain (cdktn 0.24)', () => {
  let node22: Node22;

  beforeAll(() => {
    node22 = installNode22(path.join(work, 'node22'), userEnv());
    if (!node22.bin) throw new Error(`Node 22, which cdktn-cli 0.24 needs, could not be installed: ${node22.error}`);
  }, 300_000);

  test("docs/cdktn.md's install on Node 22: cdktn init, the library, the README's first stack; cdktn synth runs the pack", () => {
    const commands = namedBlock('docs/cdktn.md', 'cdktn-bootstrap').code.split('\n');
    // The README's Versions table gives the same install lines, past init.
    for (const line of commands.slice(2)) expect(readMarkdown('README.md')).toContain(`\`${line}\``);
    const libraryLine = commands.findIndex((c) => /^npm install .*\scdktf-docker-networking$/.test(c));
    expect(libraryLine).toBeGreaterThan(0);
    commands[libraryLine] = commands[libraryLine].replace(/cdktf-docker-networking$/, tarball);
    const project = /^mkdir (\S+) && cd \1$/.exec(commands[0])?.[1];
    expect(project).toBeDefined();

    const home = path.join(work, 'cdktn-docs');
    fs.mkdirSync(home);
    const onNode22 = withPath(process.env, node22.bin!).PATH!;
    expectSuccess(run('bash', ['-euo', 'pipefail', '-c', commands.join('\n')], home, { PATH: onNode22 }), 'the cdktn install commands');
    const dir = path.join(home, project!);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    // What the lines leave is what the other tests here and the deploy tier's cdktn suite install.
    expect(pkg.dependencies.cdktn).toBe(`^${CDKTN_VERSION}`);
    expect(pkg.dependencies.cdktf).toBe(TERRAIN_DEPENDENCIES.cdktf);
    expect(pkg.dependencies.constructs).toBe(TERRAIN_DEPENDENCIES.constructs);
    expect(pkg.overrides).toEqual(TERRAIN_OVERRIDES);
    expectOneCopy(dir);

    // The README's first stack as it is (it imports cdktf, which is cdktn here), under cdktn's CLI.
    fs.writeFileSync(path.join(dir, 'main.ts'), `${namedBlock('README.md', 'first-stack').code}\n`);
    const synthCommand = namedBlock('docs/cdktn.md', 'cdktn-synth').code.trim();
    const synthed = run('bash', ['-euo', 'pipefail', '-c', synthCommand], dir, { PATH: onNode22 });
    expectSuccess(synthed, `${synthCommand} of the README's first stack on Node 22`);
    const out = path.join(dir, 'cdktf.out', 'stacks', 'hello');
    for (const file of ['cdk.tf.json', 'policy-report.md', 'reachability.md']) expect(fs.existsSync(path.join(out, file))).toBe(true);
    const printed = `${synthed.stdout}${synthed.stderr}`;
    for (const line of namedBlock('README.md', 'first-synth-output').code.split('\n')) expect(printed).toContain(line);
    expect(printed).toContain('Generated Terraform code for the stacks: hello');

    // What docs/cdktn.md says of Node 20 (this machine's): cdktn-cli 0.24 crashes there.
    if (Number(process.versions.node.split('.')[0]) < 22) {
      const onNode20 = run('bash', ['-euo', 'pipefail', '-c', synthCommand], dir);
      expect(onNode20.status).not.toBe(0);
      expect(`${onNode20.stdout}${onNode20.stderr}`).toContain('markAsUncloneable is not a function');
    }

    expectSuccess(run('npm', ['test'], dir, { PATH: onNode22 }), "the cdktn template's npm test");
  }, 600_000);

  test('the consumer app importing cdktn: one copy under both names, the pack runs, the same cdk.tf.json as on cdktf 0.21', () => {
    const { dir, install } = createProject('cdktn', { ...TERRAIN_DEPENDENCIES, [LIBRARY]: `file:${tarball}` }, {
      overrides: TERRAIN_OVERRIDES,
      framework: 'cdktn',
    });
    expectSuccess(install, 'npm install of the tarball into a cdktn project');
    expect(fs.lstatSync(path.join(dir, 'node_modules', 'cdktf')).isSymbolicLink()).toBe(true);
    expectOneCopy(dir);
    // The library runs on the project's Node (20 here); only cdktn's CLI needs 22.
    const onCdktn = expectPolicyRuns(dir);

    const baseline = createProject('cdktf-baseline', { ...CURRENT, [LIBRARY]: `file:${tarball}` });
    expectSuccess(baseline.install, 'npm install of the cdktf 0.21 baseline');
    const onCdktf = expectPolicyRuns(baseline.dir);
    expect(withoutMetadata(onCdktn, dir)).toEqual(withoutMetadata(onCdktf, baseline.dir));
    expect(onCdktn['//'].metadata.version).toBe(CDKTN_VERSION);
    expect(onCdktf['//'].metadata.version).toBe('0.21.0');
  }, 600_000);

  test('without the override npm refuses the install (ERESOLVE): the provider bindings peer cdktf ^0.21.0', () => {
    const { dir, install } = createProject('cdktn-no-override', { ...TERRAIN_DEPENDENCIES, [LIBRARY]: `file:${tarball}` });
    expect(install.status).not.toBe(0);
    expect(install.stderr).toContain('ERESOLVE');
    expect(install.stderr).toContain('cdktf@"file:node_modules/cdktn" from the root project');
    expect(install.stderr).toMatch(/peer cdktf@"\^0\.21\.0" from @cdktf\/provider-docker@12\.0\.3/);
    expect(fs.existsSync(path.join(dir, 'node_modules', LIBRARY))).toBe(false);
  }, 300_000);

  test('cdktf as a second cdktn (npm:cdktn) beside the project\'s own: the synth fails, naming the cdktn folder and the fix', () => {
    const { dir, install } = createProject(
      'cdktn-two-copies',
      { ...TERRAIN_DEPENDENCIES, cdktf: `npm:cdktn@${CDKTN_VERSION}`, [LIBRARY]: `file:${tarball}` },
      { overrides: TERRAIN_OVERRIDES, framework: 'cdktn' },
    );
    expectSuccess(install, 'npm install');
    expectSuccess(typeCheck(dir), 'tsc of the consumer app');
    const failed = synth(dir, false);
    expect(failed.status).not.toBe(0);
    const modules = fs.realpathSync(path.join(dir, 'node_modules'));
    expect(failed.stderr).toContain(
      `its stack was made with another copy of cdktf: cdktf at ${path.join(modules, 'cdktn')}, while cdktf-docker-networking loads cdktf from ${path.join(modules, 'cdktf')}.`,
    );
    expect(failed.stderr).toContain('On CDK Terrain, load cdktn once under both names: `npm install cdktf@file:node_modules/cdktn`');
  }, 300_000);

  test("the library's own synth tier passes on cdktn 0.24 but for the one test that cdktn's own feature flag refuses", () => {
    const { dir: project, install } = createProject('cdktn-framework', TERRAIN_DEPENDENCIES, { overrides: TERRAIN_OVERRIDES });
    expectSuccess(install, 'npm install of cdktn');
    const checkout = checkoutOnFramework(project);
    const results = path.join(work, 'synth-tier-on-cdktn.json');
    const jest = run(process.execPath, [path.join(checkout, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', '--json', `--outputFile=${results}`], checkout);
    const report = JSON.parse(fs.readFileSync(results, 'utf8')) as {
      numPassedTests: number;
      testResults: { assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[];
    };
    const failed = report.testResults.flatMap((file) => file.assertionResults).filter((t) => t.status === 'failed');
    expect(failed.map((t) => t.fullName)).toEqual([
      'DockerPolicy.applyTo(app) covers every stack of the App at synth a stack inside a nested construct (App -> Construct -> Stack), made after the call',
    ]);
    // cdktn's Testing.app turns on its future flags, and failOnConstructsOutsideOfStacks refuses that tree (cdktn init
    // writes the flag into cdktf.json too).
    expect(failed[0].failureMessages.join('\n')).toContain('Found constructs outside of a TerraformStack');
    expect(report.numPassedTests).toBeGreaterThan(700);
    expect(jest.status).toBe(1);
  }, 600_000);
});

/** A synthesized document without cdktf's metadata (`//`) and with the project's folder as `<project>`. */
function withoutMetadata(config: Record<string, any>, dir: string): unknown {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(Object.entries(value).filter(([key]) => key !== '//').map(([key, v]) => [key, strip(v)]));
  };
  return strip(JSON.parse(JSON.stringify(config).split(dir).join('<project>')));
}

/**
 * This checkout's files (tracked and new, as they are now) in a folder whose node_modules is this checkout's but for
 * the framework: cdktf and constructs are `project`'s (cdktn), and @cdktf/provider-docker a copy, so that the
 * `cdktf` it loads is cdktn too. The synth tier run there runs the library's source on cdktn.
 */
function checkoutOnFramework(project: string): string {
  const dir = path.join(work, 'checkout-on-cdktn');
  const listed = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], root);
  expectSuccess(listed, 'git ls-files');
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    // Deleted but not yet committed, or not a file (a worktree's node_modules link).
    if (!fs.existsSync(path.join(root, file)) || !fs.lstatSync(path.join(root, file)).isFile()) continue;
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.copyFileSync(path.join(root, file), path.join(dir, file));
  }
  const ours = fs.realpathSync(path.join(root, 'node_modules'));
  const modules = path.join(dir, 'node_modules');
  const link = (from: string, to: string) => fs.symlinkSync(fs.realpathSync(from), to);
  fs.mkdirSync(path.join(modules, '@cdktf'), { recursive: true });
  for (const entry of fs.readdirSync(ours)) {
    if (!['cdktf', 'constructs', '@cdktf'].includes(entry)) link(path.join(ours, entry), path.join(modules, entry));
  }
  for (const entry of fs.readdirSync(path.join(ours, '@cdktf'))) {
    const from = path.join(ours, '@cdktf', entry);
    if (entry === 'provider-docker') fs.cpSync(from, path.join(modules, '@cdktf', entry), { recursive: true });
    else link(from, path.join(modules, '@cdktf', entry));
  }
  link(path.join(project, 'node_modules', 'cdktn'), path.join(modules, 'cdktf'));
  link(path.join(project, 'node_modules', 'constructs'), path.join(modules, 'constructs'));
  return dir;
}
