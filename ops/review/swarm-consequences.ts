/**
 * What a change of a Swarm service or secret does, in Docker's words: a rolling update of its tasks with the update
 * policy, a publish mode and whether the routing mesh can answer, replicas scaled, a secret rotated and the services
 * that restart for it.
 */
import { ContainerModel, DockerModel, PublishedPortModel } from '../../lib';
import { ChangeContext, onReplacedNetworks } from './change-context';
import { Action, PlanJson, ResourceChange, actionOf } from './plan';
import { Topology, actionOn } from './topology';

/** `its 2 tasks`, `its task`, `its tasks (one on every node)`; `count` overrides the service's replicas. */
function tasksOf(service: ContainerModel | undefined, count = service?.swarm?.replicas): string {
  if (service?.swarm?.mode === 'global') return 'its tasks (one on every node)';
  if (count === undefined) return 'its tasks';
  return count === 1 ? 'its task' : `its ${count} tasks`;
}

/** `2 tasks`, `1 task`, `one task on every node that matches its placement`: the tasks Swarm starts for a service. */
function taskCount(service: ContainerModel | undefined): string {
  const swarm = service?.swarm;
  if (swarm?.mode === 'global') return 'one task on every node that matches its placement';
  if (swarm?.replicas === undefined) return 'its tasks';
  return `${swarm.replicas} ${swarm.replicas === 1 ? 'task' : 'tasks'}`;
}

/** How a service publishes a port: in host mode, or through the ingress routing mesh, and what that means. */
function publishing(port: PublishedPortModel, service: ContainerModel | undefined, options: ChangeContext['options']): { mode: string; means: string } {
  if (port.publishMode === 'host') {
    const replicas = service?.swarm?.replicas ?? 1;
    return {
      mode: 'host mode',
      means:
        'only the nodes that run a task answer on it, each straight to its own task, and a node runs at most one task of the port' +
        (service?.swarm?.mode !== 'global' && replicas > 1 ? ` (${replicas} tasks need ${replicas} nodes)` : ''),
    };
  }
  return {
    mode: 'the ingress routing mesh',
    means: `every node of the swarm answers on it and forwards to a task; ${NEEDS_IPVS}${noIpvsHere(options, 'the port will not answer')}`,
  };
}

/** `publishes 5000 → 80/tcp in host mode: ...`. */
function publishes(port: PublishedPortModel, service: ContainerModel | undefined, options: ChangeContext['options']): string {
  const { mode, means } = publishing(port, service, options);
  return `publishes ${portName(port)} ${mode === 'host mode' ? 'in' : 'through'} ${mode}: ${means}`;
}

const NEEDS_IPVS = 'the mesh needs IPVS (the ip_vs kernel module) on every node';

/** `: this machine has none, so <what> here` where the review knows the engine's kernel has no IPVS. */
function noIpvsHere(options: ChangeContext['options'], what: string): string {
  return options.ipvs === false ? `: this machine has none, so ${what} here` : '';
}

/** `5000 → 80/tcp`, a published port. */
function portName(port: PublishedPortModel): string {
  return `${port.external ?? '(a port Swarm picks)'} → ${port.internal}/${port.protocol}`;
}

/**
 * What users notice while Swarm rolls a change out over `count` tasks of a service (all of them where undefined), by
 * its update policy.
 */
function rollingUpdate(service: ContainerModel, count = service.swarm!.mode === 'global' ? undefined : service.swarm!.replicas): string {
  const policy = service.swarm!.updatePolicy;
  const batch = policy.parallelism === 0 || (count !== undefined && policy.parallelism >= count) ? count : policy.parallelism;
  const all = batch === undefined || batch === count;
  const pace = count === 1 ? '' : all ? ', all at once' : `, ${batch} at a time${policy.delay !== '0s' ? `, ${policy.delay} apart` : ''}`;
  let order: string;
  if (policy.order === 'start-first') {
    order =
      count === undefined
        ? 'start-first: each new task starts before the old one stops, so none is missing'
        : `start-first: each new task starts before the old one stops, so ${count} keep running (${count + batch!} for a moment)`;
  } else if (count === 1) {
    order = 'stop-first: the task stops before the new one starts, so the service answers nothing until the new task runs';
  } else if (all) {
    order = 'stop-first: every task stops before the new ones start, so the service answers nothing until they run';
  } else {
    order = `stop-first: each old task stops before its replacement starts, so ${batch} ${batch === 1 ? 'task is' : 'tasks are'} down at a time`;
  }
  const failure: Record<string, string> = {
    pause: 'Swarm pauses the update and the tasks already updated keep the new spec',
    continue: 'Swarm goes on with the next tasks',
    rollback: 'Swarm rolls the service back to its previous spec',
  };
  const what = count === 1 ? 'its one task' : tasksOf(service, count);
  return (
    `a rolling update of ${what}${pace}, ${order}; if an updated task fails within ${policy.monitor}, ` +
    (failure[policy.failureAction] ?? `Swarm does what failure_action ${policy.failureAction} says`)
  );
}

/** A secret a service mounts that the plan replaces: Swarm secrets cannot change, the new one has a new id. */
interface RotatedSecret {
  readonly name: string;
  /** Its name before, where the new secret has another. */
  readonly renamedFrom?: string;
  /**
   * Why the apply stops at the secret, before it updates the services that mount it: Terraform removes the old secret
   * first (its default order), which Docker refuses while a service mounts it; or it creates the new one first under
   * the same name, which Swarm refuses.
   */
  readonly stops?: string;
}

/** The secrets `service` mounts that the plan replaces. */
function rotatedSecrets(service: ContainerModel | undefined, plan: PlanJson, after: Topology): RotatedSecret[] {
  const replaced = new Map(
    (plan.resource_changes ?? [])
      .filter((rc) => DockerModel.kindOfType(rc.type) === 'secret' && actionOf(rc.change.actions) === 'replace')
      .map((rc) => [rc.address, rc]),
  );
  return (service?.swarm?.secrets ?? []).flatMap((m) => {
    const rc = m.secretAddress ? replaced.get(m.secretAddress) : undefined;
    if (!rc) return [];
    const name = after.secrets.find((s) => s.address === m.secretAddress)?.name ?? m.secretName;
    const was = rc.change.before?.name;
    const renamedFrom = was && was !== name ? String(was) : undefined;
    const stops =
      rc.change.actions[0] === 'delete'
        ? 'which Terraform removes before it updates the services that mount it, and Docker refuses to remove a secret in use'
        : renamedFrom
          ? undefined
          : 'whose new content Terraform creates under the same name before it removes the old one, and Swarm refuses a second secret of a name';
    return [{ name, renamedFrom, stops }];
  });
}

/**
 * A Swarm service's change in Docker's words. The provider updates a service in place (`docker service update` with
 * the whole spec) except where an attribute forces a replacement (its name, its networks, global against
 * replicated). Swarm restarts tasks only where their task spec, published ports or endpoint changed: a rolling update
 * by the update policy. A new replica count alone starts or stops tasks and leaves the others running; a new update
 * policy or new labels restart nothing; new placement constraints move only the tasks whose node no longer matches.
 */
export function serviceConsequences(action: Action, rc: ResourceChange, context: ChangeContext, changed: string[]): string[] {
  const { plan, before, after, options } = context;
  const now = after.containers.find((c) => c.address === rc.address);
  const was = before.containers.find((c) => c.address === rc.address);
  const answersTo = (c: ContainerModel | undefined) => (c?.networks ?? []).map((n) => `${n.names.join(', ')} on ${n.networkName}`).join('; ');
  const ports = (c: ContainerModel | undefined) => (c?.ports ?? []).map((p) => publishes(p, c, options));
  switch (action) {
    case 'create':
      return [`a new service: Swarm starts ${taskCount(now)}${now && now.networks.length > 0 ? `; it answers to ${answersTo(now)}` : ''}`, ...ports(now)];
    case 'delete':
      return [
        `the service is removed: ${tasksOf(was)} stop and their open connections drop`,
        ...(was && was.networks.length > 0 ? [`these names stop resolving: ${answersTo(was)}`] : []),
      ];
    case 'replace': {
      const names = (c: ContainerModel | undefined) => (c?.networks ?? []).map((n) => n.networkName);
      const joins = names(now).filter((n) => !names(was).includes(n));
      const leaves = names(was).filter((n) => !names(now).includes(n));
      return [
        `the service is removed and created again, not rolled: ${tasksOf(was)} stop, then ${taskCount(now)} start, whatever its ` +
          'update policy: it answers nothing in between and open connections drop',
        ...(joins.length > 0 ? [`its new tasks join ${joins.join(', ')}`] : []),
        ...(leaves.length > 0 ? [`its new tasks are no longer on ${leaves.join(', ')}`] : []),
        ...(now?.config.read_only !== true ? ['files its tasks wrote outside their volumes are lost'] : []),
        ...onReplacedNetworks(plan, was, now, before, after),
      ];
    }
    case 'update':
      return serviceUpdate(was, now, rotatedSecrets(now, plan, after), changed, options);
    default:
      return [];
  }
}

/** What a service update (`docker service update`) does to the running tasks. */
function serviceUpdate(
  was: ContainerModel | undefined,
  now: ContainerModel | undefined,
  rotated: RotatedSecret[],
  changed: string[],
  options: ChangeContext['options'],
): string[] {
  if (!was?.swarm || !now?.swarm) return ['updated in place (docker service update)'];
  const stuck = rotated.find((r) => r.stops);
  if (stuck) return [`the apply stops before this update: it mounts the secret ${stuck.name}, ${stuck.stops}; the service keeps running as it is`];
  const lines: string[] = [];
  const reasons: string[] = [];
  // Changed paths are written `task_spec.container_spec.env`: what Swarm does with each comes from the model.
  const of = (aspect: ReturnType<typeof DockerModel.serviceChangeOf>) => changed.filter((p) => DockerModel.serviceChangeOf(p.split('.')) === aspect);
  // The secrets it mounts change with a rotated secret: said once, below.
  const taskSpec = of('tasks').filter((p) => rotated.length === 0 || p.split('.').pop() !== 'secrets');
  if (taskSpec.length > 0) reasons.push(`its task spec changes (${taskSpec.map((p) => p.split('.').slice(1).join('.')).join(', ')})`);
  for (const r of rotated) {
    reasons.push(r.renamedFrom ? `it mounts the new secret ${r.name} in place of ${r.renamedFrom}` : `it mounts the secret ${r.name}, replaced by a new one`);
  }
  const portKey = (p: PublishedPortModel) => `${p.internal}/${p.protocol}`;
  const portsChange = JSON.stringify(was.ports) !== JSON.stringify(now.ports);
  if (portsChange) reasons.push('its published ports change');
  if (was.swarm.endpointMode !== now.swarm.endpointMode) reasons.push('its endpoint mode changes');
  if (of('endpoint').length > 0 && !portsChange && was.swarm.endpointMode === now.swarm.endpointMode) reasons.push('its endpoint changes');
  // The provider writes the environment from a map, whose order Go varies from run to run, and Swarm compares the
  // list in order: a different order is a new task spec.
  const variables = Array.isArray(now.config.env) ? now.config.env.length : 0;
  const shuffled = reasons.length === 0 && variables > 1;
  const [from, to] = [was.swarm.replicas, now.swarm.replicas];
  if (from !== undefined && to !== undefined && from !== to) {
    const tasks = (n: number) => `${n} ${n === 1 ? 'task' : 'tasks'}`;
    lines.push(
      to > from
        ? `scaled from ${tasks(from)} to ${to}: Swarm starts ${to - from} more${reasons.length === 0 && !shuffled ? ' and leaves the running ones as they are' : ''}`
        : to === 0
          ? `scaled from ${tasks(from)} to 0: every task stops, the service answers nothing`
          : `scaled from ${tasks(from)} to ${to}: Swarm stops ${tasks(from - to)}, whose open connections drop`,
    );
  }
  for (const port of now.ports) {
    const old = was.ports.find((p) => portKey(p) === portKey(port));
    if (!old || old.external !== port.external) {
      lines.push(`${old ? `port ${portName(old)} changes: it ` : ''}${publishes(port, now, options)}`);
    } else if (old.publishMode !== port.publishMode) {
      const [from, to] = [publishing(old, was, options), publishing(port, now, options)];
      lines.push(`port ${portName(port)} moves from ${from.mode} to ${to.mode}: ${to.means}`);
    }
  }
  for (const port of was.ports.filter((p) => !now.ports.some((q) => portKey(q) === portKey(p)))) {
    lines.push(`stops publishing ${portName(port)}`);
  }
  if (was.swarm.endpointMode !== now.swarm.endpointMode) {
    lines.push(
      now.swarm.endpointMode === 'dnsrr'
        ? 'endpoint mode vip → dnsrr: its name resolves to the address of every task instead of one virtual IP'
        : `endpoint mode ${was.swarm.endpointMode} → ${now.swarm.endpointMode}: its name resolves to one virtual IP that balances over its tasks; ` +
            `a virtual IP needs IPVS (the ip_vs kernel module)${noIpvsHere(options, 'connections to it will time out')}`,
    );
  }
  // Where the service is scaled too, the tasks that run already are updated; the others start with the new spec.
  const running = from !== undefined && to !== undefined ? Math.min(from, to) : to;
  if (reasons.length > 0) {
    const tasks = tasksOf(now, running);
    lines.push(`${tasks} ${tasks === 'its task' ? 'restarts' : 'restart'}: ${reasons.join('; ')}`, rollingUpdate(now, running));
  }
  if (of('placement').length > 0 && reasons.length === 0) {
    lines.push('its placement changes: tasks on nodes that still match stay as they are, the others move to nodes that match');
  }
  if (shuffled) {
    lines.push(
      `the provider sends its ${variables} environment variables in an order that varies from run to run, and Swarm restarts the tasks ` +
        `when it differs from the last one, as it often does: then ${rollingUpdate(now, running)}`,
    );
  } else if (lines.length === 0) {
    lines.push('Swarm updates the service in place and no task restarts');
  }
  return lines;
}

/** A Swarm secret's change: a secret cannot change, new content replaces it, under a new id. */
export function secretConsequences(action: Action, rc: ResourceChange, context: ChangeContext): string[] {
  const { after } = context;
  const users = after.secrets.find((s) => s.address === rc.address)?.services ?? [];
  const services = (names: string[]) => `${names.length > 1 ? 'services' : 'service'} ${names.join(', ')}`;
  switch (action) {
    case 'create':
      return [`a new secret, kept encrypted in the swarm's raft log${users.length > 0 ? `; mounted into the tasks of ${users.join(', ')}` : ''}`];
    case 'replace': {
      if (users.length === 0) return ['a Swarm secret cannot change: the secret is removed and created again, with a new id; no service mounts it'];
      // Services the plan updates in place still mount the old secret when Terraform removes it first.
      const updated = users.filter((name) => {
        const service = after.containers.find((c) => c.kind === 'service' && c.name === name);
        return service && ['update', 'none'].includes(actionOn(after, service.address));
      });
      if (rc.change.actions[0] === 'delete' && updated.length > 0) {
        return [
          'a Swarm secret cannot change: Terraform removes it, then creates the new one, with a new id',
          `Docker refuses to remove a secret in use: the apply stops here with "secret '${rc.change.before?.name}' is in use by the following ` +
            `services", and the ${services(updated)} keep the old one. To rotate it, create the new secret under another name before the old ` +
            'one goes (create_before_destroy)',
        ];
      }
      if (rc.change.actions[0] === 'create' && rc.change.before?.name === rc.change.after?.name) {
        return [
          'a Swarm secret cannot change: Terraform creates the new one before it removes the old one',
          `Swarm refuses a second secret of the same name: the apply stops here, and the ${services(users)} keep the old one. Give the ` +
            'new secret another name',
        ];
      }
      return [
        'a Swarm secret cannot change: the new one is created (with a new id) and the old one removed',
        `the ${services(users)}, which mount it, restart their tasks to mount the new one`,
      ];
    }
    case 'delete':
      return ['the secret is removed from the swarm'];
    default:
      return ['changed in place'];
  }
}
