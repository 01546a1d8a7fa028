import { formatIpAddress, parseIpAddress } from '../../lib/core/ip-address';

describe('parseIpAddress', () => {
  test.each([
    ['0.0.0.0', 0n],
    ['172.28.0.1', 0xac1c0001n],
    ['255.255.255.255', 0xffffffffn],
  ])('reads the IPv4 address %p', (text, value) => {
    expect(parseIpAddress(text)).toEqual({ family: 'ipv4', value });
  });

  test.each([
    ['::', 0n],
    ['::1', 1n],
    ['fd00::', 0xfd00n << 112n],
    ['fd00:28::10', (0xfd00n << 112n) | (0x28n << 96n) | 0x10n],
    ['FD00:0028:0000:0000:0000:0000:0000:0010', (0xfd00n << 112n) | (0x28n << 96n) | 0x10n],
    ['1:2:3:4:5:6:7:8', 0x00010002000300040005000600070008n],
    ['1:2:3:4:5:6:7::', 0x00010002000300040005000600070000n],
    ['::ffff:1.2.3.4', 0xffff01020304n],
    ['64:ff9b::192.0.2.33', (0x64n << 112n) | (0xff9bn << 96n) | 0xc0000221n],
    ['1:2:3:4:5:6:1.2.3.4', 0x00010002000300040005000601020304n],
  ])('reads the IPv6 address %p', (text, value) => {
    expect(parseIpAddress(text)).toEqual({ family: 'ipv6', value });
  });

  test.each([
    '',
    'localhost',
    '1.2.3',
    '1.2.3.4.5',
    '01.2.3.4',
    '1.2.3.04',
    '256.1.1.1',
    '1.2.3.-4',
    ' 1.2.3.4',
    'fe80::1%eth0',
    '1::2::3',
    ':::',
    ':1::2',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7:8::',
    '1:2:3:4:5:6:7::8',
    '1:2:3:4:5:6:7',
    '12345::',
    'g::1',
    '1.2.3.4::',
    '::1.2.3.4:5',
    '::ffff:1.2.3.256',
    '::ffff:01.2.3.4',
  ])('refuses %p', (text) => {
    expect(parseIpAddress(text)).toBeUndefined();
  });
});

describe('formatIpAddress', () => {
  test.each([
    ['172.28.0.1', '172.28.0.1'],
    ['FD00:0028:0000:0000:0000:0000:0000:0010', 'fd00:28::10'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['1:0:2:0:3:0:4:0', '1:0:2:0:3:0:4:0'],
    ['1:0:0:2:2:0:0:3', '1::2:2:0:0:3'],
    ['::ffff:1.2.3.4', '::ffff:1.2.3.4'],
  ])('writes %p as Docker reports it: %p', (text, formatted) => {
    expect(formatIpAddress(parseIpAddress(text)!)).toBe(formatted);
  });
});
