import { IConstruct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { addStackValidationOnce } from './construct-tree';
import { constructLabel, isKnown } from './errors';
import { formatIpAddress, parseIpAddress } from './ip-address';

/** A port bound on the host: a container's published port, or a Swarm service's (on every interface). */
export interface HostBinding {
  readonly port: number;
  /** `tcp`, `udp` or `sctp`. */
  readonly protocol: string;
  /** The address it binds: `''`, `0.0.0.0` or `::` for every interface (Swarm always binds every interface). */
  readonly hostIp: string;
}

/** A host port one construct claims, with the words its messages name it by. */
export interface HostPort extends HostBinding {
  /** E.g. `127.0.0.1:5000/tcp` or `5000/tcp (host mode)`. */
  readonly text: string;
}

/** A name a construct answers to on one network, in Docker's embedded DNS. */
export interface NetworkName {
  readonly network: IConstruct;
  readonly name: string;
  /**
   * True for an alias given in code. False for a name the construct has by its own name (a container's name, a
   * service's name and `tasks.<name>`): two constructs of one kind with one own name are a name clash, reported once
   * as such, not again on each network they share.
   */
  readonly alias: boolean;
}

/** What a construct holds that Docker lets only one construct hold. */
export interface EngineClaims {
  /** Its name among the constructs of its kind (container names, service names and network names are apart). */
  readonly name?: string;
  readonly hostPorts?: HostPort[];
  readonly networkNames?: NetworkName[];
  /**
   * The engines its name and host ports are held on (any objects that stand for them): two claims clash only where
   * these meet. A name on a network is the network's, wherever the construct runs.
   * @default - the stack's default engine
   */
  readonly engines?: readonly object[];
}

/** The construct that holds a name or a port first, and its kind. */
export interface Holder {
  readonly construct: IConstruct;
  readonly kind: string;
}

/**
 * One kind of construct the clash check reads: which constructs are of it, what each claims, and how the message
 * says that a claim is taken. A message follows `<kind> <path>: ` of the construct reported.
 */
export interface ClashSource {
  /** The kind, e.g. `container`: its names are a namespace of their own. */
  readonly kind: string;
  /**
   * Sources are read in rising rank, each in tree order; a clash is reported on the construct read later, so a
   * clash between two kinds always on the one of higher rank, whose messages speak of both.
   */
  readonly rank: number;
  /** What `construct` claims, or undefined when it is not of this kind. */
  claimsOf(construct: IConstruct): EngineClaims | undefined;
  nameTaken(name: string, holder: Holder): string;
  /** Required when the source claims host ports. */
  hostPortTaken?(port: HostPort, holder: Holder): string;
  /** Required when the source claims names on networks. */
  networkNameTaken?(name: string, network: IConstruct, holder: Holder): string;
}

const SOURCES = Symbol.for('cdktf-docker-networking.clash-sources');

/**
 * Has `scope`'s stack check `source`'s constructs for clashes at synth, against each other and against every other
 * source's. One validation a stack, one walk of its tree, however many sources and constructs; a source is
 * registered once a stack by its kind (also when two copies of the library add it).
 */
export function addClashSource(scope: IConstruct, source: ClashSource): void {
  const stack = TerraformStack.of(scope);
  const sources: Map<string, ClashSource> = ((stack as any)[SOURCES] ??= new Map<string, ClashSource>());
  if (!sources.has(source.kind)) sources.set(source.kind, source);
  addStackValidationOnce(scope, 'engine-clashes', () => findClashes(stack.node.findAll(), [...sources.values()]));
}

/**
 * Clashes that Docker would only report halfway through an apply, or never: one name twice among constructs of a
 * kind on one engine, one host port bound twice on overlapping addresses of one engine, one name on a network
 * answered by two constructs.
 * Indexed by name and by port, so the cost grows with the claims, not with pairs of constructs. Each clash is
 * reported once, on the later construct, against the first holder.
 */
export function findClashes(constructs: IConstruct[], sources: ClashSource[]): string[] {
  const index = new ClashIndex();
  for (const source of [...sources].sort((a, b) => a.rank - b.rank)) {
    for (const construct of constructs) {
      const claims = source.claimsOf(construct);
      if (claims) index.add({ construct, kind: source.kind }, source, claims);
    }
  }
  return index.errors;
}

/** The engine of a claim that names none: the stack's default. */
const DEFAULT_ENGINE: readonly object[] = [{}];

class ClashIndex {
  public readonly errors: string[] = [];
  /** By kind, then name: the holders on distinct engines. */
  private readonly names = new Map<string, Map<string, { holder: Holder; engines: readonly object[] }[]>>();
  /** By `<port>/<protocol>`: each port is compared only with the ports it can clash with. */
  private readonly hostPorts = new Map<string, { port: HostPort; holder: Holder; engines: readonly object[] }[]>();
  private readonly networkNames = new Map<IConstruct, Map<string, { holder: Holder; alias: boolean }>>();

  public add(claimant: Holder, source: ClashSource, claims: EngineClaims): void {
    const report = (message: string) => this.errors.push(`${constructLabel(claimant.construct)}: ${message}`);
    const { construct } = claimant;
    const engines = claims.engines ?? DEFAULT_ENGINE;

    if (claims.name !== undefined && isKnown(claims.name)) {
      const names = entry(this.names, claimant.kind, () => new Map<string, { holder: Holder; engines: readonly object[] }[]>());
      const holders = entry(names, claims.name, () => []);
      const taken = holders.find((h) => enginesMeet(h.engines, engines));
      if (taken && taken.holder.construct !== construct) report(source.nameTaken(claims.name, taken.holder));
      else if (!taken) holders.push({ holder: claimant, engines });
    }

    for (const port of claims.hostPorts ?? []) {
      if (!isKnown(port.port)) continue;
      const samePort = entry(this.hostPorts, `${port.port}/${port.protocol}`, () => []);
      const taken = samePort.find(
        (p) => p.holder.construct !== construct && enginesMeet(p.engines, engines) && hostAddressesOverlap(p.port.hostIp, port.hostIp),
      );
      if (taken) report(source.hostPortTaken!(port, taken.holder));
      samePort.push({ port, holder: claimant, engines });
    }

    for (const { network, name, alias } of claims.networkNames ?? []) {
      if (!isKnown(name)) continue;
      const names = entry(this.networkNames, network, () => new Map<string, { holder: Holder; alias: boolean }>());
      const held = names.get(name);
      if (!held) {
        names.set(name, { holder: claimant, alias });
      } else if (held.holder.construct !== construct && (alias || held.alias || held.holder.kind !== claimant.kind)) {
        report(source.networkNameTaken!(name, network, held.holder));
      }
    }
  }
}

/** Two claims meet on an engine both hold. */
function enginesMeet(a: readonly object[], b: readonly object[]): boolean {
  return a === b || a.some((engine) => b.includes(engine));
}

function entry<K, V>(map: Map<K, V>, key: K, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

/** How a binding on every interface is written; Swarm's bindings are. */
export const EVERY_INTERFACE = '';

const EVERY_INTERFACE_ADDRESSES = new Set([EVERY_INTERFACE, '0.0.0.0', '::']);

/**
 * The host address in one spelling (`::1` for `0:0::1`) so that two spellings compare equal, `EVERY_INTERFACE` for
 * any spelling of every interface, undefined for an address known only at apply time.
 */
function hostAddress(hostIp: string): string | undefined {
  if (!isKnown(hostIp)) return undefined;
  const parsed = parseIpAddress(hostIp);
  const address = parsed === undefined ? hostIp : formatIpAddress(parsed);
  return EVERY_INTERFACE_ADDRESSES.has(address) ? EVERY_INTERFACE : address;
}

/**
 * Two bindings of one port overlap on one address, or when either binds every interface. An address known only at
 * apply time overlaps every interface, and no address it could be compared with now.
 */
export function hostAddressesOverlap(a: string, b: string): boolean {
  const [addressA, addressB] = [hostAddress(a), hostAddress(b)];
  return addressA === EVERY_INTERFACE || addressB === EVERY_INTERFACE || (addressA !== undefined && addressA === addressB);
}

/** Two host ports clash when they bind one port number and protocol on overlapping addresses. */
export function hostPortsClash(a: HostBinding, b: HostBinding): boolean {
  if (!isKnown(a.port) || !isKnown(b.port)) return false;
  return a.port === b.port && a.protocol === b.protocol && hostAddressesOverlap(a.hostIp, b.hostIp);
}
