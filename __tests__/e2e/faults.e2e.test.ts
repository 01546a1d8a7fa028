/**
 * Deploy tier: faults around the main job (`ops/main-job/voting-app.sh`, i.e. npm run deploy/diff/destroy, with the
 * local images), each with nothing lost, and what the job leaves on disk:
 * - dockerd restarted while the app runs: the containers come back by their restart policy, the votes are kept;
 * - db killed (by the kernel) while votes arrive: every vote that vote accepted is counted once db is back;
 * - two deploys at once: one refused with a clear message, the other completes, the state is whole;
 * - a deploy interrupted by SIGKILL or SIGINT (to its whole process group) once a network exists: the next deploy
 *   converges by itself (ops/main-job/reconcile.ts), the state lists every resource, the next diff is empty;
 * - a network of a name the stack needs but without its label (a stranger's): left alone, the deploy names it;
 * - a container removed by hand during a deploy: that deploy or the next one converges;
 * - no file the job wrote that others can read holds the database password; the state files are mode 0600;
 * - on a swarm: a deploy killed once the first service exists; the next deploy converges by itself.
 *
 * The job runs in a copy of the project (support/main-job.ts). Fixed names and ports as the voting-app suite:
 * the suite waits, bounded, until no other voting app is on the engine. The dockerd restart stops every container
 * on the engine for a moment: run the deploy tier alone on an engine.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { describeDeploy } from './support/deploy-tier';
import { containerExists, docker, dockerOk, inspectContainer, networkExists } from './support/docker';
import { MainJob, othersCanRead } from './support/main-job';
import { assertSucceeded, RunResult } from './support/process';
import { serviceExists, swarmState } from './support/swarm';
import { castVote, castVoteWhenReady, Tally, tally, waitFor, waitForTally } from './support/voting';
import { STACK_LABEL } from '../../lib';
import { isEncryptedState } from '../../ops/state/state-document';
import { sql } from './support/postgres';
import { LOCAL_IMAGES } from '../../stacks/images';

const SERVICES = ['vote', 'result', 'worker', 'redis', 'db'];
const NETWORKS = ['frontend-network', 'backend-network'];
const VOTE_URL = 'http://127.0.0.1:5000';
const RESULT_URL = 'http://127.0.0.1:5001';
const WAIT_FOR_ENGINE_MS = Number(process.env.VOTING_APP_E2E_WAIT_SECONDS ?? 420) * 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function occupied(): string[] {
  return [...SERVICES.filter(containerExists), ...NETWORKS.filter(networkExists)];
}

/** Resolves with the first `docker events` line (JSON) that `match` accepts; `stop()` ends the watch. */
function watchEvents(filters: string[], match: (event: { Actor: { Attributes: Record<string, string> } }) => boolean) {
  const child: ChildProcess = spawn('docker', ['events', '--format', '{{json .}}', ...filters.flatMap((f) => ['--filter', f])], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let timer: NodeJS.Timeout | undefined;
  const seen = new Promise<void>((resolve) => {
    // Bounded: after 5 minutes the caller goes on, and its checks fail with what they find.
    timer = setTimeout(resolve, 300_000);
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      if (lines.some((line) => line.trim() && match(JSON.parse(line)))) resolve();
    });
  });
  return {
    seen,
    stop: () => {
      clearTimeout(timer);
      child.kill('SIGTERM');
    },
  };
}

/** Processes whose working directory is under `dir` (a Terraform the job started may outlive it briefly). */
function processesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readlinkSync(`/proc/${entry}/cwd`).startsWith(dir)) pids.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

/** Votes `count` new voters for a, one every `everyMs`; returns how many vote accepted (answered below 400). */
async function castMany(prefix: string, count: number, everyMs: number, during?: (i: number) => void): Promise<number> {
  let accepted = 0;
  for (let i = 0; i < count; i++) {
    during?.(i);
    try {
      if ((await castVote(VOTE_URL, 'a', `${prefix}-${i}`)).status < 400) accepted++;
    } catch {
      // not accepted: vote did not answer
    }
    await sleep(everyMs);
  }
  return accepted;
}

describeDeploy('the main job (npm run deploy) under faults', { images: Object.values(LOCAL_IMAGES) }, (toolchain) => {
  let job: MainJob | undefined;
  /** The tally the app must show: every vote accepted so far. */
  let expected: Tally = { a: 0, b: 0, total: 0 };

  const deployed = async () => assertSucceeded(await job!.run('deploy'));

  /** The state lists every resource the stack declares, the next diff is empty, no stray object is left. */
  async function expectConverged(): Promise<void> {
    expect(await job!.stateList()).toEqual(job!.declaredResources());
    const diff = assertSucceeded(await job!.run('diff'));
    expect(diff.output).toMatch(/No changes\. Your infrastructure matches the configuration/);
    for (const service of SERVICES) expect(inspectContainer(service).State.Running).toBe(true);
    expect(NETWORKS.filter(networkExists)).toEqual(NETWORKS);
  }

  /** Counts `more` votes for a, then waits until result shows all accepted votes. */
  async function voteAndCount(prefix: string, more: number): Promise<void> {
    const accepted = await castMany(prefix, more, 50);
    expect(accepted).toBe(more);
    expected = { a: expected.a + accepted, b: expected.b, total: expected.total + accepted };
    expect((await waitForTally(RESULT_URL, expected, 60_000)).last).toEqual(expected);
  }

  /** Starts a deploy from nothing and sends `signal` to its process group as soon as a stack network exists. */
  async function interruptedDeploy(signal: NodeJS.Signals): Promise<RunResult> {
    assertSucceeded(await job!.run('destroy'));
    expected = { a: 0, b: 0, total: 0 };
    const watch = watchEvents(['type=network', 'event=create'], (e) => NETWORKS.includes(e.Actor.Attributes.name));
    let pgid = 0;
    const deploy = job!.run('deploy', { onStart: (id) => (pgid = id) });
    await watch.seen;
    watch.stop();
    process.kill(-pgid, signal);
    const result = await deploy;
    // Terraform runs in its own session (cdktf's pseudo-terminal) and ends on the hang-up: wait for it, bounded.
    await waitFor(() => (processesIn(job!.dir).length === 0 ? true : undefined), 60_000, 500);
    expect(processesIn(job!.dir)).toEqual([]);
    expect(result.code).not.toBe(0);
    return result;
  }

  beforeAll(async () => {
    let taken = occupied();
    if (taken.length > 0) await waitFor(() => ((taken = occupied()).length === 0 ? true : undefined), WAIT_FOR_ENGINE_MS, 5_000);
    if (taken.length > 0) throw new Error(`the voting app's names are taken on this engine (${taken.join(', ')}); destroy that deploy first`);
    job = new MainJob(toolchain, 'faults');
    await deployed();
  }, WAIT_FOR_ENGINE_MS + 600_000);

  afterAll(async () => {
    if (!job) return;
    await job.run('destroy');
    job.cleanUp();
  });

  test('votes cast after the first deploy are counted', async () => {
    await voteAndCount('first', 5);
  });

  test('dockerd restarted: the containers come back by their restart policy, the votes are kept, the diff is empty', async () => {
    // This machine's dockerd, by its default pid file (the lab's daemons have their own).
    const pid = fs.readFileSync('/var/run/docker.pid', 'utf8').trim();
    expect(pid).toMatch(/^\d+$/);
    const before = Object.fromEntries(SERVICES.map((s) => [s, inspectContainer(s).State.StartedAt]));
    process.kill(Number(pid), 'SIGTERM');
    await waitFor(() => (fs.existsSync(`/proc/${pid}`) ? undefined : true), 60_000, 250);
    expect(fs.existsSync(`/proc/${pid}`)).toBe(false);
    expect(spawnSync('bash', [path.join(job!.dir, 'ops', 'engine', 'start-docker.sh')], { encoding: 'utf8', timeout: 120_000 }).status).toBe(0);

    const back = await waitFor(() => {
      const running = SERVICES.filter((s) => containerExists(s) && inspectContainer(s).State.Running);
      return running.length === SERVICES.length ? true : undefined;
    }, 120_000, 1_000);
    expect(back).toBe(true);
    for (const service of SERVICES) expect(inspectContainer(service).State.StartedAt).not.toBe(before[service]);
    expect((await waitForTally(RESULT_URL, expected, 60_000)).last).toEqual(expected);
    await voteAndCount('after-dockerd', 3);
    await expectConverged();
  });

  test('db killed while votes arrive: every vote that vote accepted is counted once db is back', async () => {
    const db = inspectContainer('db');
    const accepted = await castMany('db-down', 40, 100, (i) => {
      // A real crash, by the kernel: `docker kill` would count as a manual stop and db would stay down.
      if (i === 10) process.kill(db.State.Pid, 'SIGKILL');
    });
    expect(accepted).toBeGreaterThan(0);
    const back = await waitFor(() => {
      const now = inspectContainer('db');
      return now.State.Running && now.RestartCount > db.RestartCount ? true : undefined;
    }, 60_000);
    expect(back).toBe(true);
    expected = { a: expected.a + accepted, b: expected.b, total: expected.total + accepted };
    expect((await waitForTally(RESULT_URL, expected, 90_000)).last).toEqual(expected);
  });

  test('two deploys at once: one is refused with a clear message, the other completes, the state is whole', async () => {
    const [first, second] = await Promise.all([job!.run('deploy'), sleep(200).then(() => job!.run('deploy'))]);
    const results = [first, second];
    const refused = results.filter((r) => r.code !== 0);
    expect(refused).toHaveLength(1);
    expect(refused[0].output).toContain('refused: another npm run deploy/diff/destroy of this project is running');
    expect(results.filter((r) => r.code === 0)).toHaveLength(1);
    await expectConverged();
    expect(await tally(RESULT_URL)).toEqual(expected);
  });

  test.each(['SIGKILL', 'SIGINT'] as const)(
    'a deploy interrupted by %s once a network exists: the next deploy converges by itself',
    async (signal) => {
      await interruptedDeploy(signal);
      expect(NETWORKS.some(networkExists)).toBe(true);
      const next = await deployed();
      process.stderr.write(`faults e2e (${signal}): ${next.output.split('\n').filter((l) => l.startsWith('reconcile:')).join('; ') || 'nothing to reconcile'}\n`);
      await expectConverged();
      await voteAndCount(`after-${signal}`, 2);
    },
  );

  test("a stranger's network of a name the stack needs is never touched: the deploy stops and names it", async () => {
    assertSucceeded(await job!.run('destroy'));
    expected = { a: 0, b: 0, total: 0 };
    const stranger = dockerOk(['network', 'create', '--label', 'created-by=faults.e2e', 'backend-network']);
    try {
      const refused = await job!.run('deploy');
      expect(refused.code).not.toBe(0);
      expect(refused.output).toMatch(/main-job deploy: FAILED: network backend-network already on the Docker engine, not in the state of stack voting-app/);
      expect(dockerOk(['network', 'inspect', '--format', '{{.Id}}', 'backend-network'])).toBe(stranger);
      expect(SERVICES.filter(containerExists)).toEqual([]);
    } finally {
      docker(['network', 'rm', stranger]);
    }
    await deployed();
    await expectConverged();
  });

  test("an object with the stack's label but a name the stack does not declare (another checkout's) is left alone", async () => {
    const name = 'other-checkout-frontend-network';
    const other = dockerOk(['network', 'create', '--label', `${STACK_LABEL}=voting-app`, name]);
    try {
      const next = await deployed();
      expect(next.output).toContain(`reconcile: left alone: network ${name}: labelled ${STACK_LABEL}=voting-app but neither in this state`);
      expect(dockerOk(['network', 'inspect', '--format', '{{.Id}}', name])).toBe(other);
      await expectConverged();
    } finally {
      docker(['network', 'rm', other]);
    }
  });

  test('a container removed by hand during a deploy: the deploy or the next one converges', async () => {
    assertSucceeded(await job!.run('destroy'));
    expected = { a: 0, b: 0, total: 0 };
    const watch = watchEvents(['type=container', 'event=create'], (e) => e.Actor.Attributes.name === 'redis');
    const deploy = job!.run('deploy');
    await watch.seen;
    watch.stop();
    docker(['rm', '--force', 'redis']);
    const first = await deploy;
    if (first.code !== 0) await deployed();
    await expectConverged();
    await voteAndCount('after-removal', 2);
  });

  test('no file the job wrote that others can read holds the password; state, backup and secret are mode 0600', () => {
    const password = job!.password();
    expect(password.length).toBeGreaterThan(20);
    expect(othersCanRead(job!.dir, password)).toEqual([]);
    const stateFiles = fs.readdirSync(job!.dir).filter((f) => f.startsWith(`terraform.${job!.stack}.tfstate`));
    expect(stateFiles).toEqual(expect.arrayContaining([`terraform.${job!.stack}.tfstate`, `terraform.${job!.stack}.tfstate.backup`]));
    for (const file of [...stateFiles, path.join('.secrets', 'db-password')]) {
      expect(`${file} ${(fs.statSync(path.join(job!.dir, file)).mode & 0o777).toString(8)}`).toBe(`${file} 600`);
    }
    // Terraform keeps the password in the state in clear text (private files are all it has); OpenTofu encrypts the
    // state and its backup (STATE_ENCRYPTION, on by default under OpenTofu) with a passphrase kept 0600 in .secrets/.
    const encrypted = toolchain.terraformBinary === 'tofu';
    for (const file of stateFiles) expect(`${file}: ${fs.readFileSync(path.join(job!.dir, file), 'utf8').includes(password)}`).toBe(`${file}: ${!encrypted}`);
    if (encrypted) {
      for (const file of stateFiles) expect(isEncryptedState(fs.readFileSync(path.join(job!.dir, file), 'utf8'))).toBe(true);
      expect((fs.statSync(path.join(job!.dir, '.secrets', 'state-passphrase')).mode & 0o777).toString(8)).toBe('600');
    }
    expect(dockerOk(['container', 'inspect', 'db'])).not.toContain(password);
  });

  // With the state in PostgreSQL the lock dies with the killed deploy's session, and reconcile reads the state
  // through `terraform state pull`. .ci/run starts the server and sets E2E_PG_CONN_STR.
  const pgConnStr = process.env.E2E_PG_CONN_STR;
  (pgConnStr ? test : test.skip)(
    `with the state in PostgreSQL${pgConnStr ? '' : ' (SKIPPED: E2E_PG_CONN_STR is not set; .ci/run sets it)'}: a deploy killed mid-apply converges by itself`,
    async () => {
      assertSucceeded(await job!.run('destroy'));
      const local = job;
      job = new MainJob(toolchain, 'faults-pg', { STATE_PG_CONN_STR: pgConnStr, STATE_PG_SCHEMA_PREFIX: `faults_${process.pid}_` });
      try {
        await interruptedDeploy('SIGKILL');
        expect(NETWORKS.some(networkExists)).toBe(true);
        const next = await deployed();
        expect(next.output).toMatch(/reconcile: removed what an interrupted deploy left outside the state: network/);
        expect(assertSucceeded(await job.run('diff')).output).toMatch(/No changes\. Your infrastructure matches the configuration/);
        for (const service of SERVICES) expect(inspectContainer(service).State.Running).toBe(true);
        await voteAndCount('pg-after-SIGKILL', 2);
        // The state's row in PostgreSQL: the password in clear text under Terraform, encrypted away under OpenTofu.
        const row = sql(pgConnStr!, `select data from faults_${process.pid}_voting_app.states where name = 'default'`);
        expect(row.includes(job.password())).toBe(toolchain.terraformBinary !== 'tofu');
        expect(isEncryptedState(row)).toBe(toolchain.terraformBinary === 'tofu');
      } finally {
        await job.run('destroy');
        job.cleanUp();
        job = local;
      }
    },
  );
});

/**
 * The same fault on a swarm (VOTING_APP_ORCHESTRATOR=swarm): a deploy killed (SIGKILL to its process group) once the
 * first service exists, while the provider waits for it to converge. The service, the secret and the overlay networks
 * are then on the swarm but not in the state; the next `npm run deploy` removes them (ops/main-job/reconcile.ts) and
 * converges: every resource in the state, an empty diff, a vote counted.
 */
describeDeploy('the main job on Swarm under a kill mid-apply', { images: Object.values(LOCAL_IMAGES) }, (toolchain) => {
  let job: MainJob | undefined;
  let inSwarmBefore = true;
  let gwbridgeBefore = true;

  /** What of the app is on the engine now, as services or containers. */
  function taken(): string[] {
    const services = swarmState() === 'active' ? SERVICES.filter(serviceExists).map((s) => `service ${s}`) : [];
    return [...services, ...SERVICES.filter(containerExists).map((c) => `container ${c}`), ...NETWORKS.filter(networkExists).map((n) => `network ${n}`)];
  }

  beforeAll(async () => {
    let now = taken();
    if (now.length > 0) await waitFor(() => ((now = taken()).length === 0 ? true : undefined), WAIT_FOR_ENGINE_MS, 5_000);
    if (now.length > 0) throw new Error(`the voting app's names are taken on this engine (${now.join(', ')}); destroy that deploy first`);
    inSwarmBefore = swarmState() === 'active';
    gwbridgeBefore = networkExists('docker_gwbridge');
    job = new MainJob(toolchain, 'faults-swarm', { VOTING_APP_ORCHESTRATOR: 'swarm' });
  }, WAIT_FOR_ENGINE_MS + 60_000);

  afterAll(async () => {
    if (!job) return;
    await job.run('destroy');
    job.cleanUp();
    if (!inSwarmBefore && swarmState() === 'active') {
      docker(['swarm', 'leave', '--force'], 60_000);
      if (!gwbridgeBefore) docker(['network', 'rm', 'docker_gwbridge']);
    }
  }, 600_000);

  // The kill lands before the first state write: the next deploy's reconcile removes every service, the secret and
  // the overlay networks, and must wait until the engine has let go of the networks' names before the apply (OpenTofu
  // starts its apply within a second of the reconcile; a removed overlay network stays listed about 3.5 s).
  test('killed once the first service exists: the next npm run deploy removes what it left and converges', async () => {
    // The job makes the engine a swarm first: watch for services once it is one.
    if (swarmState() !== 'active') dockerOk(['swarm', 'init', '--advertise-addr', '127.0.0.1'], 60_000);
    const watch = watchEvents(['type=service', 'event=create'], (e) => SERVICES.includes(e.Actor.Attributes.name));
    let pgid = 0;
    const deploy = job!.run('deploy', { onStart: (id) => (pgid = id) });
    await watch.seen;
    watch.stop();
    process.kill(-pgid, 'SIGKILL');
    const killed = await deploy;
    await waitFor(() => (processesIn(job!.dir).length === 0 ? true : undefined), 60_000, 500);
    expect(killed.code).not.toBe(0);
    const left = SERVICES.filter(serviceExists);
    process.stderr.write(`faults e2e (swarm): left by the killed deploy: services ${left.join(', ')}; state ${(await job!.stateList()).join(', ')}\n`);
    expect(left.length).toBeGreaterThan(0);

    const next = await deployed();
    process.stderr.write(`faults e2e (swarm): ${next.output.split('\n').filter((l) => l.startsWith('reconcile:')).join('; ')}\n`);
    expect(next.output).toMatch(/reconcile: removed what an interrupted deploy left outside the state: service /);
    expect(await job!.stateList()).toEqual(job!.declaredResources());
    expect(assertSucceeded(await job!.run('diff')).output).toMatch(/No changes\. Your infrastructure matches the configuration/);
    expect(SERVICES.filter(serviceExists)).toEqual(SERVICES);
    await castVoteWhenReady(VOTE_URL, 'b', 'swarm-after-kill', 120_000);
    expect((await waitForTally(RESULT_URL, { a: 0, b: 1, total: 1 }, 120_000)).last).toEqual({ a: 0, b: 1, total: 1 });
  });

  async function deployed(): Promise<RunResult> {
    return assertSucceeded(await job!.run('deploy'));
  }
});
