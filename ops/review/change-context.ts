/** What the description of one change reads besides the change itself, and what a workload's and a service's share. */
import { ContainerModel, DockerModel } from '../../lib';
import { PlanJson, actionOf } from './plan';
import { Topology } from './topology';

export interface ChangeContext {
  readonly plan: PlanJson;
  readonly before: Topology;
  readonly after: Topology;
  readonly options: { readonly ipvs?: boolean };
}

/** `it is on network x, replaced too: that alone recreates it`, for a workload on a network the plan replaces. */
export function onReplacedNetworks(
  plan: PlanJson,
  was: ContainerModel | undefined,
  now: ContainerModel | undefined,
  before: Topology,
  after: Topology,
): string[] {
  const replacedNetworks = (plan.resource_changes ?? [])
    .filter((n) => DockerModel.kindOfType(n.type) === 'network' && actionOf(n.change.actions) === 'replace')
    .map((n) => n.address);
  const onReplaced = [...(was?.networks ?? []), ...(now?.networks ?? [])]
    .map((n) => n.network?.address ?? '')
    .filter((address, i, all) => replacedNetworks.includes(address) && all.indexOf(address) === i);
  const label = (address: string) => {
    const [old, nu] = [before, after].map((t) => t.networks.find((n) => n.address === address)?.name);
    return old && nu && old !== nu ? `${old} (renamed ${nu})` : nu ?? old ?? address;
  };
  return onReplaced.length > 0
    ? [`it is on ${onReplaced.length > 1 ? 'networks' : 'network'} ${onReplaced.map(label).join(', ')}, replaced too: that alone recreates it`]
    : [];
}
