import { IConstruct } from 'constructs';
import { hasBrand } from '../core/brand';
import { ClashSource, EngineClaims } from '../core/clashes';
import { constructLabel } from '../core/errors';
import { claimedEngines } from '../engine/placement';
import type { NetworkAttachment } from '../network/attachment';
import { PortMapping, describePort, hostBindingOf } from './ports';

/** What the clash check reads of a container: its public members, so another copy's containers count too. */
interface ContainerView extends IConstruct {
  readonly name: string;
  readonly ports: readonly PortMapping[];
  readonly attachments: readonly NetworkAttachment[];
}

/**
 * Containers in the stack-wide clash check: container names and host ports on each engine, and the names containers
 * answer to on a shared network, which Docker would only report halfway through an apply (or, for a name on a
 * network, never).
 */
export const CONTAINER_CLASHES: ClashSource = {
  kind: 'container',
  rank: 1,
  claimsOf: (construct) => (hasBrand(construct, 'ServiceContainer') ? containerClaims(construct as ContainerView) : undefined),
  nameTaken: (name, holder) =>
    `container name "${name}" is already used by ${constructLabel(holder.construct)}; ` +
    'Docker container names are unique on an engine, so give one of them another `name`.',
  hostPortTaken: (port, holder) =>
    `host port ${port.text} is already published by ${constructLabel(holder.construct)}; ` +
    'Docker can bind it only once, so change `external` (or `hostIp`) on one of them.',
  networkNameTaken: (name, network, holder) =>
    `the name "${name}" on network ${network.node.path} already belongs to ${constructLabel(holder.construct)}; ` +
    "Docker's DNS would answer it with either container, so pick another alias.",
};

function containerClaims(container: ContainerView): EngineClaims {
  return {
    name: container.name,
    engines: claimedEngines(container, false),
    hostPorts: container.ports.flatMap((port) => {
      const binding = hostBindingOf(port);
      return binding ? [{ ...binding, text: describePort(port) }] : [];
    }),
    networkNames: container.attachments.flatMap(({ network, aliases }) => [
      ...(aliases ?? []).map((name) => ({ network, name, alias: true })),
      { network, name: container.name, alias: false },
    ]),
  };
}
