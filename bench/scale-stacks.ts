/**
 * The stacks of the synth-at-scale benchmark, written three ways that synthesize the same containers, networks and
 * images (bench/scale-shape.ts):
 *   raw      straight against the provider's classes (`Container`, `DockerNetwork`, `Image`), bench/scale-raw.ts
 *   library  with `Network` and `ServiceContainer`, bench/scale-library.ts
 *   pack     the library plus `DockerPolicy.applyTo(stack)` and declared flows (the reachability check)
 * Each variant's module is loaded when its stack is built: a process that builds the raw stack never loads the
 * library.
 */
import { App, TerraformStack } from 'cdktf';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { STACK_ID } from './scale-shape';

export { STACK_ID } from './scale-shape';

export type Variant = 'raw' | 'library' | 'pack';
export const VARIANTS: readonly Variant[] = ['raw', 'library', 'pack'];

type StackBuilder = (stack: TerraformStack, containers: number, networks: number) => void;

function builderOf(variant: Variant): StackBuilder {
  if (variant === 'raw') return (require('./scale-raw') as typeof import('./scale-raw')).raw;
  const stacks = require('./scale-library') as typeof import('./scale-library');
  return variant === 'library' ? stacks.library : stacks.pack;
}

/** The app with one stack of `variant`, not yet synthesized. */
export function scaleApp(variant: Variant, containers: number, networks: number, outdir: string): App {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, STACK_ID);
  new DockerProvider(stack, 'docker');
  builderOf(variant)(stack, containers, networks);
  return app;
}
