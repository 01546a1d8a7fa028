/**
 * What the three stacks of the synth-at-scale benchmark share (bench/scale-stacks.ts): `containers` containers spread
 * evenly over `networks` networks, each container with its own image, one alias and the settings that satisfy every
 * rule of the policy pack. Imports nothing of the library, so the raw stack runs without loading it.
 */
import { Construct } from 'constructs';

export const STACK_ID = 'scale';
export const IMAGE = 'nginx:1.27';
export const HEALTH_TEST = ['CMD', 'true'];
export const CPU_LIMIT = 0.5;
export const MEMORY_MIB = 64;
/** The provider block of the library's healthcheck with its defaults (5 s interval, 3 s timeout, 10 retries). */
export const HEALTHCHECK = { test: HEALTH_TEST, interval: '5s', timeout: '3s', retries: 10, startPeriod: '0s' };

/** Container `i` of `networks` networks: its network, its Docker name and its alias. */
export function placement(i: number, networks: number) {
  const network = i % networks;
  return { network, name: `c${i}`, alias: `svc${i}` };
}

/** The container groups: one construct scope per network holding its containers; with one network, the stack. */
export function groupsOf(stack: Construct, networks: number): Construct[] {
  if (networks === 1) return [stack];
  return Array.from({ length: networks }, (_, k) => new Construct(stack, `g${k}`));
}

