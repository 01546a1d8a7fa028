/**
 * The review renderer against plan JSON captured from real deploys (__tests__/e2e/review.e2e.test.ts with
 * REVIEW_CAPTURE=1): each fixture's Markdown must equal its golden file, read by hand once when it was written.
 * After a deliberate change of the renderer: UPDATE_GOLDEN=1 npx jest __tests__/ops/review, then read the diff.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  COMMENT_LIMIT,
  MERMAID_LIMIT,
  renderComments,
  renderMarkdown,
  renderMermaid,
  reviewMarker,
  reviewPartMarker,
} from '../../../ops/review/markdown';
import { PlanJson } from '../../../ops/review/plan';
import { Review, reviewJson, reviewPlan } from '../../../ops/review/review';

const FIXTURES = path.join(__dirname, 'fixtures');
const STACKS: Record<string, string> = { 'segmentation-strict': 'voting-app', 'engines-deploy': 'e2e-engines', 'engines-change': 'e2e-engines' };

/**
 * The review of a captured plan: of the test app `e2e-changes`, or of the voting app (its switch of segmentation, and
 * the `swarm-*` changes of its Swarm layout, captured on this machine, which has no IPVS).
 */
function load(name: string): { plan: PlanJson; review: Review } {
  const plan = JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.plan.json`), 'utf8')) as PlanJson;
  const swarm = name.startsWith('swarm-');
  const stack = swarm ? 'voting-app' : (STACKS[name] ?? 'e2e-changes');
  return { plan, review: reviewPlan(plan, { stack, ipvs: swarm ? false : undefined }) };
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
      'swarm-network-change',
      'swarm-publish-ingress',
      'swarm-rolling-update',
      'swarm-scale-down',
      'swarm-scale-up',
      'swarm-secret-rotation',
      'swarm-secret-rotation-new-name',
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
    expect(review.reachability.added).toMatchObject([{ a: 'e2e-chg-app', b: 'e2e-chg-probe', networks: ['e2e-chg-b'] }]);
  });

  test('alias: the new alias is in the topology after the change, on network b only', () => {
    const app = load('alias').review.after.containers.find((c) => c.name === 'e2e-chg-app')!;
    expect(app.networks.map((n) => [n.networkName, n.aliases, n.ipv4Address])).toEqual([
      ['e2e-chg-a', [], undefined],
      ['e2e-chg-b', ['svc'], undefined],
    ]);
  });

  test('disconnect: the pair stops being reachable', () => {
    expect(load('disconnect').review.reachability.removed).toMatchObject([{ a: 'e2e-chg-app', b: 'e2e-chg-probe', networks: ['e2e-chg-b'] }]);
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
      ['e2e-eng-svc', 'create', 'manager'],
      ['voting-app-local/toolbox:local', 'create', 'worker'],
      ['voting-app-local/toolbox:local', 'delete', undefined],
    ]);
  });

  test('a Swarm service: the manager it is created through, and nothing of the nodes, which are Swarm\'s to pick', () => {
    expect(change(review, 'e2e-eng-svc').consequences).toEqual([
      'a new service: Swarm starts 1 task; it answers to e2e-eng-svc, tasks.e2e-eng-svc on e2e-eng-mesh',
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
      { a: 'e2e-eng-a', b: 'e2e-eng-svc', networks: ['e2e-eng-mesh'], networkKeys: ['docker_network.manager_mesh_16B5ED2A'] },
      { a: 'e2e-eng-b', b: 'e2e-eng-svc', networks: ['e2e-eng-mesh'], networkKeys: ['docker_network.manager_mesh_16B5ED2A'] },
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
    expect(mermaid).toContain('subgraph n0["network backend-network (overlay)"]');
    expect(mermaid).toContain(
      'subgraph n8["+ network metrics-network (overlay)"]\n    n9["+ result<br/>service, 2 tasks<br/>published 0.0.0.0:5001 → 80/tcp (ingress)"]',
    );
    expect(mermaid).toContain('["~ vote<br/>service, 2 tasks<br/>published 0.0.0.0:5000 → 80/tcp (ingress)"]');
    expect(mermaid).toContain('["~ db<br/>service, 1 task<br/>aliases: db"]');
    expect(mermaid).not.toContain(':::empty');
  });

  test('the new service becomes reachable from the services on its networks', () => {
    expect(review.reachability.added).toMatchObject([
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

describe('Swarm changes, in Docker\'s words (plans captured from the voting app on a swarm without IPVS)', () => {
  const ROLLING_ONE =
    'a rolling update of its one task, stop-first: the task stops before the new one starts, so the service answers nothing until the new ' +
    'task runs; if an updated task fails within 5s, Swarm pauses the update and the tasks already updated keep the new spec';
  const ROLLING_WORKER =
    'a rolling update of its 2 tasks, 1 at a time, start-first: each new task starts before the old one stops, so 2 keep running (3 for a ' +
    'moment); if an updated task fails within 5s, Swarm pauses the update and the tasks already updated keep the new spec';
  const MESH =
    'every node of the swarm answers on it and forwards to a task; the mesh needs IPVS (the ip_vs kernel module) on every node: this ' +
    'machine has none, so the port will not answer here';
  const VIP =
    'endpoint mode dnsrr → vip: its name resolves to one virtual IP that balances over its tasks; a virtual IP needs IPVS (the ip_vs ' +
    'kernel module): this machine has none, so connections to it will time out here';

  test('services and secrets are services and secrets, by their Docker names', () => {
    const { review } = load('swarm-secret-rotation');
    expect(review.changes.map((c) => `${c.kind} ${c.name} ${c.action}`)).toEqual([
      'service db update',
      'service result update',
      'service worker update',
      'secret db-password replace',
    ]);
  });

  test('host-mode to ingress publishing: the ports move to the routing mesh, which needs IPVS; the tasks restart', () => {
    const { review } = load('swarm-publish-ingress');
    expect(change(review, 'vote')).toMatchObject({
      kind: 'service',
      action: 'update',
      changedAttributes: ['endpoint_spec.mode', 'endpoint_spec.ports.publish_mode', 'mode.replicated.replicas'],
    });
    expect(change(review, 'vote').consequences).toEqual([
      'scaled from 1 task to 2: Swarm starts 1 more',
      `port 5000 → 80/tcp moves from host mode to the ingress routing mesh: ${MESH}`,
      VIP,
      'its task restarts: its published ports change; its endpoint mode changes',
      ROLLING_ONE,
    ]);
    expect(change(review, 'result').consequences[0]).toBe(`port 5001 → 80/tcp moves from host mode to the ingress routing mesh: ${MESH}`);
  });

  test('where the review cannot tell whether the engine has IPVS, it says the mesh needs it', () => {
    const plan = load('swarm-publish-ingress').plan;
    expect(change(reviewPlan(plan, { stack: 'voting-app' }), 'result').consequences[0]).toBe(
      'port 5001 → 80/tcp moves from host mode to the ingress routing mesh: every node of the swarm answers on it and forwards to a task; ' +
        'the mesh needs IPVS (the ip_vs kernel module) on every node',
    );
  });

  test('scaled up and down: tasks start or stop; the provider\'s order of the environment may restart the others', () => {
    const shuffled =
      'the provider sends its 3 environment variables in an order that varies from run to run, and Swarm restarts the tasks when it differs ' +
      `from the last one, as it often does: then ${ROLLING_WORKER}`;
    expect(change(load('swarm-scale-up').review, 'worker').consequences).toEqual(['scaled from 2 tasks to 3: Swarm starts 1 more', shuffled]);
    expect(change(load('swarm-scale-down').review, 'worker').consequences).toEqual([
      'scaled from 3 tasks to 2: Swarm stops 1 task, whose open connections drop',
      shuffled,
    ]);
  });

  test('a rolling update by each service\'s update policy: stop-first on one task, start-first on two', () => {
    const { review } = load('swarm-rolling-update');
    expect(change(review, 'vote').consequences).toEqual(['its task restarts: its task spec changes (container_spec.env)', ROLLING_ONE]);
    expect(change(review, 'worker').consequences).toEqual(['its 2 tasks restart: its task spec changes (container_spec.env)', ROLLING_WORKER]);
  });

  test('a secret rotated under its name: Docker refuses to remove it while services mount it, so the apply stops', () => {
    const { review } = load('swarm-secret-rotation');
    expect(change(review, 'db-password').consequences).toEqual([
      'a Swarm secret cannot change: Terraform removes it, then creates the new one, with a new id',
      'Docker refuses to remove a secret in use: the apply stops here with "secret \'db-password\' is in use by the following services", and ' +
        'the services db, result, worker keep the old one. To rotate it, create the new secret under another name before the old one goes ' +
        '(create_before_destroy)',
    ]);
    expect(change(review, 'worker').consequences).toEqual([
      'the apply stops before this update: it mounts the secret db-password, which Terraform removes before it updates the services that ' +
        'mount it, and Docker refuses to remove a secret in use; the service keeps running as it is',
    ]);
  });

  test('a secret rotated under a new name, created first: the services that mount it restart their tasks', () => {
    const { review } = load('swarm-secret-rotation-new-name');
    expect(change(review, 'db-password-2')).toMatchObject({ kind: 'secret', action: 'replace', renamedFrom: 'db-password' });
    expect(change(review, 'db-password-2').consequences).toEqual([
      'a Swarm secret cannot change: the new one is created (with a new id) and the old one removed',
      'the services db, result, worker, which mount it, restart their tasks to mount the new one',
    ]);
    expect(change(review, 'worker').consequences).toEqual(['its 2 tasks restart: it mounts the new secret db-password-2 in place of db-password', ROLLING_WORKER]);
  });

  test('a service whose networks change is replaced, not rolled: its tasks stop, then new ones join the networks', () => {
    const worker = change(load('swarm-network-change').review, 'worker');
    expect(worker).toMatchObject({ kind: 'service', action: 'replace' });
    expect(worker.forcedBy).toEqual([{ path: 'task_spec[0].networks_advanced', detail: 'backend-network → backend-network, frontend-network' }]);
    expect(worker.consequences).toEqual([
      'the service is removed and created again, not rolled: its 2 tasks stop, then 2 tasks start, whatever its update policy: it answers ' +
        'nothing in between and open connections drop',
      'its new tasks join frontend-network',
      'files its tasks wrote outside their volumes are lost',
    ]);
  });

  test('the pairs on the network a service joins reach each other over it too, and the services are drawn in their overlays', () => {
    const { review } = load('swarm-network-change');
    expect(review.reachability.added).toEqual([]);
    expect(review.reachability.moved).toEqual([
      { a: 'result', b: 'worker', before: ['backend-network'], after: ['backend-network', 'frontend-network'] },
      { a: 'vote', b: 'worker', before: ['backend-network'], after: ['backend-network', 'frontend-network'] },
    ]);
    expect(renderMermaid(review.after)).toMatch(/subgraph n\d+\["network frontend-network \(overlay, [\d./]+\)"\]\n( {4}n\d+\[".*"\]\n)*    n\d+\["± worker<br\/>service, 2 tasks"\]/);
  });
});

describe('Swarm changes made from the captured ones', () => {
  /**
   * The captured plan `name` with the change of the object at an address starting with `prefix` rewritten by `edit`
   * (which gets the change's before and after values, in the plan's terms), and the planned values made to match.
   */
  function edited(name: string, prefix: string, edit: (change: any) => void): Review {
    const plan = JSON.parse(JSON.stringify(load(name).plan)) as any;
    const rc = plan.resource_changes.find((r: any) => r.address.startsWith(prefix));
    edit(rc.change);
    const planned = plan.planned_values.root_module.resources;
    const at = planned.findIndex((r: any) => r.address === rc.address);
    if (rc.change.after === null) planned.splice(at, 1);
    else planned[at].values = rc.change.after;
    return reviewPlan(plan, { stack: 'voting-app', ipvs: false });
  }
  const voteOnly = (change: any) => {
    // vote as deployed, but for what the test changes.
    change.after = JSON.parse(JSON.stringify(change.before));
    change.after_unknown = {};
  };

  test('a new update policy alone restarts no task', () => {
    const review = edited('swarm-rolling-update', 'docker_service.app_vote', (change) => {
      voteOnly(change);
      change.after.update_config[0].order = 'start-first';
    });
    expect(change(review, 'vote')).toMatchObject({ changedAttributes: ['update_config.order'], consequences: ['Swarm updates the service in place and no task restarts'] });
  });

  test('new placement constraints move only the tasks whose node no longer matches', () => {
    const review = edited('swarm-rolling-update', 'docker_service.app_vote', (change) => {
      voteOnly(change);
      change.after.task_spec[0].placement[0].constraints = ['node.role==manager'];
    });
    expect(change(review, 'vote').consequences).toEqual([
      'its placement changes: tasks on nodes that still match stay as they are, the others move to nodes that match',
    ]);
  });

  test('a scale of a service with one environment variable leaves the running tasks as they are', () => {
    const review = edited('swarm-rolling-update', 'docker_service.app_vote', (change) => {
      voteOnly(change);
      change.after.mode[0].replicated[0].replicas = 3;
    });
    expect(change(review, 'vote').consequences).toEqual(['scaled from 1 task to 3: Swarm starts 2 more and leaves the running ones as they are']);
  });

  test('a service removed: its tasks stop and its names stop resolving', () => {
    const review = edited('swarm-rolling-update', 'docker_service.app_worker', (change) => {
      change.actions = ['delete'];
      change.after = null;
      change.after_unknown = {};
    });
    expect(change(review, 'worker')).toMatchObject({ kind: 'service', action: 'delete' });
    expect(change(review, 'worker').consequences).toEqual([
      'the service is removed: its 2 tasks stop and their open connections drop',
      'these names stop resolving: worker, tasks.worker on backend-network',
    ]);
  });

  test('a secret created before the old one under the same name: Swarm refuses it, the apply stops', () => {
    const review = edited('swarm-secret-rotation', 'docker_secret.', (change) => {
      change.actions = ['create', 'delete'];
    });
    expect(change(review, 'db-password').consequences).toEqual([
      'a Swarm secret cannot change: Terraform creates the new one before it removes the old one',
      'Swarm refuses a second secret of the same name: the apply stops here, and the services db, result, worker keep the old one. Give the ' +
        'new secret another name',
    ]);
    expect(change(review, 'db').consequences).toEqual([
      'the apply stops before this update: it mounts the secret db-password, whose new content Terraform creates under the same name before ' +
        'it removes the old one, and Swarm refuses a second secret of a name; the service keeps running as it is',
    ]);
  });

  test('a new service: its tasks, the names it answers to, and how it publishes (the hand-written plan)', () => {
    const plan = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'analysis', 'fixtures', 'swarm.plan.json'), 'utf8')) as PlanJson;
    expect(change(reviewPlan(plan, { stack: 'voting-app' }), 'result').consequences).toEqual([
      'a new service: Swarm starts 2 tasks; it answers to result, tasks.result on backend-network; result, tasks.result on metrics-network',
      'publishes 5001 → 80/tcp through the ingress routing mesh: every node of the swarm answers on it and forwards to a task; the mesh ' +
        'needs IPVS (the ip_vs kernel module) on every node',
    ]);
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

/**
 * A change to a 1000-container stack, built from the captured network-change plan: network e2e-chg-a (every app
 * container's network) renamed, which replaces it and the 1000 containers on it; 50 containers deleted; 20 new
 * containers publishing a port on every interface beside the probe on network e2e-chg-b (new findings, new pairs).
 */
function largePlan(replaced: number, deleted: number, created: number): PlanJson {
  const template = load('network-change').plan as any;
  const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));
  const isApp = (r: { address: string }) => r.address.startsWith('docker_container.app_');
  const isNetA = (r: { address: string }) => r.address.startsWith('docker_network.net-a_');
  const prior = template.prior_state.values.root_module.resources;
  const planned = template.planned_values.root_module.resources;
  const config = template.configuration.root_module.resources;
  const [appPrior, appPlanned, appChange, appConfig] = [prior, planned, template.resource_changes, config].map((list: any[]) => list.find(isApp));
  const netB = prior.find((r: any) => r.address.startsWith('docker_network.net-b_'));
  const keep = (list: any[]) => list.filter((r) => !isApp(r));
  const named = (x: any, address: string, name: string) => {
    const copy = clone(x);
    copy.address = address;
    copy.name = address.split('.')[1];
    for (const values of [copy.values, copy.change?.before, copy.change?.after]) if (values) values.name = name;
    if (copy.expressions) copy.expressions.name = { constant_value: name };
    return copy;
  };
  const range = (n: number) => [...Array(n).keys()];
  const apps = range(replaced).map((i) => ({ address: `docker_container.app_${i}`, name: `app-${String(i).padStart(4, '0')}` }));
  const gone = range(deleted).map((i) => ({ address: `docker_container.old_${i}`, name: `old-${String(i).padStart(3, '0')}` }));
  const added = range(created).map((i) => ({ address: `docker_container.new_${i}`, name: `new-${String(i).padStart(3, '0')}` }));
  const onB = (values: any, i: number) => {
    values.networks_advanced = [{ aliases: [], ipv4_address: '', ipv6_address: '', name: netB.values.id }];
    values.ports = [{ internal: 8080, external: 9000 + i, ip: '0.0.0.0', protocol: 'tcp' }];
    return values;
  };
  const withId = (x: any, i: number, prefix: string) => {
    x.values.id = `${prefix}${String(i).padStart(60, '0')}`;
    return x;
  };
  const plan = clone(template);
  plan.prior_state.values.root_module.resources = [
    ...keep(prior),
    ...apps.map((a, i) => withId(named(appPrior, a.address, a.name), i, 'a')),
    ...gone.map((o, i) => withId(named(appPrior, o.address, o.name), i, 'o')),
  ];
  plan.planned_values.root_module.resources = [
    ...keep(planned),
    ...apps.map((a) => named(appPlanned, a.address, a.name)),
    ...added.map((n, i) => ({ ...named(appPlanned, n.address, n.name), values: onB(named(appPlanned, n.address, n.name).values, i) })),
  ];
  plan.resource_changes = [
    ...keep(template.resource_changes),
    ...apps.map((a) => named(appChange, a.address, a.name)),
    ...gone.map((o) => {
      const change = named(appChange, o.address, o.name);
      change.change = { actions: ['delete'], before: change.change.before, after: null, after_unknown: {} };
      return change;
    }),
    ...added.map((n, i) => {
      const change = named(appChange, n.address, n.name);
      change.change = { actions: ['create'], before: null, after: onB(change.change.after, i), after_unknown: { id: true } };
      return change;
    }),
  ];
  plan.configuration.root_module.resources = [
    ...keep(config),
    ...apps.map((a) => named(appConfig, a.address, a.name)),
    ...added.map((n) => {
      const c = named(appConfig, n.address, n.name);
      c.expressions.networks_advanced = [{ name: { references: [`${netB.address}.id`, netB.address] } }];
      return c;
    }),
  ];
  // The shared network renamed: the provider replaces it.
  const netA = plan.resource_changes.find(isNetA);
  netA.change.after.name = 'e2e-chg-shared';
  netA.change.replace_paths = [['name']];
  plan.planned_values.root_module.resources.find(isNetA).values.name = 'e2e-chg-shared';
  plan.configuration.root_module.resources.find(isNetA).expressions.name = { constant_value: 'e2e-chg-shared' };
  return plan;
}

describe('reviews of any size post: comments of at most 65,536 characters', () => {
  const review = reviewPlan(largePlan(1000, 50, 20), { stack: 'e2e-changes' });
  const whole = renderMarkdown(review);
  const parts = renderComments(review, { fullReviewUrl: 'https://github.example/o/r/actions/runs/1' });

  test('the change is as large as meant: 1000 replaced containers, 50 deleted, 20 new', () => {
    expect(review.counts).toMatchObject({ create: 20, replace: 1001, delete: 50 });
    expect(whole.length).toBeGreaterThan(4 * COMMENT_LIMIT);
  });

  test('every comment holds at most 65,536 characters and starts with its own marker', () => {
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(parts.map((p) => p.split('\n')[0])).toEqual(parts.map((_p, i) => (i === 0 ? reviewMarker('e2e-changes') : reviewPartMarker('e2e-changes', i + 1))));
    expect(parts.map((p) => p.split('\n')[1])).toEqual(parts.map((_p, i) => `## Docker review: stack \`e2e-changes\`, part ${i + 1} of ${parts.length}`));
  });

  test('the first has the counts, the riskiest changes of each kind, and the picture', () => {
    const first = parts[0];
    expect(first).toContain('**20 to create, 0 to update in place, 1001 to replace, 50 to delete**; 4 unchanged.');
    expect(first).toContain(
      `This review takes ${parts.length} comments (${whole.length.toLocaleString('en-US')} characters; a comment holds 65,536): this one has the counts, ` +
        `the riskiest changes and the picture; comments 2 to ${parts.length} list every change, what it does on the engine, and every policy finding and ` +
        "reachable pair that changes. The whole review as one file: [the workflow run's artifact](https://github.example/o/r/actions/runs/1).",
    );
    expect(first).toContain('### The riskiest changes');
    expect(first).toContain('- **delete** container old-000: the container is stopped and removed: its processes end and its connections drop');
    expect(first).toContain(
      '- **replace** network e2e-chg-a → e2e-chg-shared, forced by `name`: the network is removed and created again, and every container on it ' +
        'with it: app-0000, app-0001, app-0002,',
    );
    expect(first).toContain('- **replace** container app-0000, forced by `networks_advanced`: the container is removed and created again');
    expect(first).toContain('- e2e-chg-probe and new-000 become reachable over e2e-chg-b');
    expect(first).toMatch(/- new finding DKR5 .* on new-000: /);
    expect(first).toMatch(
      /\n- and [\d,]+ more deletions, [\d,]+ more replacements, [\d,]+ more pairs that become reachable, [\d,]+ more new policy findings: every one is in comments 2 to 11\n/,
    );
    expect(first).toContain(`\`\`\`mermaid\n${renderMermaid(review.after)}\n\`\`\``);
  });

  test('a picture larger than Mermaid draws is left out, and the review says so', () => {
    const larger = reviewPlan(largePlan(1500, 0, 0), { stack: 'e2e-changes' });
    const mermaid = renderMermaid(larger.after);
    expect(mermaid.length).toBeGreaterThan(MERMAID_LIMIT);
    const [first] = renderComments(larger);
    expect(first).toContain(`The picture is left out: at ${mermaid.length.toLocaleString('en-US')} characters it is larger than Mermaid draws (50,000).`);
  });

  test('nothing is lost: every line of the whole review but its head and picture is in a further comment', () => {
    const further = new Set(parts.slice(1).flatMap((p) => p.split('\n')));
    const details = whole.slice(whole.indexOf('| object |'), whole.indexOf('### Topology after the change')).split('\n');
    expect(details.length).toBeGreaterThan(7000);
    expect(details.filter((line) => !further.has(line))).toEqual([]);
    // Tables go on with their head: each further comment that continues one repeats it.
    for (const part of parts.slice(1)) {
      const firstRow = part.split('\n').find((line) => line.startsWith('| ') && !line.startsWith('| ---'));
      if (firstRow) expect(part.split('\n')[part.split('\n').indexOf(firstRow) + 1]).toMatch(/^\| --- \|/);
    }
  });

  test('a workload being deleted takes one row for the pairs it stops being in', () => {
    const pairs = review.reachability.removed.filter((p) => p.a === 'old-000' || p.b === 'old-000');
    expect(pairs.length).toBe(1000 + 49);
    expect(whole).toContain(`| stop being reachable | old-000 (deleted) <-> each of the 1,049 it reached | e2e-chg-a (before) |`);
    expect(whole.split('\n').filter((line) => line.startsWith('| stop being reachable |'))).toHaveLength(50);
  });

  test('the picture is in the first comment where it fits beside the counts and the riskiest changes', () => {
    const small = reviewPlan(largePlan(60, 5, 3), { stack: 'e2e-changes' });
    const split = renderComments(small, { limit: 30_000 });
    expect(split.length).toBeGreaterThan(1);
    expect(split[0]).toContain('```mermaid');
    expect(split[0]).toContain(renderMermaid(small.after));
    for (const part of split) expect(part.length).toBeLessThanOrEqual(30_000);
  });

  test('the picture is left out where it would not fit beside them, and says so', () => {
    const small = reviewPlan(largePlan(200, 5, 3), { stack: 'e2e-changes' });
    const mermaid = renderMermaid(small.after);
    expect(mermaid.length).toBeLessThan(MERMAID_LIMIT);
    const split = renderComments(small, { limit: mermaid.length + 1000 });
    expect(split[0]).toContain(
      `The picture is left out: at ${mermaid.length.toLocaleString('en-US')} characters it does not fit in this comment beside the counts and the riskiest changes.`,
    );
  });

  test('an item longer than a comment is cut between words, its pieces marked (continued)', () => {
    const small = reviewPlan(largePlan(300, 0, 0), { stack: 'e2e-changes' });
    const network = renderMarkdown(small).split('\n').find((line) => line.startsWith('  - the network is removed and created again'))!;
    expect(network.length).toBeGreaterThan(3_000);
    const split = renderComments(small, { limit: 3_000 });
    for (const part of split) expect(part.length).toBeLessThanOrEqual(3_000);
    const pieces = split
      .slice(1)
      .flatMap((part) => part.split('\n'))
      .filter((line) => line.startsWith('  - the network is removed and created again') || line.startsWith('  - (continued) '));
    expect(pieces.length).toBeGreaterThan(1);
    const names = pieces.join(' ').match(/app-\d{4}/g);
    expect(names).toEqual([...Array(300).keys()].map((i) => `app-${String(i).padStart(4, '0')}`));
  });

  test('a review that fits is one comment, as renderMarkdown renders it', () => {
    const { review: fits } = load('network-change');
    expect(renderComments(fits)).toEqual([renderMarkdown(fits)]);
  });
});

describe('the workflow posts every comment of a review (.github/workflows/docker-review.yml)', () => {
  /** The github-script step's script, as the workflow runs it. */
  function postScript(): string {
    const lines = fs.readFileSync(path.join(__dirname, '..', '..', '..', '.github', 'workflows', 'docker-review.yml'), 'utf8').split('\n');
    const start = lines.findIndex((line) => line.trim() === 'script: |');
    const indent = /^ */.exec(lines[start + 1])![0];
    const body = lines.slice(start + 1);
    const end = body.findIndex((line) => line.trim() !== '' && !line.startsWith(indent));
    return body.slice(0, end === -1 ? undefined : end).map((line) => line.slice(indent.length)).join('\n');
  }

  interface FakeComment {
    id: number;
    body: string;
    user: { type: string };
  }

  /** Runs the script against a pull request holding `existing`, posting `parts` of stack `voting-app`; returns the calls. */
  async function post(existing: FakeComment[], parts: string[]): Promise<string[]> {
    const calls: string[] = [];
    const github = {
      paginate: async () => existing,
      rest: {
        issues: {
          listComments: () => undefined,
          updateComment: async (p: { comment_id: number; body: string }) => calls.push(`update ${p.comment_id}: ${p.body.split('\n')[0]}`),
          createComment: async (p: { issue_number: number; body: string }) => calls.push(`create on ${p.issue_number}: ${p.body.split('\n')[0]}`),
          deleteComment: async (p: { comment_id: number }) => calls.push(`delete ${p.comment_id}`),
        },
      },
    };
    const context = { repo: { owner: 'o', repo: 'r' }, issue: { number: 7 } };
    const files = { readFileSync: (file: string) => (file === 'cdktf.out/review/voting-app.comments.json' ? JSON.stringify(parts) : '') };
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor;
    await new AsyncFunction('require', 'github', 'context', 'process', postScript())(() => files, github, context, { env: { STACK: 'voting-app' } });
    return calls;
  }

  const part = (n: number) => `${n === 1 ? reviewMarker('voting-app') : reviewPartMarker('voting-app', n)}\n## Docker review, part ${n}`;
  const bot = (id: number, body: string): FakeComment => ({ id, body, user: { type: 'Bot' } });

  test('a first review: one comment a part', async () => {
    expect(await post([], [part(1), part(2)])).toEqual([
      'create on 7: <!-- cdktf-docker-review: voting-app -->',
      'create on 7: <!-- cdktf-docker-review: voting-app part 2 -->',
    ]);
  });

  test("the next push: each part updated in place, the parts a longer review had deleted, others' comments left alone", async () => {
    const existing = [
      bot(1, part(1)),
      bot(2, part(2)),
      bot(3, part(3)),
      bot(4, `${reviewPartMarker('network-basics', 3)}\n...`),
      { id: 5, body: part(3), user: { type: 'User' } },
      bot(6, `${reviewPartMarker('voting-app', 10)}\n...`),
    ];
    expect(await post(existing, [part(1), part(2)])).toEqual([
      'update 1: <!-- cdktf-docker-review: voting-app -->',
      'update 2: <!-- cdktf-docker-review: voting-app part 2 -->',
      'delete 3',
      'delete 6',
    ]);
  });

  test('a review that grows from one comment to three keeps the first and adds two', async () => {
    expect(await post([bot(1, part(1))], [part(1), part(2), part(3)])).toEqual([
      'update 1: <!-- cdktf-docker-review: voting-app -->',
      'create on 7: <!-- cdktf-docker-review: voting-app part 2 -->',
      'create on 7: <!-- cdktf-docker-review: voting-app part 3 -->',
    ]);
  });
});
