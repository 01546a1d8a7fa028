/**
 * The stacks of the synth-at-scale benchmark: `containers` containers spread evenly over `networks` networks, each
 * container with its own image, one alias and the settings that satisfy every rule of the policy pack. Written
 * three ways that synthesize the same containers, networks and images:
 *   raw      straight against the provider's classes (`Container`, `DockerNetwork`, `Image`)
 *   library  with `Network` and `ServiceContainer`
 *   pack     the library plus `DockerPolicy.applyTo(stack)` and declared flows (the reachability check)
 */
import { createHash } from 'crypto';
import { Construct } from 'constructs';
import { App, TerraformStack } from 'cdktf';
import { Container } from '@cdktf/provider-docker/lib/container';
import { Image } from '@cdktf/provider-docker/lib/image';
import { Network as DockerNetwork } from '@cdktf/provider-docker/lib/network';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import {
  Capability,
  DockerPolicy,
  Healthcheck,
  Network,
  REPLACE_ON_CHANGE_LABEL,
  Reachability,
  STACK_LABEL,
  ServiceContainer,
  Size,
} from '../lib';

export type Variant = 'raw' | 'library' | 'pack';
export const VARIANTS: readonly Variant[] = ['raw', 'library', 'pack'];

export const STACK_ID = 'scale';
const IMAGE = 'nginx:1.27';
const HEALTH_TEST = ['CMD', 'true'];
const CPU_LIMIT = 0.5;
const MEMORY_MIB = 64;
/** The provider block of the library's healthcheck with its defaults (5 s interval, 3 s timeout, 10 retries). */
const HEALTHCHECK = { test: HEALTH_TEST, interval: '5s', timeout: '3s', retries: 10, startPeriod: '0s' };

/** Container `i` of `networks` networks: its network, its Docker name and its alias. */
function placement(i: number, networks: number) {
  const network = i % networks;
  return { network, name: `c${i}`, alias: `svc${i}` };
}

/** The container groups: one construct scope per network holding its containers; with one network, the stack. */
function groupsOf(stack: Construct, networks: number): Construct[] {
  if (networks === 1) return [stack];
  return Array.from({ length: networks }, (_, k) => new Construct(stack, `g${k}`));
}

function raw(stack: TerraformStack, containers: number, networks: number): void {
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

function library(stack: TerraformStack, containers: number, networks: number): ServiceContainer[][] {
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

function pack(stack: TerraformStack, containers: number, networks: number): void {
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

/** The app with one stack of `variant`, not yet synthesized. */
export function scaleApp(variant: Variant, containers: number, networks: number, outdir: string): App {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, STACK_ID);
  new DockerProvider(stack, 'docker');
  ({ raw, library, pack })[variant](stack, containers, networks);
  return app;
}
