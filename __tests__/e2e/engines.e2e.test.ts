/**
 * Deploy tier: one stack on two engines of the lab (`npm run lab`), __tests__/e2e/fixtures/engines-app.ts. The
 * swarm's manager is reached with the lab's certificate folder, a worker with the same material from sensitive
 * variables; an attachable overlay network made through the manager joins a standalone container on each engine,
 * and the two reach each other by name; both publish one host port, each on its own engine. Then the review of a
 * change names each object's engine, the change is deployed (a Swarm service on the manager, reached by name from
 * both containers), the diff is empty, and destroy leaves nothing on either engine.
 *
 * Where the lab cannot run on this machine (its preflight says what the kernel lacks) or a lab is up already, the
 * suite is skipped with that reason.
 *
 * REVIEW_CAPTURE=1 also writes the plans of the first deploy and of the change to
 * __tests__/ops/review/fixtures/engines-{deploy,change}.plan.json, the input of the review's golden tests (then
 * UPDATE_GOLDEN=1 npx jest __tests__/ops/review, and read the diff). The fixtures in the repository were made
 * without an engine: `terraform plan -refresh=false` with the provider's daemon check off (taken out of the JSON
 * again), engines-change against a state written from engines-deploy's planned values with made-up ids.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CdktfRun, PROJECT_ROOT, fixtureApp, parsePlan } from './support/cdktf';
import { describeDeploy } from './support/deploy-tier';
import { TOOLBOX_IMAGE } from './support/docker';
import { httpGet } from './support/http';
import { Lab, LabNode, labDown, labMissing, labUp, loadImage, nodeDocker } from './support/lab';
import { assertSucceeded } from './support/process';
import { PlanJson } from '../../ops/review/plan';
import { renderMarkdown } from '../../ops/review/markdown';
import { reviewPlan } from '../../ops/review/review';

const STACK = 'e2e-engines';
const PORT = 18080;
const CAPTURE = process.env.REVIEW_CAPTURE === '1';
const FIXTURES = path.join(PROJECT_ROOT, '__tests__', 'ops', 'review', 'fixtures');
const NAMES = ['e2e-eng-a', 'e2e-eng-b', 'e2e-eng-c', 'e2e-eng-old'];

/** Retries `probe` for up to `ms` (Swarm schedules tasks, the overlay's DNS learns names): the last answer. */
async function eventually<T>(probe: () => T | Promise<T>, ok: (value: T) => boolean, ms = 60_000): Promise<T> {
  const until = Date.now() + ms;
  let value = await probe();
  while (!ok(value) && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    value = await probe();
  }
  return value;
}

const missing = labMissing();
if (missing !== undefined) {
  describe('one stack on two engines of the lab', () => {
    test.skip(`SKIPPED, the two-engine deploy tier cannot run: ${missing}`, () => undefined);
  });
} else {
  describeDeploy('one stack on two engines of the lab', { images: [TOOLBOX_IMAGE] }, (toolchain) => {
    let lab: Lab;
    let manager: LabNode;
    let worker: LabNode;
    let cdktf: CdktfRun;
    let destroyed = false;

    const onNode = (node: LabNode, args: string[]) => nodeDocker(lab, node, args);
    const wget = (node: LabNode, container: string, url: string) =>
      onNode(node, ['exec', container, 'timeout', '3', 'wget', '-q', '-O', '-', url]).stdout;
    const leftovers = (node: LabNode) => [
      ...onNode(node, ['ps', '-a', '--filter', 'name=^e2e-eng-', '--format', '{{.Names}}']).stdout.split('\n'),
      ...onNode(node, ['network', 'ls', '--filter', 'name=^e2e-eng-', '--format', '{{.Name}}']).stdout.split('\n'),
    ].filter(Boolean);

    async function planJson(variant: string, fixture: string): Promise<PlanJson> {
      cdktf.setEnv({ E2E_VARIANT: variant });
      assertSucceeded(await cdktf.diff(STACK));
      const plan = (await cdktf.planJson(STACK)) as PlanJson;
      if (CAPTURE) {
        // As the review suite captures: no registry host, and the client's material stays out.
        const text = JSON.stringify(plan, null, 1)
          .replace(/"[a-z0-9.-]+\.[a-z]+\/(kreuzwerker\/docker|hashicorp\/[a-z]+)"/g, '"$1"')
          .replace(/("worker_(?:ca|cert|key)": \{\n\s*"value": )"[^"]*"/g, '$1"(the client\'s PEM, left out)"');
        fs.writeFileSync(path.join(FIXTURES, `${fixture}.plan.json`), `${text}\n`);
      }
      return plan;
    }

    beforeAll(async () => {
      lab = await labUp();
      manager = lab.manager;
      if (lab.workers.length === 0) throw new Error('npm run lab -- up named no node besides the manager; this suite needs two');
      worker = lab.workers[0];
      for (const node of [manager, worker]) {
        const state = onNode(node, ['info', '--format', '{{.Swarm.LocalNodeState}}']);
        if (state.code !== 0 || state.stdout !== 'active') {
          throw new Error(`the lab's engine ${node.host} does not answer as a swarm node with the lab's certificates: ${state.stderr || state.stdout}`);
        }
        // What an earlier run that was killed left behind.
        for (const name of NAMES) onNode(node, ['rm', '-f', name]);
        loadImage(lab, node, TOOLBOX_IMAGE);
      }
      onNode(manager, ['service', 'rm', 'e2e-eng-svc']);
      onNode(worker, ['network', 'rm', 'e2e-eng-local']);
      onNode(manager, ['network', 'rm', 'e2e-eng-mesh']);
      const pem = (file: string) => fs.readFileSync(path.join(lab.certPath, file), 'utf8');
      cdktf = new CdktfRun(toolchain, {
        name: STACK,
        app: fixtureApp('engines-app'),
        env: {
          ENGINES_MANAGER_HOST: manager.host,
          ENGINES_WORKER_HOST: worker.host,
          DOCKER_CERT_PATH: lab.certPath,
          TF_VAR_worker_ca: pem('ca.pem'),
          TF_VAR_worker_cert: pem('cert.pem'),
          TF_VAR_worker_key: pem('key.pem'),
          E2E_IMAGE: TOOLBOX_IMAGE,
          E2E_PORT: String(PORT),
        },
      });
      if (CAPTURE) await planJson('', 'engines-deploy');
      cdktf.setEnv({ E2E_VARIANT: '' });
      assertSucceeded(await cdktf.deploy(STACK));
    });

    afterAll(async () => {
      if (cdktf) {
        if (!destroyed) await cdktf.destroy(STACK);
        cdktf.cleanUp();
      }
      if (lab) await labDown();
    });

    test('each container runs on its own engine, its image taken onto that engine', () => {
      expect(onNode(manager, ['inspect', '--format', '{{.State.Running}}', 'e2e-eng-a']).stdout).toBe('true');
      expect(onNode(worker, ['inspect', '--format', '{{.State.Running}}', 'e2e-eng-b']).stdout).toBe('true');
      expect(onNode(worker, ['inspect', 'e2e-eng-a']).code).not.toBe(0);
      expect(onNode(manager, ['inspect', 'e2e-eng-b']).code).not.toBe(0);
    });

    test('over the attachable overlay network, each reaches the other by name, across the two engines', async () => {
      expect(await eventually(() => wget(worker, 'e2e-eng-b', 'http://e2e-eng-a:8080/'), (body) => body.length > 0)).toBe('hello from e2e-eng-a');
      expect(await eventually(() => wget(manager, 'e2e-eng-a', 'http://e2e-eng-b:8080/'), (body) => body.length > 0)).toBe('hello from e2e-eng-b');
    });

    test('both publish one host port, each on its own engine', async () => {
      expect(await httpGet(`http://${manager.address}:${PORT}/`)).toBe('hello from e2e-eng-a\n');
      expect(await httpGet(`http://${worker.address}:${PORT}/`)).toBe('hello from e2e-eng-b\n');
    });

    test('right after the deploy, the diff is empty', async () => {
      expect(parsePlan(assertSucceeded(await cdktf.diff(STACK)).output).noChanges).toBe(true);
    });

    test('the review of a change names the engine of each object, and the change deploys', async () => {
      const review = reviewPlan(await planJson('change', 'engines-change'), { stack: STACK });
      expect(review.engines.map((e) => [e.alias, e.host])).toEqual([
        ['manager', manager.host],
        ['worker', worker.host],
      ]);
      expect(review.changes.find((c) => c.name === 'e2e-eng-b')).toMatchObject({ action: 'replace', engine: { alias: 'worker' } });
      expect(review.changes.find((c) => c.name === 'e2e-eng-svc' && c.kind === 'service')?.engine?.alias).toBe('manager');
      expect(renderMarkdown(review)).toContain('| container | e2e-eng-b | worker | **replace** |');

      cdktf.setEnv({ E2E_VARIANT: 'change' });
      assertSucceeded(await cdktf.deploy(STACK));
      expect(await eventually(() => wget(worker, 'e2e-eng-b', 'http://e2e-eng-svc:8080/'), (body) => body.length > 0)).toBe('hello from e2e-eng-svc');
      expect(await eventually(() => wget(manager, 'e2e-eng-a', 'http://peer:8080/'), (body) => body.length > 0)).toBe('hello from e2e-eng-b');
      expect(onNode(worker, ['inspect', 'e2e-eng-old']).code).not.toBe(0);
      expect(parsePlan(assertSucceeded(await cdktf.diff(STACK)).output).noChanges).toBe(true);
    });

    test('destroy leaves nothing on either engine', async () => {
      assertSucceeded(await cdktf.destroy(STACK));
      destroyed = true;
      // `docker service rm` returns before Swarm has removed the tasks' containers, and a network goes after them.
      expect(await eventually(() => [...leftovers(manager), ...leftovers(worker)], (left) => left.length === 0, 30_000)).toEqual([]);
      expect(onNode(manager, ['service', 'ls', '--filter', 'name=e2e-eng-', '--format', '{{.Name}}']).stdout).toBe('');
      expect(cdktf.stateResources(STACK)).toEqual([]);
    });
  });
}
