import { IConstruct } from 'constructs';
import { addressBits, formatIpAddress, parseIpAddress } from '../core/ip-address';
import { ValidationError } from '../core/errors';

/** A CIDR block split into its address and prefix length. */
export interface Cidr {
  readonly address: string;
  readonly prefix: number;
  readonly family: 'ipv4' | 'ipv6';
}

/** A prefix length as Go's `netip.ParsePrefix` reads it: decimal, no leading zeros. */
const PREFIX_LENGTH = /^(0|[1-9][0-9]{0,2})$/;

/**
 * Reads a subnet or IP range. Docker (Engine 25 and later) refuses a block with host bits set, such as
 * `10.20.0.5/24`; older engines silently used the network address instead.
 */
export function parseCidr(scope: IConstruct, field: string, cidr: string): Cidr {
  const [addressText, prefixText, ...rest] = cidr.split('/');
  const address = parseIpAddress(addressText);
  const prefix = Number(prefixText);
  if (address === undefined || rest.length > 0 || !PREFIX_LENGTH.test(prefixText ?? '') || prefix > addressBits(address.family)) {
    throw new ValidationError(
      scope,
      `${field} "${cidr}" is not a CIDR block; write an address and a prefix length, e.g. "172.28.0.0/16".`,
    );
  }
  const network = { family: address.family, value: address.value & mask(address.family, prefix) };
  if (network.value !== address.value) {
    throw new ValidationError(
      scope,
      `${field} "${cidr}" has host bits set, which Docker (Engine 25 and later) refuses; write its network address, ` +
        `"${formatIpAddress(network)}/${prefix}".`,
    );
  }
  return { address: addressText, prefix, family: address.family };
}

/** True when `address` is an IP address of the block's family inside the block. */
export function cidrContains(cidr: Cidr, address: string): boolean {
  const parsed = parseIpAddress(address);
  const network = parseIpAddress(cidr.address);
  if (parsed === undefined || network === undefined || parsed.family !== cidr.family) return false;
  const bits = mask(cidr.family, cidr.prefix);
  return (parsed.value & bits) === (network.value & bits);
}

/** `172.28.0.0/16` */
export function formatCidr(cidr: Cidr): string {
  return `${cidr.address}/${cidr.prefix}`;
}

/** Docker's choice of gateway for a subnet read by `parseCidr`: its first host address. */
export function firstHostAddress(cidr: Cidr): string {
  const network = parseIpAddress(cidr.address)!;
  return formatIpAddress({ family: network.family, value: network.value + 1n });
}

/** The network part of an address of `family` under a prefix of `prefix` bits. */
function mask(family: Cidr['family'], prefix: number): bigint {
  const bits = BigInt(addressBits(family));
  return ((1n << bits) - 1n) ^ ((1n << (bits - BigInt(prefix))) - 1n);
}
