import { IConstruct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { hasBrand } from '../core/brand';
import { constructLabel, isKnown } from '../core/errors';
import type { NetworkAttachment } from '../network/attachment';
import type { INetwork } from '../network/network';
import { PortMapping, describePort, portsClash } from './ports';

/** What the stack-wide check reads of a container: its public members, so another copy's containers count too. */
interface ContainerView extends IConstruct {
  readonly name: string;
  readonly ports: readonly PortMapping[];
  readonly attachments: readonly NetworkAttachment[];
}

/** Who answers to a name on one network, and whether by its own name or by an alias. */
interface NameOwner {
  readonly owner: ContainerView;
  readonly byAlias: boolean;
}

/**
 * Clashes that Docker would only report halfway through an apply: container names, host ports and the names
 * containers answer to on a shared network. One walk of the stack in tree order; each clash is reported once, on
 * the later of the two containers.
 */
export function checkContainerClashes(stack: TerraformStack): string[] {
  const containers = stack.node.findAll().filter((c): c is ContainerView & IConstruct => hasBrand(c, 'ServiceContainer'));
  const errors: string[] = [];
  const byName = new Map<string, ContainerView>();
  const published = new Map<string, { port: PortMapping; owner: ContainerView }[]>();
  const namesOnNetwork = new Map<INetwork, Map<string, NameOwner>>();

  for (const container of containers) {
    const label = constructLabel(container);
    const sameName = isKnown(container.name) ? byName.get(container.name) : undefined;
    if (sameName) {
      errors.push(
        `${label}: container name "${container.name}" is already used by ${constructLabel(sameName)}; ` +
          'Docker container names are unique on an engine, so give one of them another `name`.',
      );
    } else if (isKnown(container.name)) {
      byName.set(container.name, container);
    }

    for (const port of container.ports) {
      if (port.external === undefined || !isKnown(port.external)) continue;
      const key = String(port.external);
      const earlier = published.get(key) ?? [];
      published.set(key, earlier);
      const clash = earlier.find((p) => p.owner !== container && portsClash(p.port, port));
      if (clash) {
        errors.push(
          `${label}: host port ${describePort(port)} is already published by ${constructLabel(clash.owner)}; ` +
            'Docker can bind it only once, so change `external` (or `hostIp`) on one of them.',
        );
      }
      earlier.push({ port, owner: container });
    }

    for (const attachment of container.attachments) {
      const names = namesOnNetwork.get(attachment.network) ?? new Map<string, NameOwner>();
      namesOnNetwork.set(attachment.network, names);
      const aliases = (attachment.aliases ?? []).filter(isKnown);
      for (const alias of aliases) {
        const taken = names.get(alias);
        if (taken) errors.push(aliasClash(label, alias, attachment.network, taken.owner));
      }
      // The same container name twice is reported above; an earlier alias equal to this name is a clash here.
      const ownName = isKnown(container.name) ? names.get(container.name) : undefined;
      if (ownName?.byAlias) errors.push(aliasClash(label, container.name, attachment.network, ownName.owner));

      if (isKnown(container.name) && !names.has(container.name)) names.set(container.name, { owner: container, byAlias: false });
      for (const alias of aliases) if (!names.has(alias)) names.set(alias, { owner: container, byAlias: true });
    }
  }
  return errors;
}

function aliasClash(label: string, name: string, network: INetwork, owner: IConstruct): string {
  return (
    `${label}: the name "${name}" on network ${network.node.path} already belongs to ` +
    `${constructLabel(owner)}; Docker's DNS would answer it with either container, so pick another alias.`
  );
}
