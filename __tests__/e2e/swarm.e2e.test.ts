/**
 * Deploy tier for the voting app on Docker Swarm (Orchestrator.SWARM), on a single-node swarm: `cdktf deploy` of
 * the `voting-app` stack with the local images and host-mode publishing, then what this engine can prove:
 * votes cast on 127.0.0.1:5000 are counted on 127.0.0.1:5001; redis and db resolve on the backend overlay and
 * `tasks.worker` lists both worker tasks; a container on the frontend overlay alone reaches no backend service; the
 * password reaches the tasks as a Swarm secret file; a rolling update of worker (2 replicas, start-first) never
 * drops below two running tasks and touches no other service; the diff right after a deploy is empty; destroy
 * leaves nothing, and the engine leaves the swarm only if this suite put it there.
 *
 * What needs the kernel's IPVS (a service's virtual IP, the ingress routing mesh, an update behind the mesh without
 * a failed request) is in its own tests, which report themselves skipped, with that reason, where IPVS is missing.
 */
import { randomBytes } from 'crypto';
import { CdktfRun, fixtureApp, parsePlan } from './support/cdktf';
import { describeDeploy } from './support/deploy-tier';
import { docker, dockerOk, exec, imageExists, networkExists, resolve } from './support/docker';
import { httpAnswer } from './support/http';
import { assertSucceeded } from './support/process';
import {
  hasIpvs,
  isSwarmManager,
  runningTasks,
  secretExists,
  serviceExists,
  serviceVersion,
  swarmState,
  taskContainers,
  taskIp,
} from './support/swarm';
import { recordTiming } from './support/timings';
import { castVote, waitFor, waitForTally } from './support/voting';
import { LOCAL_IMAGES } from '../../stacks/images';

const STACK = 'voting-app';
const SUITE = 'voting-app-swarm';
const IMAGES = Object.values(LOCAL_IMAGES);
const TOOLBOX = LOCAL_IMAGES.toolbox;
const FRONTEND = 'frontend-network';
const BACKEND = 'backend-network';
const SERVICES = ['vote', 'result', 'worker', 'redis', 'db'] as const;
const VOTE_URL = 'http://127.0.0.1:5000';
const RESULT_URL = 'http://127.0.0.1:5001';
const PROBE_PREFIX = 'swarm-e2e-';
const PASSWORD = `swarm-e2e-${randomBytes(18).toString('base64url')}`;
const WAIT_FOR_ENGINE_MS = Number(process.env.VOTING_APP_E2E_WAIT_SECONDS ?? 420) * 1000;
/** Upper bound of the samples taken during the rolling update (one every 250 ms or so: at most ~5 minutes). */
const MAX_SAMPLES = 1200;
const IPVS = hasIpvs();
const NO_IPVS = 'SKIPPED, needs IPVS (the ip_vs kernel module: no /sys/module/ip_vs, /proc/net/ip_vs or ip_vs in /proc/modules)';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What of the app's names and ports is taken on the engine right now (by anyone). */
function occupied(): string[] {
  const taken: string[] = [...[FRONTEND, BACKEND].filter(networkExists).map((n) => `network ${n}`)];
  if (swarmState() === 'active') {
    taken.push(...SERVICES.filter(serviceExists).map((s) => `service ${s}`));
    if (secretExists('db-password')) taken.push('secret db-password');
  }
  if (docker(['volume', 'inspect', 'db-data']).code === 0) taken.push('volume db-data');
  const ports = docker(['ps', '--format', '{{.Names}} {{.Ports}}']).stdout;
  for (const port of [5000, 5001]) {
    const holder = ports.split('\n').find((line) => line.includes(`:${port}->`));
    if (holder) taken.push(`host port ${port} (${holder.split(' ')[0]})`);
  }
  return taken;
}

/** A toolbox container of this suite on one (attachable) overlay network. */
function startProbe(name: string, network: string): string {
  const full = `${PROBE_PREFIX}${name}`;
  docker(['rm', '-f', full]);
  dockerOk(['run', '-d', '--name', full, '--network', network, '--label', 'created-by=swarm.e2e', TOOLBOX]);
  return full;
}

function connects(container: string, host: string, port: number): boolean {
  return exec(container, ['sh', '-c', `nc -w2 ${host} ${port} </dev/null`]).code === 0;
}

describeDeploy(`${STACK} on a single-node swarm`, { images: IMAGES }, (toolchain) => {
  let cdktf: CdktfRun | undefined;
  let deployOutput = '';
  let destroyed = false;
  let swarmInitialisedHere = false;
  /** `docker swarm init` creates docker_gwbridge, and `swarm leave` keeps it: removed again if the suite made it. */
  let gwbridgeBefore = true;
  const leaveSwarm = () => {
    docker(['swarm', 'leave', '--force'], 60_000);
    if (!gwbridgeBefore) docker(['network', 'rm', 'docker_gwbridge']);
  };
  const probes: string[] = [];

  beforeAll(async () => {
    let taken = occupied();
    if (taken.length > 0) {
      process.stderr.write(`swarm e2e: waiting up to ${WAIT_FOR_ENGINE_MS / 1000}s for ${taken.join(', ')}\n`);
      await waitFor(() => ((taken = occupied()).length === 0 ? true : undefined), WAIT_FOR_ENGINE_MS, 5_000);
    }
    if (taken.length > 0) {
      throw new Error(`the voting app's names or ports are taken on this engine (${taken.join(', ')}); destroy that deploy first`);
    }
    const state = swarmState();
    gwbridgeBefore = networkExists('docker_gwbridge');
    if (state === 'inactive') {
      dockerOk(['swarm', 'init', '--advertise-addr', '127.0.0.1'], 60_000);
      swarmInitialisedHere = true;
      process.stderr.write('swarm e2e: the engine was in no swarm; initialised a single-node swarm (left again at the end)\n');
    } else if (state !== 'active' || !isSwarmManager()) {
      throw new Error(`the engine's swarm state is ${state}${state === 'active' ? ' (a worker)' : ''}; the suite needs a manager or no swarm`);
    }
    cdktf = new CdktfRun(toolchain, {
      name: SUITE,
      app: fixtureApp('swarm-app'),
      env: { VOTING_APP_SWARM_PUBLISH: 'host', TF_VAR_db_password: PASSWORD, E2E_VARIANT: '' },
    });
    const deploy = assertSucceeded(await cdktf.deploy(STACK));
    deployOutput = deploy.output;
    recordTiming(SUITE, 'deploy', deploy.ms);
  }, WAIT_FOR_ENGINE_MS + 600_000);

  const removeProbes = () => {
    for (const probe of probes.splice(0)) docker(['rm', '-f', probe]);
  };

  afterAll(async () => {
    removeProbes();
    if (cdktf) {
      if (!destroyed) await cdktf.destroy(STACK);
      cdktf.cleanUp();
    }
    if (swarmInitialisedHere && swarmState() === 'active') leaveSwarm();
  });

  test('the apply succeeded: 2 networks, a volume, a secret and 5 services', () => {
    expect(deployOutput).toMatch(/Apply complete! Resources: 9 added, 0 changed, 0 destroyed/);
    expect(cdktf!.stateResources(STACK).map((r) => r.split('.')[0]).sort()).toEqual([
      'docker_network',
      'docker_network',
      'docker_secret',
      'docker_service',
      'docker_service',
      'docker_service',
      'docker_service',
      'docker_service',
      'docker_volume',
    ]);
  });

  test('right after deploy, cdktf diff reports no changes', async () => {
    const diff = assertSucceeded(await cdktf!.diff(STACK));
    recordTiming(SUITE, 'no-op diff', diff.ms);
    expect(parsePlan(diff.output)).toMatchObject({ noChanges: true, add: 0, change: 0, destroy: 0 });
  });

  test('every service runs its tasks: worker two, the others one each', async () => {
    const want: Record<string, number> = { vote: 1, result: 1, worker: 2, redis: 1, db: 1 };
    const all = await waitFor(() => (SERVICES.every((s) => runningTasks(s) === want[s]) ? true : undefined), 60_000, 1_000);
    expect(Object.fromEntries(SERVICES.map((s) => [s, runningTasks(s)]))).toEqual(want);
    expect(all).toBe(true);
  });

  test('votes cast on 127.0.0.1:5000 (host-mode publishing) are counted on 127.0.0.1:5001', async () => {
    const page = await waitFor(async () => {
      const r = await httpAnswer(`${VOTE_URL}/`);
      return r?.status === 200 ? r : undefined;
    }, 60_000, 1_000);
    expect(page?.body).toContain('value="a"');
    for (const [voter, vote] of [['voter-1', 'a'], ['voter-2', 'b'], ['voter-3', 'b']] as const) {
      expect((await castVote(VOTE_URL, vote, voter)).status).toBeLessThan(400);
    }
    const counted = await waitForTally(RESULT_URL, { a: 1, b: 2, total: 3 }, 60_000);
    expect(counted.last).toEqual({ a: 1, b: 2, total: 3 });
    recordTiming(SUITE, 'votes counted', counted.ms);
  });

  test('redis and db resolve on the backend overlay; tasks.worker lists both worker tasks', () => {
    const probe = startProbe('backend', BACKEND);
    probes.push(probe);
    const ipsOf = (service: string) => taskContainers(service).map((c) => taskIp(c, BACKEND)).sort();
    // dnsrr: the names answer with the tasks' own addresses.
    expect(resolve(probe, 'redis')).toEqual(ipsOf('redis'));
    expect(resolve(probe, 'db')).toEqual(ipsOf('db'));
    expect(connects(probe, 'redis', 6379)).toBe(true);
    expect(connects(probe, 'db', 5432)).toBe(true);
    const workers = ipsOf('worker');
    expect(workers).toHaveLength(2);
    expect(resolve(probe, 'tasks.worker').sort()).toEqual(workers);
  });

  test('a container on the frontend overlay alone reaches no backend service', () => {
    const probe = startProbe('frontend', FRONTEND);
    probes.push(probe);
    // The probe works: vote answers on the frontend.
    expect(resolve(probe, 'vote')).toHaveLength(1);
    for (const service of ['worker', 'redis', 'db']) {
      expect(resolve(probe, service)).toEqual([]);
      expect(resolve(probe, `tasks.${service}`)).toEqual([]);
    }
    // No address on the backend overlay: the probe has no way onto it. (No packet is sent to a backend address: from
    // an overlay member it would leave through docker_gwbridge and the host's default route, off this machine.)
    const backendSubnet = dockerOk(['network', 'inspect', '--format', '{{(index .IPAM.Config 0).Subnet}}', BACKEND]);
    const probeNetworks = Object.keys(JSON.parse(dockerOk(['inspect', '--format', '{{json .NetworkSettings.Networks}}', probe])));
    expect(probeNetworks.sort()).toEqual([FRONTEND]);
    const prefix = backendSubnet.split('/')[0].split('.').slice(0, 3).join('.') + '.';
    const addresses = exec(probe, ['sh', '-c', "ip -4 -o addr | awk '{print $4}'"]).stdout;
    expect(addresses).not.toContain(prefix);
  });

  test('the password reaches db, result and worker as a Swarm secret file, and is in no service spec', () => {
    for (const service of ['db', 'result', 'worker']) {
      for (const container of taskContainers(service)) {
        expect(exec(container, ['cat', '/run/secrets/db-password']).stdout).toBe(PASSWORD);
      }
    }
    for (const service of SERVICES) expect(dockerOk(['service', 'inspect', service])).not.toContain(PASSWORD);
    expect(dockerOk(['secret', 'inspect', 'db-password'])).not.toContain(PASSWORD);
  });

  test('a rolling update of worker (start-first) never drops below two running tasks and touches only worker', async () => {
    const others = ['vote', 'result', 'redis', 'db'] as const;
    const versionsBefore = Object.fromEntries(others.map((s) => [s, serviceVersion(s)]));
    const workerBefore = taskContainers('worker').sort();
    cdktf!.setEnv({ E2E_VARIANT: 'rollout' });

    const plan = parsePlan(assertSucceeded(await cdktf!.diff(STACK)).output);
    expect(plan).toMatchObject({ add: 0, change: 1, destroy: 0 });
    expect(plan.updated).toEqual([expect.stringMatching(/^docker_service\.app_worker_/)]);

    let done = false;
    const deploying = cdktf!.deploy(STACK).finally(() => {
      done = true;
    });
    const samples: number[] = [];
    while (!done && samples.length < MAX_SAMPLES) {
      samples.push(runningTasks('worker'));
      await sleep(250);
    }
    const deploy = assertSucceeded(await deploying);
    recordTiming(SUITE, 'rolling update of worker', deploy.ms);
    process.stderr.write(`swarm e2e: ${samples.length} samples of running worker tasks during the update: min ${Math.min(...samples)}, max ${Math.max(...samples)}\n`);

    expect(samples.length).toBeGreaterThan(0);
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(2);
    // The update did replace both tasks (new containers), one at a time with the new one first.
    const workerAfter = taskContainers('worker').sort();
    expect(workerAfter).toHaveLength(2);
    expect(workerAfter.filter((c) => workerBefore.includes(c))).toEqual([]);
    // Start-first: a new task ran beside the old ones (an old one keeps running through its stop grace period).
    expect(Math.max(...samples)).toBeGreaterThanOrEqual(3);
    expect(Object.fromEntries(others.map((s) => [s, serviceVersion(s)]))).toEqual(versionsBefore);
    const env = dockerOk(['service', 'inspect', '--format', '{{json .Spec.TaskTemplate.ContainerSpec.Env}}', 'worker']);
    expect(env).toContain('E2E_ROLLOUT=1');
    // The votes still count after the update.
    expect((await castVote(VOTE_URL, 'a', 'voter-4')).status).toBeLessThan(400);
    expect((await waitForTally(RESULT_URL, { a: 2, b: 2, total: 4 }, 60_000)).last).toEqual({ a: 2, b: 2, total: 4 });
  });

  describe('what needs IPVS', () => {
    const ipvsTest = IPVS ? test : test.skip;
    const name = (what: string) => (IPVS ? what : `${NO_IPVS}: ${what}`);

    ipvsTest(name('a service with a virtual IP answers by its name'), () => {
      // vote in ingress mode has a virtual IP; in this suite's host-mode deploy no service has one, so make one.
      const probe = startProbe('vip', BACKEND);
      probes.push(probe);
      dockerOk(['service', 'create', '--detach=false', '--name', 'swarm-e2e-vip', '--network', BACKEND, TOOLBOX, 'httpd', '-f', '-p', '8080', '-h', '/']);
      try {
        expect(resolve(probe, 'swarm-e2e-vip')).toHaveLength(1);
        expect(connects(probe, 'swarm-e2e-vip', 8080)).toBe(true);
      } finally {
        docker(['service', 'rm', 'swarm-e2e-vip']);
      }
    });

    ipvsTest(name('a port published through the ingress routing mesh answers on 127.0.0.1'), async () => {
      dockerOk(['service', 'create', '--detach=false', '--name', 'swarm-e2e-mesh', '--publish', 'published=18089,target=8080', TOOLBOX, 'httpd', '-f', '-p', '8080', '-h', '/']);
      try {
        expect(await waitFor(() => httpAnswer('http://127.0.0.1:18089/'), 30_000, 1_000)).toBeDefined();
      } finally {
        docker(['service', 'rm', 'swarm-e2e-mesh']);
      }
    });

    ipvsTest(name('an update of a 2-replica service behind the mesh fails no request'), async () => {
      dockerOk(['service', 'create', '--detach=false', '--name', 'swarm-e2e-roll', '--replicas', '2', '--update-order', 'start-first', '--publish', 'published=18090,target=8080', TOOLBOX, 'httpd', '-f', '-p', '8080', '-h', '/']);
      try {
        let done = false;
        const updating = new Promise<void>((resolveUpdate) => {
          setImmediate(() => {
            docker(['service', 'update', '--detach=false', '--env-add', 'ROLL=1', 'swarm-e2e-roll'], 180_000);
            done = true;
            resolveUpdate();
          });
        });
        const failures: number[] = [];
        for (let i = 0; i < 600 && !done; i++) {
          if (!(await httpAnswer('http://127.0.0.1:18090/'))) failures.push(i);
          await sleep(100);
        }
        await updating;
        expect(failures).toEqual([]);
      } finally {
        docker(['service', 'rm', 'swarm-e2e-roll']);
      }
    });
  });

  test('destroy leaves no service, secret, network, volume or task; the engine leaves the swarm only if the suite put it there', async () => {
    removeProbes();
    const destroy = assertSucceeded(await cdktf!.destroy(STACK));
    destroyed = true;
    recordTiming(SUITE, 'destroy', destroy.ms);
    expect(destroy.output).toMatch(/Destroy complete! Resources: 9 destroyed/);
    expect(SERVICES.filter(serviceExists)).toEqual([]);
    expect(secretExists('db-password')).toBe(false);
    expect(docker(['volume', 'inspect', 'db-data']).code).not.toBe(0);
    expect(cdktf!.stateResources(STACK)).toEqual([]);
    // Swarm removes the tasks' containers after the service; bounded wait.
    const gone = await waitFor(() => (SERVICES.every((s) => taskContainers(s).length === 0) ? true : undefined), 60_000, 1_000);
    expect(gone).toBe(true);
    const networksGone = await waitFor(() => ([FRONTEND, BACKEND].some(networkExists) ? undefined : true), 30_000, 1_000);
    expect(networksGone).toBe(true);
    expect(IMAGES.filter((image) => !imageExists(image))).toEqual([]);

    if (swarmInitialisedHere) {
      leaveSwarm();
      expect(swarmState()).toBe('inactive');
      expect(networkExists('docker_gwbridge')).toBe(gwbridgeBefore);
    } else {
      expect(swarmState()).toBe('active');
    }
  });
});
