/**
 * An IP address as Docker reads one (Go's `net/netip`): IPv4 as four decimal octets without leading zeros, IPv6 in
 * any RFC 4291 form (compressed `fd00::1`, full, or with an IPv4 tail `::ffff:1.2.3.4`) but without a zone (`%eth0`).
 */
export interface IpAddress {
  readonly family: 'ipv4' | 'ipv6';
  /** The address as a number: 32 bits for IPv4, 128 for IPv6. */
  readonly value: bigint;
}

/** The number of bits of an address of `family`. */
export function addressBits(family: IpAddress['family']): number {
  return family === 'ipv4' ? 32 : 128;
}

/** The address `text` stands for, or undefined when it is not an IP address. */
export function parseIpAddress(text: string): IpAddress | undefined {
  if (typeof text !== 'string') return undefined;
  if (!text.includes(':')) {
    const value = parseIpv4(text);
    return value === undefined ? undefined : { family: 'ipv4', value };
  }
  const value = parseIpv6(text);
  return value === undefined ? undefined : { family: 'ipv6', value };
}

/** True for an IPv4 address written as IPv6, `::ffff:a.b.c.d`. */
export function isIpv4Mapped(address: IpAddress): boolean {
  return address.family === 'ipv6' && address.value >> 32n === 0xffffn;
}

/** The address in the form Docker reports it: `172.28.0.1`, `fd00::1` (RFC 5952), `::ffff:1.2.3.4`. */
export function formatIpAddress(address: IpAddress): string {
  if (address.family === 'ipv4') return formatIpv4(address.value);
  if (isIpv4Mapped(address)) return `::ffff:${formatIpv4(address.value & 0xffffffffn)}`;
  const groups = [...Array(8).keys()].map((i) => Number((address.value >> BigInt(112 - 16 * i)) & 0xffffn));
  // The longest run of two or more zero groups (the first of equals) becomes `::`.
  let best = { start: -1, length: 1 };
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length++;
    if (length > best.length) best = { start, length };
  }
  const hex = (part: number[]) => part.map((g) => g.toString(16)).join(':');
  if (best.start < 0) return hex(groups);
  return `${hex(groups.slice(0, best.start))}::${hex(groups.slice(best.start + best.length))}`;
}

const DECIMAL_OCTET = /^(0|[1-9][0-9]{0,2})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseIpv4(text: string): bigint | undefined {
  const octets = text.split('.');
  if (octets.length !== 4) return undefined;
  let value = 0n;
  for (const octet of octets) {
    if (!DECIMAL_OCTET.test(octet) || Number(octet) > 255) return undefined;
    value = (value << 8n) | BigInt(octet);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const [head, tail] = halves.map((half) => (half === '' ? [] : half.split(':')));
  const compressed = tail !== undefined;
  // An IPv4 tail stands for the last two groups, and may only end the address.
  const last = compressed ? tail : head;
  if (last.length > 0 && last[last.length - 1].includes('.')) {
    const ipv4 = parseIpv4(last.pop()!);
    if (ipv4 === undefined) return undefined;
    last.push((ipv4 >> 16n).toString(16), (ipv4 & 0xffffn).toString(16));
  }
  const groups = [...head, ...(tail ?? [])];
  if (!groups.every((group) => HEX_GROUP.test(group))) return undefined;
  // Without `::` there are exactly eight groups; `::` stands for at least one group of zeros.
  if (compressed ? groups.length > 7 : groups.length !== 8) return undefined;
  const zeros = Array<string>(8 - groups.length).fill('0');
  return [...head, ...zeros, ...(tail ?? [])].reduce((value, group) => (value << 16n) | BigInt(`0x${group}`), 0n);
}

function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}
