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
  | 'Network'
  | 'INetwork'
  | 'ServiceContainer'
  | 'Volume'
  | 'SwarmService'
  | 'SwarmSecret'
  | 'VotingApp'
  | 'Reachability';

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
 * What every construct of the library does first: brands it as `kinds` and fails when its tree comes from another
 * copy of cdktf or constructs (where the library's aspects and validations would silently never run).
 */
export function registerConstruct(construct: IConstruct, ...kinds: BrandKind[]): void {
  brand(construct, ...kinds);
  checkFrameworkCopies(construct);
}
