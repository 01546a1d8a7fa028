/**
 * The library's stacks of the synth-at-scale benchmark: with `Network` and `ServiceContainer`, and the same with the
 * policy pack and a declared intent.
 */
import { TerraformStack } from 'cdktf';
import { Capability, DockerPolicy, Healthcheck, Network, Reachability, ServiceContainer, Size } from '../lib';
import { CPU_LIMIT, HEALTH_TEST, IMAGE, MEMORY_MIB, groupsOf, placement } from './scale-shape';

export function library(stack: TerraformStack, containers: number, networks: number): ServiceContainer[][] {
  const groups = groupsOf(stack, networks);
  const nets = groups.map((group, k) => new Network(group, 'net', { name: `net${k}` }));
  const members: ServiceContainer[][] = groups.map(() => []);
  for (let i = 0; i < containers; i++) {
    const { network, name, alias } = placement(i, networks);
    members[network].push(
      new ServiceContainer(groups[network], name, {
        image: IMAGE,
        networks: [{ network: nets[network], aliases: [alias] }],
        healthcheck: Healthcheck.command(HEALTH_TEST.slice(1)),
        memoryLimit: Size.mebibytes(MEMORY_MIB),
        cpuLimit: CPU_LIMIT,
        readOnlyRootFilesystem: true,
        capabilities: { drop: [Capability.ALL] },
      }),
    );
  }
  return members;
}

/**
 * The library with the pack applied and an intent declared. Where a network has at most `DECLARE_ALL_UP_TO`
 * members, every pair of it is declared (a chain of needed flows, the other pairs tolerated): with a group a
 * network, the intent then applies to the group and the check runs on every pair the topology allows. A larger
 * network (the 1000-on-one case, containers directly in the stack) declares a chain of ten needed flows at the
 * stack root, which checks those flows and leaves the other pairs unenforced.
 */
const DECLARE_ALL_UP_TO = 20;

export function pack(stack: TerraformStack, containers: number, networks: number): void {
  const members = library(stack, containers, networks);
  for (const group of members) {
    if (group.length <= DECLARE_ALL_UP_TO) {
      const reachability = Reachability.of(stack);
      for (let a = 0; a < group.length; a++) {
        for (let b = a + 1; b < group.length; b++) {
          if (b === a + 1) reachability.allow(group[a], group[b]);
          else reachability.tolerate(group[a], group[b], 'the group shares one network by design');
        }
      }
    } else {
      for (let a = 0; a + 1 < Math.min(group.length, 11); a++) Reachability.of(stack).allow(group[a], group[a + 1]);
    }
  }
  DockerPolicy.applyTo(stack);
}
