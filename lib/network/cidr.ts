import { BlockList, isIPv4, isIPv6 } from 'net';
import { IConstruct } from 'constructs';
import { ValidationError } from '../core/errors';

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

/** `172.28.0.0/16` */
export function formatCidr(cidr: Cidr): string {
  return `${cidr.address}/${cidr.prefix}`;
}

/** Docker's choice of gateway for an IPv4 subnet: its first host address. */
export function firstHostAddress(cidr: Cidr): string {
  const octets = cidr.address.split('.').map(Number);
  const value = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
  const mask = cidr.prefix === 0 ? 0 : (0xffffffff << (32 - cidr.prefix)) >>> 0;
  const first = ((value & mask) >>> 0) + 1;
  return [24, 16, 8, 0].map((shift) => (first >>> shift) & 0xff).join('.');
}
