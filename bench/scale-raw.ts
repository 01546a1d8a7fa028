/**
 * The raw stack of the synth-at-scale benchmark: the same containers, networks and images as the library's, written
 * straight against the provider's classes. It loads only cdktf, the provider's classes and, for the label names, the
 * library's bottom layer through its entry (lib/core, the one internal entry the layer rules let the bench import),
 * not the library, so the library's module loading is not counted in raw's time.
 */
import { createHash } from 'crypto';
import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { Container } from '@cdktf/provider-docker/lib/container';
import { Image } from '@cdktf/provider-docker/lib/image';
import { Network as DockerNetwork } from '@cdktf/provider-docker/lib/network';
import { REPLACE_ON_CHANGE_LABEL, STACK_LABEL } from '../lib/core';
import { CPU_LIMIT, HEALTHCHECK, IMAGE, MEMORY_MIB, STACK_ID, groupsOf, placement } from './scale-shape';

export function raw(stack: TerraformStack, containers: number, networks: number): void {
  const groups = groupsOf(stack, networks);
  const replaceLabel = createHash('sha256')
    .update(JSON.stringify({ healthcheck: HEALTHCHECK, cpuLimit: CPU_LIMIT }))
    .digest('hex')
    .slice(0, 12);
  const nets = groups.map(
    (group, k) =>
      new DockerNetwork(group, 'net', { name: `net${k}`, driver: 'bridge', labels: [{ label: STACK_LABEL, value: STACK_ID }] }),
  );
  for (let i = 0; i < containers; i++) {
    const { network, name, alias } = placement(i, networks);
    const scope = new Construct(groups[network], name);
    const image = new Image(scope, 'Image', { name: IMAGE, keepLocally: true });
    new Container(scope, 'Resource', {
      name,
      image: image.imageId,
      restart: 'unless-stopped',
      healthcheck: HEALTHCHECK,
      wait: true,
      waitTimeout: 80,
      memory: MEMORY_MIB,
      memorySwap: MEMORY_MIB,
      cpuPeriod: 100_000,
      cpuQuota: CPU_LIMIT * 100_000,
      labels: [
        { label: REPLACE_ON_CHANGE_LABEL, value: replaceLabel },
        { label: STACK_LABEL, value: STACK_ID },
      ],
      readOnly: true,
      capabilities: { add: [], drop: ['ALL'] },
      securityOpts: ['no-new-privileges:true'],
      networksAdvanced: [{ name: nets[network].id, aliases: [alias] }],
    });
  }
}
