/**
 * Deploy tier for the `voting-app` stack: `cdktf deploy voting-app` through the real CLI with the locally built
 * images (VOTING_APP_IMAGES=local) and a generated TF_VAR_db_password, then what a user of the app relies on:
 * votes cast on 127.0.0.1:5000 are counted on 127.0.0.1:5001, result reaches db, the frontend network alone
 * reaches none of the backend services, redis and db are healthy before the services that need them are created,
 * a crashed service comes back, the password stays out of the JSON and the containers' configuration, a diff
 * right after deploy is empty, and destroy leaves nothing but the images.
 *
 * The stack uses fixed names (vote, result, worker, redis, db, frontend-network, backend-network) and host ports
 * 5000/5001, which other suites (reachability) and `npm run deploy` may use on the same engine: the suite waits,
 * bounded, until none of them is there, and never removes what it did not create.
 */
import { ChildProcess, spawn } from 'child_process';
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { CdktfRun, parsePlan } from './support/cdktf';
import { httpAnswer } from './support/http';
import { castVote, waitFor, waitForTally } from './support/voting';
import { describeDeploy } from './support/deploy-tier';
import {
  containerAliases,
  containerExists,
  containerIp,
  containerNetworks,
  docker,
  dockerOk,
  exec,
  imageExists,
  inspectContainer,
  networkExists,
  resolve,
} from './support/docker';
import { assertSucceeded } from './support/process';
import { recordTiming } from './support/timings';
import { LOCAL_IMAGES } from '../../stacks/images';

const STACK = 'voting-app';
const IMAGES = Object.values(LOCAL_IMAGES);
const TOOLBOX = LOCAL_IMAGES.toolbox;
const FRONTEND = 'frontend-network';
const BACKEND = 'backend-network';
const SERVICES = ['vote', 'result', 'worker', 'redis', 'db'] as const;
type Service = (typeof SERVICES)[number];
/** Each container and exactly the networks the stack attaches it to (result joins the backend to read db). */
const MEMBERSHIP: Record<Service, string[]> = {
  vote: [BACKEND, FRONTEND],
  result: [BACKEND, FRONTEND],
  worker: [BACKEND],
  redis: [BACKEND],
  db: [BACKEND],
};
const VOTE_URL = 'http://127.0.0.1:5000';
const RESULT_URL = 'http://127.0.0.1:5001';
/** Containers this suite starts itself, next to the stack's; removed in afterAll. */
const PROBE_PREFIX = 'vapp-e2e-';
/** A password no other file on the machine contains, so that a grep for it means something. */
const PASSWORD = `vapp-e2e-${randomBytes(18).toString('base64url')}`;
/** How long the suite waits for another suite's voting app (same names, same ports) to go away. */
const WAIT_FOR_ENGINE_MS = Number(process.env.VOTING_APP_E2E_WAIT_SECONDS ?? 420) * 1000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What of the stack's names and ports is taken on the engine right now (by anyone). */
function occupied(): string[] {
  const taken: string[] = [
    ...SERVICES.filter(containerExists).map((c) => `container ${c}`),
    ...[FRONTEND, BACKEND].filter(networkExists).map((n) => `network ${n}`),
  ];
  const ports = docker(['ps', '--format', '{{.Names}} {{.Ports}}']).stdout;
  for (const port of [5000, 5001]) {
    const holder = ports.split('\n').find((line) => line.includes(`:${port}->`));
    if (holder) taken.push(`host port ${port} (${holder.split(' ')[0]})`);
  }
  return taken;
}

interface DockerEvent {
  readonly Action: string;
  readonly Actor: { ID: string; Attributes: Record<string, string> };
  readonly timeNano: number;
}

/**
 * `docker events` for containers, collected while the deploy runs: the daemon keeps only its last 256 events and
 * a container's health log only its last 5 checks, so the order of "healthy" and "create" is taken live.
 */
class EventRecorder {
  private readonly child: ChildProcess;
  private buffer = '';
  public readonly events: DockerEvent[] = [];

  constructor() {
    this.child = spawn('docker', ['events', '--format', '{{json .}}', '--filter', 'type=container'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    this.child.stdout!.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString();
      const lines = this.buffer.split('\n');
      this.buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line.trim()) this.events.push(JSON.parse(line) as DockerEvent);
      }
    });
  }

  /** Nanosecond time of the first event of `container` (by exact name) whose action is `action`. */
  public first(container: string, action: string): number | undefined {
    return this.events.find((e) => e.Actor.Attributes.name === container && e.Action === action)?.timeNano;
  }

  public stop(): void {
    this.child.kill('SIGTERM');
  }
}

/** Starts a toolbox container of this suite on one network; it idles until removed. */
function startProbe(name: string, network: string): string {
  const full = `${PROBE_PREFIX}${name}`;
  docker(['rm', '-f', full]);
  dockerOk(['run', '-d', '--name', full, '--network', network, '--label', 'created-by=voting-app.e2e', TOOLBOX]);
  return full;
}

/** Whether a TCP connection from `container` to host:port opens within 2 s (busybox nc). */
function connects(container: string, host: string, port: number): boolean {
  return exec(container, ['sh', '-c', `nc -w2 ${host} ${port} </dev/null`]).code === 0;
}

/** Files under `dir` whose content contains `needle`, relative to `dir`. */
function filesContaining(dir: string, needle: string): string[] {
  const found: string[] = [];
  const walk = (current: string) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      // The provider binary and its copies are large and cannot hold the password.
      if (entry.isDirectory()) {
        if (entry.name !== '.terraform') walk(full);
      } else if (entry.isFile() && fs.readFileSync(full).includes(needle)) {
        found.push(path.relative(dir, full));
      }
    }
  };
  walk(dir);
  return found.sort();
}

describeDeploy(`${STACK} on a real engine`, { images: IMAGES }, (toolchain) => {
  let cdktf: CdktfRun | undefined;
  let events: EventRecorder | undefined;
  let deployOutput = '';
  let destroyed = false;
  const probes: string[] = [];

  beforeAll(async () => {
    // Another suite or a hand-made deploy may hold the names and ports: wait for it, bounded, remove nothing.
    let taken = occupied();
    if (taken.length > 0) {
      process.stderr.write(`voting-app e2e: waiting up to ${WAIT_FOR_ENGINE_MS / 1000}s for ${taken.join(', ')}\n`);
      await waitFor(() => ((taken = occupied()).length === 0 ? true : undefined), WAIT_FOR_ENGINE_MS, 5_000);
    }
    if (taken.length > 0) {
      throw new Error(
        `the voting app's names or ports are taken on this engine (${taken.join(', ')}) by something this suite did ` +
          `not create; destroy that deploy (npm run destroy) or wait for the other suite, then run again`,
      );
    }
    cdktf = new CdktfRun(toolchain, {
      name: STACK,
      env: { VOTING_APP_IMAGES: 'local', VOTING_APP_SEGMENTATION: 'shared-backend', TF_VAR_db_password: PASSWORD },
    });
    events = new EventRecorder();
    await sleep(300); // let `docker events` subscribe before the first container is created
    try {
      const deploy = assertSucceeded(await cdktf.deploy(STACK));
      deployOutput = deploy.output;
      recordTiming(STACK, 'deploy', deploy.ms);
    } finally {
      await sleep(300);
      events.stop();
    }
  }, WAIT_FOR_ENGINE_MS + 600_000);

  /** Removes this suite's toolbox containers: a container still on backend-network makes destroy fail. */
  const removeProbes = () => {
    for (const probe of probes.splice(0)) docker(['rm', '-f', probe]);
  };

  afterAll(async () => {
    events?.stop();
    removeProbes();
    if (!cdktf) return;
    // Leave nothing behind even when a test failed half way.
    if (!destroyed) await cdktf.destroy(STACK);
    cdktf.cleanUp();
  });

  test('the apply succeeded: 13 resources added, all in the state', () => {
    expect(deployOutput).toMatch(/Apply complete! Resources: 13 added, 0 changed, 0 destroyed/);
    expect(deployOutput).not.toMatch(/Error:/);
    expect(cdktf!.stateResources(STACK)).toHaveLength(13);
  });

  test('right after deploy, cdktf diff reports no changes', async () => {
    const diff = assertSucceeded(await cdktf!.diff(STACK));
    recordTiming(STACK, 'no-op diff', diff.ms);
    expect(parsePlan(diff.output)).toMatchObject({ noChanges: true, add: 0, change: 0, destroy: 0 });
  });

  test.each(SERVICES)('%s runs with restart policy unless-stopped on exactly its networks', (service) => {
    const info = inspectContainer(service);
    expect(info.State.Running).toBe(true);
    expect(info.HostConfig.RestartPolicy.Name).toBe('unless-stopped');
    expect(containerNetworks(service)).toEqual(MEMBERSHIP[service]);
  });

  test('redis and db answer to their names on the backend network', () => {
    expect(containerAliases('redis', BACKEND)).toContain('redis');
    expect(containerAliases('db', BACKEND)).toContain('db');
  });

  test('start-up order: redis and db were healthy before vote, worker and result were created', () => {
    const ev = events!;
    const healthy = { redis: ev.first('redis', 'health_status: healthy'), db: ev.first('db', 'health_status: healthy') };
    const created = { vote: ev.first('vote', 'create'), worker: ev.first('worker', 'create'), result: ev.first('result', 'create') };
    expect(healthy.redis).toBeDefined();
    expect(healthy.db).toBeDefined();
    expect(created).toEqual({ vote: expect.any(Number), worker: expect.any(Number), result: expect.any(Number) });
    // vote needs redis, result needs db, worker needs both (the stack's dependsOn).
    expect(created.vote!).toBeGreaterThan(healthy.redis!);
    expect(created.result!).toBeGreaterThan(healthy.db!);
    expect(created.worker!).toBeGreaterThan(Math.max(healthy.redis!, healthy.db!));
    // The same from docker inspect: redis and db started before the others were created, and are healthy now.
    const t = (iso: string) => Date.parse(iso);
    for (const [dependant, dependencies] of [
      ['vote', ['redis']],
      ['result', ['db']],
      ['worker', ['redis', 'db']],
    ] as const) {
      for (const dependency of dependencies) {
        expect(t(inspectContainer(dependant).Created)).toBeGreaterThan(t(inspectContainer(dependency).State.StartedAt));
      }
    }
    for (const service of ['redis', 'db']) {
      expect(inspectContainer(service).State.Health).toMatchObject({ Status: 'healthy', FailingStreak: 0 });
    }
    const ms = (a: number, b: number) => Math.round((a - b) / 1e6);
    process.stderr.write(
      `voting-app e2e: redis healthy -> vote created ${ms(created.vote!, healthy.redis!)} ms; ` +
        `db healthy -> result created ${ms(created.result!, healthy.db!)} ms\n`,
    );
  });

  test('the ballot is served on 127.0.0.1:5000 and a new voter gets a voter_id cookie', async () => {
    const page = await waitFor(async () => {
      const r = await httpAnswer(`${VOTE_URL}/`);
      return r?.status === 200 ? r : undefined;
    }, 15_000);
    expect(page?.body).toContain('value="a"');
    expect(page?.body).toContain('value="b"');
    const first = await castVote(VOTE_URL, 'a');
    expect(first.status).toBeLessThan(400);
    expect(first.headers.get('set-cookie')).toMatch(/^voter_id=[0-9a-f]+/);
  });

  test('votes of several voters are counted on 127.0.0.1:5001, a changed vote counts once', async () => {
    // The voter without a cookie of the previous test counts as one vote for a.
    for (const [voter, vote] of [['voter-1', 'a'], ['voter-2', 'b'], ['voter-3', 'b']] as const) {
      expect((await castVote(VOTE_URL, vote, voter)).status).toBeLessThan(400);
    }
    const before = await waitForTally(RESULT_URL, { a: 2, b: 2, total: 4 });
    expect(before.last).toEqual({ a: 2, b: 2, total: 4 });
    recordTiming(STACK, 'votes counted', before.ms);

    const started = Date.now();
    expect((await castVote(VOTE_URL, 'a', 'voter-2')).status).toBeLessThan(400); // voter-2 changes b -> a
    const after = await waitForTally(RESULT_URL, { a: 3, b: 1, total: 4 });
    expect(after.last).toEqual({ a: 3, b: 1, total: 4 });
    recordTiming(STACK, 'changed vote counted', Date.now() - started);
  });

  test('result resolves db and opens a connection to it; a toolbox on the backend reaches db too', () => {
    const dbIp = containerIp('db', BACKEND);
    // result is a Debian image with python3: getent uses the container's resolver (Docker's embedded DNS).
    const getent = exec('result', ['getent', 'hosts', 'db']);
    expect(getent.code).toBe(0);
    expect(getent.stdout.split(/\s+/)[0]).toBe(dbIp);
    const connect = exec('result', [
      'python3',
      '-c',
      'import socket; socket.create_connection(("db", 5432), timeout=2).close(); print("connected")',
    ]);
    expect(connect.stdout.trim()).toBe('connected');

    const probe = startProbe('backend', BACKEND);
    probes.push(probe);
    expect(resolve(probe, 'db')).toEqual([dbIp]);
    expect(connects(probe, 'db', 5432)).toBe(true);
    expect(connects(probe, 'redis', 6379)).toBe(true);
  });

  test('a container on frontend-network alone reaches none of worker, redis and db', () => {
    const probe = startProbe('frontend', FRONTEND);
    probes.push(probe);
    // The probe works: vote and result, which are on the frontend, resolve and answer.
    expect(resolve(probe, 'vote')).toEqual([containerIp('vote', FRONTEND)]);
    expect(exec(probe, ['timeout', '3', 'wget', '-q', '-O', '/dev/null', 'http://result/results.json']).code).toBe(0);
    for (const service of ['worker', 'redis', 'db']) {
      expect(resolve(probe, service)).toEqual([]);
      expect(exec(probe, ['ping', '-c', '1', '-W', '1', containerIp(service, BACKEND)]).code).not.toBe(0);
    }
    expect(connects(probe, containerIp('redis', BACKEND), 6379)).toBe(false);
    expect(connects(probe, containerIp('db', BACKEND), 5432)).toBe(false);
    docker(['rm', '-f', probe]);
    expect(containerExists(probe)).toBe(false);
  });

  test('docker kill counts as a manual stop: unless-stopped does not bring the container back', async () => {
    // Why the next test kills the process from the host instead (checked on Docker 20.10).
    const name = `${PROBE_PREFIX}kill`;
    probes.push(name);
    docker(['rm', '-f', name]);
    dockerOk(['run', '-d', '--name', name, '--network', 'none', '--restart', 'unless-stopped', TOOLBOX]);
    dockerOk(['kill', '--signal', 'KILL', name]);
    await sleep(3_000);
    expect(inspectContainer(name)).toMatchObject({ RestartCount: 0, State: { Running: false } });
    docker(['rm', '-f', name]);
  });

  test('a crashed worker (its process killed with SIGKILL) is restarted and counts votes again', async () => {
    const before = inspectContainer('worker');
    // A real crash: the kernel kills the process, not the Docker API. `docker exec worker kill -9 1` does
    // nothing (PID 1 of a PID namespace ignores signals sent from inside it), `docker kill` is a manual stop.
    process.kill(before.State.Pid, 'SIGKILL');
    const started = Date.now();
    const back = await waitFor(() => {
      const now = inspectContainer('worker');
      return now.State.Running && now.RestartCount === before.RestartCount + 1 ? now : undefined;
    }, 30_000);
    expect(back).toBeDefined();
    expect(back!.State.Pid).not.toBe(before.State.Pid);
    recordTiming(STACK, 'worker back after SIGKILL', Date.now() - started);

    expect((await castVote(VOTE_URL, 'b', 'voter-4')).status).toBeLessThan(400);
    expect((await waitForTally(RESULT_URL, { a: 3, b: 2, total: 5 }, 20_000)).last).toEqual({ a: 3, b: 2, total: 5 });
  });

  test('the votes survive db being removed by hand: the next deploy recreates it on its volume', async () => {
    expect(docker(['rm', '-f', 'db']).code).toBe(0);
    const plan = parsePlan(assertSucceeded(await cdktf!.diff(STACK)).output);
    expect(plan).toMatchObject({ add: 1, change: 0, destroy: 0 });
    expect(plan.created).toEqual([expect.stringMatching(/^docker_container\.app_db_/)]);

    assertSucceeded(await cdktf!.deploy(STACK));
    expect(inspectContainer('db').State.Running).toBe(true);
    expect((await waitForTally(RESULT_URL, { a: 3, b: 2, total: 5 }, 30_000)).last).toEqual({ a: 3, b: 2, total: 5 });
  });

  test('the password is not in cdk.tf.json, not in any container configuration, and is in the Terraform state', () => {
    const json = fs.readFileSync(path.join(cdktf!.dir, 'cdktf.out', 'stacks', STACK, 'cdk.tf.json'), 'utf8');
    expect(json).not.toContain(PASSWORD);
    expect(json).toContain('${var.db_password}');
    // The whole `docker inspect` (env, command, labels, mounts), not only Config.Env.
    for (const service of SERVICES) expect(dockerOk(['container', 'inspect', service])).not.toContain(PASSWORD);
    // It reaches the containers that need it as a file.
    for (const service of ['db', 'result', 'worker']) {
      expect(exec(service, ['cat', '/run/secrets/db-password']).stdout).toBe(PASSWORD);
    }
    expect(deployOutput).not.toContain(PASSWORD);
    // Everything in the run folder that holds it: the state (the upload blocks), nothing else.
    const holders = filesContaining(cdktf!.dir, PASSWORD);
    expect(holders).toContain(path.join('state', `${STACK}.tfstate`));
    expect(holders.filter((f) => !f.startsWith(path.join('state', `${STACK}.tfstate`)))).toEqual([]);
    const state = fs.readFileSync(path.join(cdktf!.stateDir, `${STACK}.tfstate`), 'utf8');
    expect(state.split(PASSWORD).length - 1).toBe(3); // db, result and worker's upload content
    // The state files (and a backup, once there is one) are readable by their owner only.
    const modes = cdktf!.stateFileModes();
    expect(Object.keys(modes)).toContain(`${STACK}.tfstate`);
    for (const [file, mode] of Object.entries(modes)) expect(`${file} ${mode.toString(8)}`).toBe(`${file} 600`);
  });

  test('destroy leaves none of the containers and networks, and keeps the local images', async () => {
    // Any container Terraform did not create that is still on one of the networks makes the network's delete time
    // out after 30 s (the provider's wait) and the destroy fail.
    removeProbes();
    const destroy = assertSucceeded(await cdktf!.destroy(STACK));
    destroyed = true;
    recordTiming(STACK, 'destroy', destroy.ms);
    expect(destroy.output).toMatch(/Destroy complete! Resources: 13 destroyed/);
    expect(SERVICES.filter(containerExists)).toEqual([]);
    expect(docker(['volume', 'inspect', 'db-data']).code).not.toBe(0);
    expect([FRONTEND, BACKEND].filter(networkExists)).toEqual([]);
    expect(cdktf!.stateResources(STACK)).toEqual([]);
    expect(IMAGES.filter((image) => !imageExists(image))).toEqual([]);
  });
});
