/**
 * Deploy tier for ComposeProject: the voting app's upstream docker-compose.yml with this repository's override file
 * (stacks/compose-voting-app/: local images, ports 5000 and 5001), as the test-only app
 * __tests__/e2e/fixtures/compose-app.ts (stack `compose-voting-app`). Deployed, the networks, names and aliases are
 * what compose creates (front-tier and back-tier, compose-voting-app-vote-1, ... answering to their service names),
 * redis and db are healthy before the services that wait for them are created, a vote cast on 5000 is counted on 5001,
 * the diff is empty, and destroy leaves nothing. Then the converter writes the stack as TypeScript (the command
 * docs/compose.md shows), whose plan against the same deploy is empty; destroyed and deployed from the converted code
 * alone, the vote is counted again, and destroy leaves nothing.
 *
 * It publishes 5000 and 5001, like the voting-app stack and `npm run deploy`: it waits, bounded, until they are free.
 *
 * A second stack, `compose-features` (fixtures/compose-features/), checks on the engine what the voting app does not
 * use: a one-shot job others wait for (service_completed_successfully), a read-only bind mount, an anonymous volume,
 * tmpfs, a file secret and an inline config; the diff after deploy is empty, and destroy leaves no volume behind.
 * Images: voting-app-local/* (npm run images:local).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { documented } from '../docs/commands';
import { CdktfRun, PROJECT_ROOT, fixtureApp, parsePlan } from './support/cdktf';
import { describeDeploy } from './support/deploy-tier';
import {
  TOOLBOX_IMAGE,
  containerAliases,
  containerExists,
  containerIp,
  containerNetworks,
  docker,
  dockerOk,
  exec,
  inspectContainer,
  networkExists,
  removeLeftovers,
  resolve,
} from './support/docker';
import { assertSucceeded, run } from './support/process';
import { recordTiming } from './support/timings';
import { castVote, waitFor, waitForTally } from './support/voting';
import { LOCAL_IMAGES } from '../../stacks/images';

const STACK = 'compose-voting-app';
const PREFIX = 'compose-voting-app';
const FRONT = `${PREFIX}_front-tier`;
const BACK = `${PREFIX}_back-tier`;
const VOLUME = `${PREFIX}_db-data`;
const SERVICES = ['vote', 'result', 'worker', 'redis', 'db'] as const;
const container = (service: string) => `${PREFIX}-${service}-1`;
/** Upstream's networks: vote and result on both tiers, the rest on the back tier. */
const MEMBERSHIP: Record<(typeof SERVICES)[number], string[]> = {
  vote: [BACK, FRONT],
  result: [BACK, FRONT],
  worker: [BACK],
  redis: [BACK],
  db: [BACK],
};
const PROBE = 'compose-e2e-probe';
const CONVERTED = 'stacks/converted-voting-app.ts';
// prettier-ignore
const CONVERT = documented('npm run compose:convert -- stacks/compose-voting-app/docker-compose.yml stacks/compose-voting-app/docker-compose.local.yml --out stacks/converted-voting-app.ts');
const VOTE_URL = 'http://127.0.0.1:5000';
const RESULT_URL = 'http://127.0.0.1:5001';
const WAIT_FOR_ENGINE_MS = Number(process.env.VOTING_APP_E2E_WAIT_SECONDS ?? 420) * 1000;

/** What of the stack's names and ports is taken on the engine right now (by anyone). */
function occupied(): string[] {
  const taken = [...SERVICES.map(container).filter(containerExists), ...[FRONT, BACK].filter(networkExists)];
  const ports = docker(['ps', '--format', '{{.Names}} {{.Ports}}']).stdout;
  for (const port of [5000, 5001]) {
    const holder = ports.split('\n').find((line) => line.includes(`:${port}->`));
    if (holder) taken.push(`host port ${port} (${holder.split(' ')[0]})`);
  }
  return taken;
}

/** Everything the stack creates that is still on the engine. */
function leftovers(): string[] {
  return [
    ...SERVICES.map(container).filter(containerExists),
    ...[FRONT, BACK].filter(networkExists),
    ...(docker(['volume', 'inspect', VOLUME]).code === 0 ? [VOLUME] : []),
  ];
}

/** Casts one vote for a new voter and waits until the result page counts it. */
async function voteIsCounted(): Promise<void> {
  const page = await waitFor(async () => ((await castVote(VOTE_URL, 'a').catch(() => undefined))?.status ?? 0) < 400 || undefined, 30_000, 1_000);
  expect(page).toBe(true);
  const { last } = await waitForTally(RESULT_URL, { a: 1, b: 0, total: 1 }, 30_000);
  expect(last).toEqual({ a: 1, b: 0, total: 1 });
}

/** Compiles the converted stack next to the compiled library (dist/stacks), where the fixture app requires it. */
function compileConverted(): void {
  const source = fs.readFileSync(path.join(PROJECT_ROOT, CONVERTED), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } });
  fs.writeFileSync(path.join(PROJECT_ROOT, 'dist', CONVERTED.replace(/\.ts$/, '.js')), outputText);
}

describeDeploy(`${STACK}: upstream's compose file through ComposeProject, then through the converter's code`, { images: [...Object.values(LOCAL_IMAGES)] }, (toolchain) => {
  let cdktf: CdktfRun;
  let deployed = false;

  beforeAll(async () => {
    let taken = occupied();
    if (taken.length > 0) {
      process.stderr.write(`compose e2e: waiting up to ${WAIT_FOR_ENGINE_MS / 1000}s for ${taken.join(', ')}\n`);
      await waitFor(() => ((taken = occupied()).length === 0 ? true : undefined), WAIT_FOR_ENGINE_MS, 5_000);
    }
    if (taken.length > 0) throw new Error(`the names or ports of ${STACK} are taken on this engine (${taken.join(', ')}); free them and run again`);
    cdktf = new CdktfRun(toolchain, { name: STACK, app: fixtureApp('compose-app'), env: { COMPOSE_E2E_VARIANT: 'project' } });
    const deploy = assertSucceeded(await cdktf.deploy(STACK));
    deployed = true;
    recordTiming(STACK, 'deploy', deploy.ms);
  }, WAIT_FOR_ENGINE_MS + 600_000);

  afterAll(async () => {
    docker(['rm', '-f', PROBE]);
    if (cdktf) {
      if (deployed) await cdktf.destroy(STACK);
      cdktf.cleanUp();
    }
    fs.rmSync(path.join(PROJECT_ROOT, CONVERTED), { force: true });
  });

  test('right after deploy, cdktf diff reports no changes', async () => {
    expect(parsePlan(assertSucceeded(await cdktf.diff(STACK)).output)).toMatchObject({ noChanges: true });
    expect(cdktf.stateResources(STACK)).toHaveLength(13);
  });

  test.each(SERVICES)('%s runs as compose names it, on exactly upstream\'s networks, answering to its service name', (service) => {
    const name = container(service);
    expect(inspectContainer(name).State.Running).toBe(true);
    expect(containerNetworks(name)).toEqual(MEMBERSHIP[service]);
    for (const network of MEMBERSHIP[service]) expect(containerAliases(name, network)).toContain(service);
  });

  test('on back-tier, the service names resolve to the containers, as under compose', () => {
    dockerOk(['run', '-d', '--name', PROBE, '--network', BACK, TOOLBOX_IMAGE, 'sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done']);
    for (const service of SERVICES) expect([service, resolve(PROBE, service)]).toEqual([service, [containerIp(container(service), BACK)]]);
    docker(['rm', '-f', PROBE]);
  });

  test('health-gated depends_on: redis and db were healthy before the services that wait for them were created', () => {
    const t = (iso: string) => Date.parse(iso);
    for (const [dependant, dependencies] of [['vote', ['redis']], ['result', ['db']], ['worker', ['redis', 'db']]] as const) {
      for (const dependency of dependencies) {
        expect(t(inspectContainer(container(dependant)).Created)).toBeGreaterThan(t(inspectContainer(container(dependency)).State.StartedAt));
      }
    }
    for (const service of ['redis', 'db']) expect(inspectContainer(container(service)).State.Health).toMatchObject({ Status: 'healthy' });
  });

  test('a vote cast on 5000 is counted on 5001', voteIsCounted);

  test('the converter writes the stack as TypeScript, and its plan against this deploy is empty', async () => {
    const converted = await run('bash', ['-c', CONVERT], { cwd: PROJECT_ROOT, timeoutMs: 300_000 });
    assertSucceeded(converted);
    expect(converted.output).toContain(`wrote stacks/converted-voting-app.ts: 8 constructs of compose project "${PREFIX}"`);
    compileConverted();
    cdktf.setEnv({ COMPOSE_E2E_VARIANT: 'converted' });
    expect(parsePlan(assertSucceeded(await cdktf.diff(STACK)).output)).toMatchObject({ noChanges: true });
  });

  test('destroy leaves nothing', async () => {
    assertSucceeded(await cdktf.destroy(STACK));
    deployed = false;
    expect(leftovers()).toEqual([]);
    expect(cdktf.stateResources(STACK)).toEqual([]);
  });

  test('deployed from the converted code alone, the vote is counted, the diff is empty, and destroy leaves nothing', async () => {
    const deploy = assertSucceeded(await cdktf.deploy(STACK));
    deployed = true;
    recordTiming(STACK, 'deploy (converted)', deploy.ms);
    expect(SERVICES.map((s) => inspectContainer(container(s)).State.Running)).toEqual(SERVICES.map(() => true));
    await voteIsCounted();
    expect(parsePlan(assertSucceeded(await cdktf.diff(STACK)).output)).toMatchObject({ noChanges: true });
    assertSucceeded(await cdktf.destroy(STACK));
    deployed = false;
    expect(leftovers()).toEqual([]);
  }, 900_000);
});

const FEATURES = 'compose-features';
const FEATURES_FILE = path.join(PROJECT_ROOT, '__tests__', 'e2e', 'fixtures', 'compose-features', 'docker-compose.yml');

describeDeploy(`${FEATURES}: a one-shot job, a bind mount, an anonymous volume, tmpfs, a secret and a config`, { images: [TOOLBOX_IMAGE] }, (toolchain) => {
  const app = `${FEATURES}-app-1`;
  const job = `${FEATURES}-migrate-1`;
  const inspect = (name: string, format: string) => dockerOk(['inspect', '--format', format, name]);
  let cdktf: CdktfRun;
  let deployed = false;
  let anonymous = '';

  beforeAll(async () => {
    removeLeftovers({ containers: [app, job], networks: [`${FEATURES}_default`] });
    cdktf = new CdktfRun(toolchain, { name: FEATURES, app: fixtureApp('compose-app'), env: { COMPOSE_E2E_VARIANT: 'features', COMPOSE_E2E_FILE: FEATURES_FILE } });
    const deploy = assertSucceeded(await cdktf.deploy(FEATURES));
    deployed = true;
    recordTiming(FEATURES, 'deploy', deploy.ms);
  }, 600_000);

  afterAll(async () => {
    if (!cdktf) return;
    if (deployed) await cdktf.destroy(FEATURES);
    cdktf.cleanUp();
  });

  test('the job ran to its end before app was created (service_completed_successfully), and app reads what it wrote', () => {
    expect(inspect(job, '{{.State.Status}} {{.State.ExitCode}}')).toBe('exited 0');
    expect(Date.parse(inspect(app, '{{.Created}}'))).toBeGreaterThan(Date.parse(inspect(job, '{{.State.FinishedAt}}')));
    expect(exec(app, ['cat', '/results/done']).stdout.trim()).toBe('migrated');
  });

  test('the bind mount is read-only, the secret and the config are files, /scratch an anonymous volume, /run/app a tmpfs', () => {
    expect(exec(app, ['cat', '/etc/app/settings.ini']).stdout).toBe('mode=compose\n');
    expect(exec(app, ['sh', '-c', 'echo x > /etc/app/new']).code).not.toBe(0);
    expect(exec(app, ['cat', '/run/secrets/token']).stdout).toBe('e2e-token\n');
    expect(exec(app, ['cat', '/etc/motd']).stdout).toBe('welcome');
    expect(exec(app, ['sh', '-c', 'echo $GREETING']).stdout.trim()).toBe('hello');
    const mounts = JSON.parse(inspect(app, '{{json .Mounts}}')) as { Type: string; Name?: string; Destination: string }[];
    const scratch = mounts.find((m) => m.Destination === '/scratch');
    expect(scratch?.Type).toBe('volume');
    anonymous = scratch?.Name ?? '';
    expect(inspect(app, '{{json .HostConfig.Tmpfs}}')).toBe('{"/run/app":""}');
  });

  test('right after deploy, cdktf diff reports no changes: the exited job and the mounts plan stable', async () => {
    expect(parsePlan(assertSucceeded(await cdktf.diff(FEATURES)).output)).toMatchObject({ noChanges: true });
  });

  test('destroy leaves nothing: the containers, the network, the named and the anonymous volume', async () => {
    assertSucceeded(await cdktf.destroy(FEATURES));
    deployed = false;
    expect([app, job].filter(containerExists)).toEqual([]);
    expect(networkExists(`${FEATURES}_default`)).toBe(false);
    expect(docker(['volume', 'inspect', `${FEATURES}_results`]).code).not.toBe(0);
    expect(anonymous).not.toBe('');
    expect(docker(['volume', 'inspect', anonymous]).code).not.toBe(0);
  });
});
