import { NetworkDriver } from '../../lib';

describe('NetworkDriver', () => {
  test('names the built-in drivers', () => {
    expect([NetworkDriver.BRIDGE, NetworkDriver.OVERLAY, NetworkDriver.MACVLAN, NetworkDriver.IPVLAN].map((d) => d.name)).toEqual([
      'bridge',
      'overlay',
      'macvlan',
      'ipvlan',
    ]);
  });
});
