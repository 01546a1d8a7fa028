/**
 * Deploy tier for the reachability model (issue 5): deploys the voting app in both layouts with the local images
 * (fixtures/reachability-app.ts: name prefix `reach-`, ports 15000/15001, so it does not collide with a deployed
 * `voting-app` stack) and checks, from inside each container's network namespace, that the real engine lets exactly the pairs
 * reach each other that `Reachability.pairs()` computes from the synthesized stack, and that each needed flow finds
 * its server under the name the app uses (`redis`, `db`).
 *
 * The probe is a throwaway toolbox container started in the network namespace of the container under test
 * (`--network container:<name>`): it pings every address of every other container, so no tool has to exist in the
 * app images and no container that drops its capabilities is touched.
 */
import { Testing } from 'cdktf';
import { Reachability, Segmentation } from '../../lib';
import { LOCAL_IMAGES } from '../../stacks/images';
import { PREFIX, ReachabilityStack, STACK } from './fixtures/reachability-app';
import { CdktfRun, fixtureApp, parsePlan } from './support/cdktf';
import { describeDeploy } from './support/deploy-tier';
import { docker, inspectContainer } from './support/docker';
import { assertSucceeded } from './support/process';
import { recordTiming } from './support/timings';
import { castVote, waitForTally } from './support/voting';

const VOTE_URL = 'http://127.0.0.1:15000';
const RESULT_URL = 'http://127.0.0.1:15001';
const ROLES = ['vote', 'result', 'worker', 'redis', 'db'];
const SERVICES = ROLES.map((role) => `${PREFIX}${role}`);
const IMAGES = [LOCAL_IMAGES.vote, LOCAL_IMAGES.result, LOCAL_IMAGES.worker, LOCAL_IMAGES.redis, LOCAL_IMAGES.db, LOCAL_IMAGES.toolbox];

/** `db<->vote` for the containers `reach-vote` and `reach-db`: role names in a fixed order. */
function pairKey(a: string, b: string): string {
  return [a, b]
    .map((name) => name.slice(PREFIX.length))
    .sort()
    .join('<->');
}

/** The pairs the model says can reach each other, from the same stack the deploy synthesizes. */
function modelPairs(segmentation: Segmentation): string[] {
  const stack = new ReachabilityStack(Testing.app(), STACK, segmentation);
  return Reachability.of(stack)
    .pairs()
    .map((p) => pairKey(p.a.name, p.b.name))
    .sort();
}

/** Runs `script` with busybox sh in the network namespace of `container`. */
function inNamespaceOf(container: string, script: string): string {
  const result = docker(
    ['run', '--rm', '--network', `container:${container}`, '--entrypoint', 'sh', LOCAL_IMAGES.toolbox, '-c', script],
    60_000,
  );
  if (result.code !== 0) throw new Error(`probe in ${container} failed (${result.code}): ${result.stderr.trim()}`);
  return result.stdout;
}

/** The pairs the engine lets through: some address of the target answers a ping from the source's namespace. */
function enginePairs(): string[] {
  const addresses = Object.fromEntries(
    SERVICES.map((name) => [name, Object.values(inspectContainer(name).NetworkSettings.Networks).map((n) => n.IPAddress)]),
  );
  const pairs = new Set<string>();
  for (const from of SERVICES) {
    const targets = SERVICES.filter((to) => to !== from).flatMap((to) => addresses[to].map((ip) => `${to}=${ip}`));
    const script = `for t in ${targets.join(' ')}; do ping -c 1 -W 1 "\${t#*=}" >/dev/null 2>&1 && echo "\${t%%=*}"; done; true`;
    for (const to of inNamespaceOf(from, script).split('\n').filter(Boolean)) pairs.add(pairKey(from, to));
  }
  return [...pairs].sort();
}

/** Whether `name` resolves through Docker's embedded DNS inside the namespace of `container`. */
function resolvesIn(container: string, name: string): boolean {
  return inNamespaceOf(container, `nslookup ${name} >/dev/null 2>&1 && echo yes || echo no`).trim() === 'yes';
}

function deployLayout(segmentation: Segmentation, expectedPairs: string[], unresolvable: [string, string][] = []): void {
  describeDeploy(`voting app (${segmentation.name} layout) reachability on a real engine`, { images: IMAGES }, (toolchain) => {
    let cdktf: CdktfRun;

    beforeAll(async () => {
      cdktf = new CdktfRun(toolchain, {
        name: `reach-${segmentation.name}`,
        app: fixtureApp('reachability-app'),
        env: { E2E_SEGMENTATION: segmentation.name },
      });
      const deploy = assertSucceeded(await cdktf.deploy(STACK));
      recordTiming(`${STACK}-${segmentation.name}`, 'deploy', deploy.ms);
    });

    afterAll(async () => {
      if (!cdktf) return;
      await cdktf.destroy(STACK);
      cdktf.cleanUp();
    });

    test('right after deploy, cdktf diff reports no changes (the hardening and the icc option read back as written)', async () => {
      const diff = assertSucceeded(await cdktf.diff(STACK));
      expect(parsePlan(diff.output)).toMatchObject({ noChanges: true, add: 0, change: 0, destroy: 0 });
    });

    test('the model computes the expected pairs', () => {
      expect(modelPairs(segmentation)).toEqual(expectedPairs);
    });

    test('the engine lets exactly the pairs through that the model computes', () => {
      expect(enginePairs()).toEqual(modelPairs(segmentation));
    });

    test.each([
      ['vote', 'redis'],
      ['worker', 'redis'],
      ['worker', 'db'],
      ['result', 'db'],
    ])('%s finds %s by the name the app uses', (client, server) => {
      expect(resolvesIn(`${PREFIX}${client}`, server)).toBe(true);
    });

    test('a vote cast on the vote page shows up on the result page (the hardened containers work)', async () => {
      expect((await castVote(VOTE_URL, 'b', 'e2e-reachability-1')).ok).toBe(true);
      expect((await waitForTally(RESULT_URL, { a: 0, b: 1, total: 1 }, 60_000)).last).toEqual({ a: 0, b: 1, total: 1 });
    });

    if (unresolvable.length > 0) {
      test.each(unresolvable)('%s cannot even resolve %s', (client, server) => {
        expect(resolvesIn(`${PREFIX}${client}`, server)).toBe(false);
      });
    }
  });
}

// Upstream's layout: everything meets on the backend network; vote and result also share the frontend.
deployLayout(Segmentation.SHARED_BACKEND, [
  'db<->redis',
  'db<->result',
  'db<->vote',
  'db<->worker',
  'redis<->result',
  'redis<->vote',
  'redis<->worker',
  'result<->vote',
  'result<->worker',
  'vote<->worker',
]);

// One network per needed flow, and a frontend whose bridge drops traffic between vote and result.
deployLayout(
  Segmentation.STRICT,
  ['db<->result', 'db<->worker', 'redis<->vote', 'redis<->worker'],
  [
    ['vote', 'db'],
    ['result', 'redis'],
  ],
);
