import { BlockList, isIPv4, isIPv6 } from 'net';
import { IConstruct } from 'constructs';
import { TerraformStack, Token } from 'cdktf';

/** Docker's own rule for container and network names (moby's `RestrictedNamePattern`). */
const DOCKER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/** A DNS name the embedded DNS server can answer: labels of letters, digits, `-` and `_`, separated by dots. */
const DNS_NAME = /^[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?(\.[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?)*$/;

/** An error in a construct's input; the message starts with the construct's path. */
export class ValidationError extends Error {
  constructor(scope: IConstruct, message: string) {
    super(`${constructLabel(scope)}: ${message}`);
    this.name = 'ValidationError';
  }
}

/** `ServiceContainer network-basics/redis`: the construct's kind and path, the way error messages name it. */
export function constructLabel(scope: IConstruct): string {
  return `${scope.constructor.name} ${scope.node.path}`;
}

/** True when the value is known at synth time (not a token resolved at apply time). */
export function isKnown(value: unknown): boolean {
  return !Token.isUnresolved(value);
}

export function validateDockerName(scope: IConstruct, kind: 'container' | 'network' | 'volume', name: string): void {
  if (!isKnown(name)) return;
  if (!DOCKER_NAME.test(name)) {
    throw new ValidationError(
      scope,
      `invalid ${kind} name "${name}". Docker ${kind} names are at least 2 characters of letters, digits, "_", "." and "-", ` +
        'and start with a letter or digit; set `name` to such a value.',
    );
  }
}

export function validateAlias(scope: IConstruct, alias: string): void {
  if (!isKnown(alias)) return;
  if (!DNS_NAME.test(alias)) {
    throw new ValidationError(
      scope,
      `invalid network alias "${alias}". An alias is a DNS name: labels of letters, digits, "-" and "_" separated by dots, ` +
        'each at most 63 characters; fix `aliases`.',
    );
  }
}

/** A path inside the container must be absolute; `example` shows the user the form. */
export function validateContainerPath(scope: IConstruct, what: string, path: string, example: string): void {
  if (isKnown(path) && !path.startsWith('/')) {
    throw new ValidationError(scope, `${what} "${path}" is not absolute; write it like "${example}".`);
  }
}

export function validatePort(scope: IConstruct, field: string, port: number | undefined): void {
  if (port === undefined || !isKnown(port)) return;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ValidationError(scope, `${field} ${port} is not a port number; use a whole number from 1 to 65535.`);
  }
}

/** A CIDR block split into its address and prefix length. */
export interface Cidr {
  readonly address: string;
  readonly prefix: number;
  readonly family: 'ipv4' | 'ipv6';
}

export function parseCidr(scope: IConstruct, field: string, cidr: string): Cidr {
  const [address, prefixText, ...rest] = cidr.split('/');
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
  const prefix = Number(prefixText);
  const maxPrefix = family === 'ipv6' ? 128 : 32;
  if (family === undefined || rest.length > 0 || !/^\d{1,3}$/.test(prefixText ?? '') || prefix > maxPrefix) {
    throw new ValidationError(
      scope,
      `${field} "${cidr}" is not a CIDR block; write an address and a prefix length, e.g. "172.28.0.0/16".`,
    );
  }
  return { address, prefix, family };
}

export function cidrContains(cidr: Cidr, address: string): boolean {
  const block = new BlockList();
  block.addSubnet(cidr.address, cidr.prefix, cidr.family);
  return block.check(address, cidr.family);
}

/** Docker's choice of gateway for an IPv4 subnet: its first host address. */
export function firstHostAddress(cidr: Cidr): string {
  const octets = cidr.address.split('.').map(Number);
  const value = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
  const mask = cidr.prefix === 0 ? 0 : (0xffffffff << (32 - cidr.prefix)) >>> 0;
  const first = ((value & mask) >>> 0) + 1;
  return [24, 16, 8, 0].map((shift) => (first >>> shift) & 0xff).join('.');
}

/** The constructs of `scope`'s stack that come before `scope` in tree order. */
export function constructsBefore(scope: IConstruct): IConstruct[] {
  const all = TerraformStack.of(scope).node.findAll();
  return all.slice(0, all.indexOf(scope));
}

/**
 * The first construct in `scope`'s stack, before `scope` in tree order, that matches `match`.
 * Cross-construct checks report a clash once, on the later of the two constructs.
 */
export function earlierInStack<T extends IConstruct>(scope: IConstruct, match: (c: IConstruct) => c is T): T | undefined {
  return constructsBefore(scope).find(match);
}
