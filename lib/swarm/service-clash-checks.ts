import { IConstruct } from 'constructs';
import { hasBrand } from '../core/brand';
import { ClashSource, EngineClaims } from '../core/clashes';
import { constructLabel } from '../core/errors';
import { CONTAINER_CLASHES } from '../container/clash-checks';
import { claimedEngines } from '../engine/placement';
import { describeServicePort, hostBindingOfService } from './service-ports';
import type { ServiceNetworkAttachment, ServicePort } from './swarm-service-props';

/** What the clash check reads of a service: its public members, so another copy's services count too. */
interface ServiceView extends IConstruct {
  readonly name: string;
  readonly ports: readonly ServicePort[];
  readonly attachments: readonly ServiceNetworkAttachment[];
}

/**
 * Services in the stack-wide clash check: service names, published ports (among services, and against containers'
 * host ports: Swarm binds every interface) and names on a shared network. Read after containers, so a clash between
 * a service and a container is reported on the service.
 */
export const SERVICE_CLASHES: ClashSource = {
  kind: 'service',
  rank: CONTAINER_CLASHES.rank + 1,
  claimsOf: (construct) => (hasBrand(construct, 'SwarmService') ? serviceClaims(construct as ServiceView) : undefined),
  nameTaken: (name, holder) =>
    `service name "${name}" is already used by ${constructLabel(holder.construct)}; ` +
    'service names are unique in a swarm, so give one of them another `name`.',
  hostPortTaken: (port, holder) =>
    holder.kind === CONTAINER_CLASHES.kind
      ? `port ${port.text} is also published by the container ${constructLabel(holder.construct)} on this engine; ` +
        "Swarm binds every interface, so change `published` or the container's `external`."
      : `port ${port.text} is already published by ${constructLabel(holder.construct)}; a swarm binds a published port ` +
        'on every interface of its nodes (ingress: on all nodes), so change `published` on one of them.',
  networkNameTaken: (name, network, holder) =>
    `the name "${name}" on network ${network.node.path} already belongs to ${constructLabel(holder.construct)}; ` +
    "Docker's DNS would answer it with both, so pick another alias or name.",
};

function serviceClaims(service: ServiceView): EngineClaims {
  return {
    name: service.name,
    // A swarm holds a service's name, and binds its published ports, on every node.
    engines: claimedEngines(service, true),
    hostPorts: service.ports.flatMap((port) => {
      const binding = hostBindingOfService(port);
      return binding ? [{ ...binding, text: describeServicePort(port) }] : [];
    }),
    networkNames: service.attachments.flatMap(({ network, aliases }) => [
      { network, name: service.name, alias: false },
      { network, name: `tasks.${service.name}`, alias: false },
      ...(aliases ?? []).map((name) => ({ network, name, alias: true })),
    ]),
  };
}
