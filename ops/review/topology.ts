/**
 * The Docker objects of one side of a plan, as the library's model reads them (`DockerModel.fromPlan`), with what
 * the plan does to each: what is deployed, or what the engine holds after the apply, objects being deleted kept so
 * that a picture can show what goes.
 */
import { ContainerModel, DockerModel, ImageModel, NetworkModel, ReachabilityRule, SecretModel, VolumeModel } from '../../lib';
import { Action, PlanJson, actionOf } from './plan';

export interface Topology {
  readonly networks: NetworkModel[];
  /** Containers and Swarm services. */
  readonly containers: ContainerModel[];
  readonly volumes: VolumeModel[];
  /** Swarm secrets, each with the services that mount it. */
  readonly secrets: SecretModel[];
  readonly images: ImageModel[];
  /** What happens to each object, by address; an object not listed stays as it is. */
  readonly actions: Record<string, Action>;
}

/** What is deployed: the model of the plan's prior state, nothing happening to it. */
export function deployedTopology(model: DockerModel): Topology {
  return {
    networks: model.networks,
    containers: model.containers,
    volumes: model.volumes,
    secrets: model.secrets,
    images: model.images,
    actions: {},
  };
}

/**
 * What the engine holds after the apply (`after`), with the objects being deleted or forgotten from what is
 * deployed (`before`), in the order of the plan's changes.
 */
export function plannedTopology(plan: PlanJson, before: DockerModel, after: DockerModel): Topology {
  const changes = plan.resource_changes ?? [];
  const actions: Record<string, Action> = {};
  for (const rc of changes) actions[rc.address] = actionOf(rc.change.actions);
  const order = new Map(changes.map((rc, i) => [rc.address, i]));
  const goes = (address: string) => actions[address] === 'delete' || actions[address] === 'forget';
  // Objects the plan does not list (data sources read at plan time) keep their place at the end.
  const at = (address: string) => order.get(address) ?? changes.length;
  const withGone = <T extends { address: string }>(now: T[], was: T[]): T[] =>
    [...now, ...was.filter((o) => goes(o.address))].sort((x, y) => at(x.address) - at(y.address));
  return {
    networks: withGone(after.networks, before.networks),
    containers: withGone(after.containers, before.containers),
    volumes: withGone(after.volumes, before.volumes),
    secrets: withGone(after.secrets, before.secrets),
    images: withGone(after.images, before.images),
    actions,
  };
}

/** What happens to the object at `address`. */
export function actionOn(topology: Topology, address: string): Action {
  return topology.actions[address] ?? 'none';
}

/** Two workloads that reach each other, by Docker name (a < b), and the networks over which they do. */
export interface ReachablePair {
  readonly a: string;
  readonly b: string;
  readonly networks: string[];
  /** The networks' keys in the model (their addresses): a renamed network keeps its key. */
  readonly networkKeys: string[];
}

/** Who reaches whom in `model`, by the library's rule (`ReachabilityRule`), sorted by name. */
export function reachablePairs(model: DockerModel): ReachablePair[] {
  return ReachabilityRule.pairsOf(model)
    .map((pair) => {
      const [a, b] = [pair.a.name, pair.b.name].sort(compare);
      const keys = pair.a.networks.filter((n) => !n.isolated && pair.b.networks.some((m) => m.key === n.key)).map((n) => n.key);
      return { a, b, networks: [...new Set(pair.networks)].sort(), networkKeys: [...new Set(keys)].sort() };
    })
    .sort((p, q) => (p.a === q.a ? compare(p.b, q.b) : compare(p.a, q.a)));
}

/** `localeCompare`, made once: a large stack has hundreds of thousands of pairs to sort. */
const compare = new Intl.Collator().compare;
