import { IConstruct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { hasBrand } from '../core/brand';
import { constructLabel, isKnown } from '../core/errors';
import type { NetworkAttachment } from '../network/attachment';
import type { INetwork } from '../network/network';
import type { PortMapping } from '../container/ports';
import { Protocol } from '../container/ports';
import { describeServicePort, servicePortsClash } from './service-ports';
import type { ServiceNetworkAttachment, ServicePort } from './swarm-service-props';

/** What the stack-wide check reads of a service: its public members, so another copy's services count too. */
interface ServiceView extends IConstruct {
  readonly name: string;
  readonly ports: readonly ServicePort[];
  readonly attachments: readonly ServiceNetworkAttachment[];
}

/** What it reads of a ServiceContainer on the same engine. */
interface ContainerView extends IConstruct {
  readonly name: string;
  readonly ports: readonly PortMapping[];
  readonly attachments: readonly NetworkAttachment[];
}

/**
 * Clashes Swarm would report halfway through an apply, or never: service names, published ports (among services,
 * and against containers' host ports: Swarm binds every interface) and names on a shared network. One walk of the
 * stack; each clash is reported once, on the later service.
 */
export function checkServiceClashes(stack: TerraformStack): string[] {
  const all = stack.node.findAll();
  const services = all.filter((c): c is ServiceView => hasBrand(c, 'SwarmService'));
  const containers = all.filter((c): c is ContainerView => hasBrand(c, 'ServiceContainer'));
  const errors: string[] = [];
  const byName = new Map<string, ServiceView>();
  // Ports by `<number>/<protocol>`, so each port is compared only with the ports it can clash with.
  const portKey = (port: number, protocol: Protocol | undefined) => `${port}/${protocol ?? Protocol.TCP}`;
  const published = new Map<string, { port: ServicePort; owner: ServiceView }[]>();
  const containerPorts = new Map<string, ContainerView>();
  const namesOnNetwork = new Map<INetwork, Map<string, IConstruct>>();
  const names = (network: INetwork) => {
    const map = namesOnNetwork.get(network) ?? new Map<string, IConstruct>();
    namesOnNetwork.set(network, map);
    return map;
  };
  // Containers first: a service that takes a container's name or host port is the one reported.
  for (const container of containers) {
    for (const p of container.ports) {
      if (p.external === undefined || !isKnown(p.external)) continue;
      const key = portKey(p.external, p.protocol);
      if (!containerPorts.has(key)) containerPorts.set(key, container);
    }
    for (const attachment of container.attachments) {
      const map = names(attachment.network);
      for (const name of [container.name, ...(attachment.aliases ?? [])].filter(isKnown)) if (!map.has(name)) map.set(name, container);
    }
  }

  for (const service of services) {
    const label = constructLabel(service);
    const sameName = isKnown(service.name) ? byName.get(service.name) : undefined;
    if (sameName) {
      errors.push(
        `${label}: service name "${service.name}" is already used by ${constructLabel(sameName)}; ` +
          'service names are unique in a swarm, so give one of them another `name`.',
      );
    } else if (isKnown(service.name)) {
      byName.set(service.name, service);
    }

    for (const port of service.ports) {
      // A port Swarm picks (no `published`) or one known only at apply time cannot be compared.
      if (port.published === undefined || !isKnown(port.published)) continue;
      const key = portKey(port.published, port.protocol);
      const sameKey = published.get(key) ?? [];
      published.set(key, sameKey);
      const clash = sameKey.find((p) => p.owner !== service && servicePortsClash(p.port, port));
      if (clash) {
        errors.push(
          `${label}: port ${describeServicePort(port)} is already published by ${constructLabel(clash.owner)}; a swarm ` +
            'binds a published port on every interface of its nodes (ingress: on all nodes), so change `published` on one of them.',
        );
      }
      const container = containerPorts.get(key);
      if (container) {
        errors.push(
          `${label}: port ${describeServicePort(port)} is also published by the container ${constructLabel(container)} on ` +
            'this engine; Swarm binds every interface, so change `published` or the container\'s `external`.',
        );
      }
      sameKey.push({ port, owner: service });
    }

    for (const attachment of service.attachments) {
      const map = names(attachment.network);
      const own = [service.name, `tasks.${service.name}`, ...(attachment.aliases ?? [])].filter(isKnown);
      for (const name of own) {
        const owner = map.get(name);
        if (owner && owner !== service) {
          errors.push(
            `${label}: the name "${name}" on network ${attachment.network.node.path} already belongs to ` +
              `${constructLabel(owner)}; Docker's DNS would answer it with both, so pick another alias or name.`,
          );
        } else {
          map.set(name, service);
        }
      }
    }
  }
  return errors;
}
