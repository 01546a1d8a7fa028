/**
 * The review renderer against plan JSON captured from real deploys (__tests__/e2e/review.e2e.test.ts with
 * REVIEW_CAPTURE=1): each fixture's Markdown must equal its golden file, read by hand once when it was written.
 * After a deliberate change of the renderer: UPDATE_GOLDEN=1 npx jest __tests__/ops/review, then read the diff.
 */
import * as fs from 'fs';
import * as path from 'path';
import { renderMarkdown, renderMermaid, reviewMarker } from '../../../ops/review/markdown';
import { PlanJson } from '../../../ops/review/plan';
import { Review, reviewJson, reviewPlan } from '../../../ops/review/review';

const FIXTURES = path.join(__dirname, 'fixtures');
const STACKS: Record<string, string> = { 'segmentation-strict': 'voting-app', 'engines-deploy': 'e2e-engines', 'engines-change': 'e2e-engines' };

function load(name: string): { plan: PlanJson; review: Review } {
  const plan = JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.plan.json`), 'utf8')) as PlanJson;
  return { plan, review: reviewPlan(plan, { stack: STACKS[name] ?? 'e2e-changes' }) };
}

const change = (review: Review, name: string) => review.changes.find((c) => c.name === name)!;

describe('golden Markdown', () => {
  const names = fs
    .readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.plan.json'))
    .map((f) => f.replace(/\.plan\.json$/, ''))
    .sort();

  test('every captured change has a fixture', () => {
    expect(names).toEqual([
      'alias',
      'connect',
      'disconnect',
      'engines-change',
      'engines-deploy',
      'network-change',
      'no-changes',
      'port-change',
      'segmentation-strict',
    ]);
  });

  test.each(names)('%s', (name) => {
    const markdown = renderMarkdown(load(name).review);
    const golden = path.join(FIXTURES, `${name}.md`);
    if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(golden, markdown);
    expect(markdown).toBe(fs.readFileSync(golden, 'utf8'));
  });
});

describe('what the review says', () => {
  test('no changes: exit status 0, nothing listed, the marker first', () => {
    const { review } = load('no-changes');
    expect(review.hasChanges).toBe(false);
    expect(review.changes).toEqual([]);
    expect(renderMarkdown(review).split('\n')[0]).toBe(reviewMarker('e2e-changes'));
  });

  test('connect: the container is replaced because of networks_advanced, and becomes reachable from the probe', () => {
    const { review } = load('connect');
    expect(review.hasChanges).toBe(true);
    expect(review.counts).toMatchObject({ create: 0, update: 0, replace: 1, delete: 0 });
    expect(change(review, 'e2e-chg-app')).toMatchObject({ kind: 'container', action: 'replace', forcedBy: [expect.objectContaining({ path: 'networks_advanced' })] });
    expect(change(review, 'e2e-chg-app').consequences).toContain(
      'the container is removed and created again: its processes restart and its open connections drop',
    );
    expect(review.reachability.added).toEqual([{ a: 'e2e-chg-app', b: 'e2e-chg-probe', networks: ['e2e-chg-b'] }]);
  });

  test('alias: the new alias is in the topology after the change, on network b only', () => {
    const app = load('alias').review.after.containers.find((c) => c.name === 'e2e-chg-app')!;
    expect(app.networks.map((n) => [n.networkName, n.aliases, n.ipv4Address])).toEqual([
      ['e2e-chg-a', [], undefined],
      ['e2e-chg-b', ['svc'], undefined],
    ]);
  });

  test('disconnect: the pair stops being reachable', () => {
    expect(load('disconnect').review.reachability.removed).toEqual([{ a: 'e2e-chg-app', b: 'e2e-chg-probe', networks: ['e2e-chg-b'] }]);
  });

  test('a network change lists the containers recreated with the network, and the container says why', () => {
    const { review } = load('network-change');
    expect(change(review, 'e2e-chg-a').consequences[0]).toMatch(/every container on it with it: e2e-chg-app/);
    expect(change(review, 'e2e-chg-app').forcedBy[0].detail).toBe(
      'e2e-chg-a → e2e-chg-a; follows the replaced network e2e-chg-a (its id known only after the apply)',
    );
  });

  test('a port change names the old and the new host port', () => {
    const app = change(load('port-change').review, 'e2e-chg-app');
    expect(app.forcedBy.map((f) => f.detail).join('\n')).toMatch(/^\d+ → \d+$/m);
  });

  test('segmentation: the data stores stop sharing a network with what they do not serve', () => {
    const { review } = load('segmentation-strict');
    const removed = review.reachability.removed.map((p) => `${p.a}<->${p.b}`);
    expect(removed).toEqual(expect.arrayContaining(['db<->vote', 'redis<->result', 'db<->redis']));
    expect(review.reachability.added).toEqual([]);
  });
});

describe('a change on two engines: the review says which engine each object is on', () => {
  // fixtures/engines-*.plan.json: see __tests__/e2e/engines.e2e.test.ts for how they are made.
  const { review } = load('engines-change');

  test('lists the engines with their hosts, and each change with its engine', () => {
    expect(review.engines).toEqual([
      { key: 'docker.manager', alias: 'manager', host: 'tcp://10.99.0.2:2376' },
      { key: 'docker.worker', alias: 'worker', host: 'tcp://10.99.0.3:2376' },
    ]);
    expect(review.changes.map((c) => [c.name, c.action, c.engine?.alias])).toEqual([
      ['e2e-eng-local', 'create', 'worker'],
      ['e2e-eng-b', 'replace', 'worker'],
      ['e2e-eng-c', 'create', 'worker'],
      ['e2e-eng-old', 'delete', undefined],
      ['voting-app-local/toolbox:local', 'create', 'worker'],
      ['voting-app-local/toolbox:local', 'delete', undefined],
      ['docker_service e2e-eng-svc', 'create', 'manager'],
    ]);
  });

  test('a Swarm service: the manager it is created through, and nothing of the nodes, which are Swarm\'s to pick', () => {
    expect(change(review, 'docker_service e2e-eng-svc').consequences).toEqual([
      "it is created through engine manager, a manager of its swarm; which nodes run its tasks is Swarm's choice at run time " +
        '(no placement constraint), and no plan says it',
    ]);
  });

  test('a deleted object: the plan does not name its engine, and the review says so', () => {
    expect(change(review, 'e2e-eng-old').consequences).toContain(
      "the plan does not name its engine: Terraform's plan JSON names the provider configuration only of what the code still has",
    );
  });

  test('containers on two engines reach each other over the overlay network they share, and the new service with them', () => {
    expect(review.reachability.added).toEqual([
      { a: 'e2e-eng-a', b: 'e2e-eng-svc', networks: ['e2e-eng-mesh'] },
      { a: 'e2e-eng-b', b: 'e2e-eng-svc', networks: ['e2e-eng-mesh'] },
    ]);
  });

  test('a stack on one engine is reviewed without a word of engines', () => {
    const single = load('connect').review;
    expect(single.engines).toEqual([]);
    expect(single.changes.every((c) => c.engine === undefined)).toBe(true);
    expect(renderMarkdown(single)).not.toMatch(/engine \||Engines:/);
  });
});

describe('a Swarm change: the review reads services from the model', () => {
  // Written by hand in the shape of `terraform show -json`: see __tests__/analysis/docker-model.test.ts.
  const swarmPlan = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'analysis', 'fixtures', 'swarm.plan.json'), 'utf8')) as PlanJson;
  const review = reviewPlan(swarmPlan, { stack: 'voting-app' });

  test('draws services inside their overlay networks, with the ports they publish', () => {
    const mermaid = renderMermaid(review.after);
    expect(mermaid).toContain('subgraph n0["network backend-network"]');
    expect(mermaid).toMatch(/subgraph n\d+\["\+ network metrics-network"\]\n {4}n\d+\["\+ result<br\/>published 0\.0\.0\.0:5001 → 80\/tcp"\]/);
    expect(mermaid).toContain('["~ vote<br/>published 0.0.0.0:5000 → 80/tcp"]');
    expect(mermaid).not.toContain(':::empty');
  });

  test('the new service becomes reachable from the services on its networks', () => {
    expect(review.reachability.added).toEqual([
      { a: 'db', b: 'result', networks: ['backend-network'] },
      { a: 'result', b: 'worker', networks: ['backend-network'] },
    ]);
  });

  test('runs on services only the rules for services', () => {
    const rules = new Set(review.findings.added.map((f) => f.ruleId));
    expect(rules.has('DKR6')).toBe(true);
    for (const containerOnly of ['DKR1', 'DKR2', 'DKR12', 'DKR15']) expect(rules.has(containerOnly)).toBe(false);
  });
});

describe('values a review never shows', () => {
  const plan = (before: unknown, after: unknown, sensitive = false): PlanJson => ({
    format_version: '1.2',
    // The values of each side, as `terraform show -json` gives them with the change.
    prior_state: { values: { root_module: { resources: [state(before)] } } },
    planned_values: { root_module: { resources: [state(after)] } },
    resource_changes: [
      {
        address: 'docker_container.db',
        mode: 'managed',
        type: 'docker_container',
        name: 'db',
        change: {
          actions: ['delete', 'create'],
          before: { name: 'db', env: before, networks_advanced: [] },
          after: { name: 'db', env: after, networks_advanced: [] },
          after_unknown: {},
          replace_paths: [['env']],
          ...(sensitive ? { after_sensitive: { env: true } } : {}),
        } as never,
      },
    ],
  }) as PlanJson;
  const state = (env: unknown) => ({
    address: 'docker_container.db',
    mode: 'managed',
    type: 'docker_container',
    name: 'db',
    values: { name: 'db', env, networks_advanced: [] },
  });

  test('an environment change is named, its values are not', () => {
    const markdown = renderMarkdown(reviewPlan(plan(['PASSWORD=old-secret'], ['PASSWORD=new-secret']), { stack: 's' }));
    expect(markdown).toContain('forced by `env`: changed (value not shown)');
    expect(markdown).not.toMatch(/old-secret|new-secret/);
  });

  test('the review as JSON leaves out the environment', () => {
    const json = reviewJson(reviewPlan(plan(['PASSWORD=old-secret'], ['PASSWORD=new-secret']), { stack: 's' }));
    expect(JSON.parse(json).after.containers[0].name).toBe('db');
    expect(json).not.toMatch(/old-secret|new-secret/);
  });
});
