import { IConstruct } from 'constructs';
import { checkFrameworkCopies } from './framework-copies';

/**
 * How the library recognises its own constructs: one `Symbol.for` key, shared by every copy of the library loaded
 * in a process, whose value lists the kinds a construct is. `instanceof` would fail across two copies (a linked
 * checkout beside an installed package), and duck typing would mistake a user's look-alike for ours.
 */
const BRAND = Symbol.for('cdktf-docker-networking.kinds');

/** The kinds of construct the library recognises. */
export type BrandKind =
  | 'Engine'
  | 'Swarm'
  | 'Network'
  | 'INetwork'
  | 'ServiceContainer'
  | 'Volume'
  | 'SwarmService'
  | 'SwarmSecret'
  | 'VotingApp'
  | 'Reachability'
  | 'StateEncryption';

/** Marks `target` as being each of `kinds` (adds to the kinds it already has). */
function brand(target: object, ...kinds: BrandKind[]): void {
  const existing: readonly string[] = (target as any)[BRAND] ?? [];
  Object.defineProperty(target, BRAND, { value: Object.freeze([...new Set([...existing, ...kinds])]), configurable: true });
}

/** True when `x` was branded as `kind` by any copy of the library. */
export function hasBrand(x: unknown, kind: BrandKind): boolean {
  if (typeof x !== 'object' || x === null) return false;
  const kinds: unknown = (x as any)[BRAND];
  return Array.isArray(kinds) && kinds.includes(kind);
}

/**
 * What upper layers run for every construct of the library as it is made (the policy pack: to reach the stacks of
 * an App it was applied to). Kept on the global object under a `Symbol.for` key, shared by every copy of the
 * library: a copy that registers a hook under a key another copy used replaces it, since both do the same.
 */
const CONSTRUCT_HOOKS = Symbol.for('cdktf-docker-networking.construct-hooks');

type ConstructHook = (construct: IConstruct) => void;

/** Runs `hook` for every construct `registerConstruct` registers from now on. */
export function onRegisterConstruct(key: string, hook: ConstructHook): void {
  const global = globalThis as any;
  const hooks: Map<string, ConstructHook> = (global[CONSTRUCT_HOOKS] ??= new Map<string, ConstructHook>());
  hooks.set(key, hook);
}

/**
 * What every construct of the library does first: brands it as `kinds`, fails when its tree comes from another
 * copy of cdktf or constructs (where the library's aspects and validations would silently never run), and runs the
 * hooks of the layers above (`onRegisterConstruct`).
 */
export function registerConstruct(construct: IConstruct, ...kinds: BrandKind[]): void {
  brand(construct, ...kinds);
  checkFrameworkCopies(construct);
  const hooks: Map<string, ConstructHook> | undefined = (globalThis as any)[CONSTRUCT_HOOKS];
  hooks?.forEach((hook) => hook(construct));
}
