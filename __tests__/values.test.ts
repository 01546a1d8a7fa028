import { Duration, Healthcheck, NetworkDriver, RestartPolicy, Size } from '../lib';

describe('Duration', () => {
  test.each([
    [Duration.millis(0), '0s'],
    [Duration.millis(500), '500ms'],
    [Duration.seconds(5), '5s'],
    [Duration.millis(1500), '1.5s'],
    [Duration.seconds(60), '1m0s'],
    [Duration.seconds(90), '1m30s'],
    [Duration.minutes(60), '1h0m0s'],
    [Duration.seconds(3723), '1h2m3s'],
  ])('renders %p in Go notation as %p, the way Docker reports it back', (duration, text) => {
    expect(duration.toGoString()).toBe(text);
  });

  test('rounds seconds up for second-based provider attributes', () => {
    expect(Duration.millis(1500).toSeconds()).toBe(2);
  });

  test('rejects negative and sub-millisecond amounts', () => {
    expect(() => Duration.seconds(-1)).toThrow('Duration: -1 seconds is not a whole, non-negative number of milliseconds.');
    expect(() => Duration.millis(0.5)).toThrow('Duration: 0.5 milliseconds is not a whole, non-negative number of milliseconds.');
  });
});

describe('Size', () => {
  test('counts in mebibytes', () => {
    expect(Size.gibibytes(2).toMebibytes()).toBe(2048);
    expect(Size.mebibytes(256).toMebibytes()).toBe(256);
  });

  test('rejects amounts that are not positive whole mebibytes', () => {
    expect(() => Size.mebibytes(0)).toThrow('Size: 0 MiB is not a positive whole number of mebibytes');
    expect(() => Size.gibibytes(0.0001)).toThrow('Size: 0.0001 GiB is not a positive whole number of mebibytes');
  });
});

describe('RestartPolicy', () => {
  test('onFailure keeps its retry limit', () => {
    expect(RestartPolicy.onFailure(3)).toMatchObject({ mode: 'on-failure', maxRetries: 3 });
  });

  test('onFailure rejects a negative limit', () => {
    expect(() => RestartPolicy.onFailure(-1)).toThrow(
      'RestartPolicy.onFailure: maxRetries must be a whole number >= 0 (0 = no limit), got -1.',
    );
  });
});

describe('Healthcheck', () => {
  test('defaults to a 5 s interval, 3 s timeout, 10 retries and no start period', () => {
    expect(Healthcheck.command(['true']).toProvider()).toEqual({
      test: ['CMD', 'true'],
      interval: '5s',
      timeout: '3s',
      retries: 10,
      startPeriod: '0s',
    });
  });

  test('computes the worst-case time to unhealthy', () => {
    const check = Healthcheck.shell('exit 0', {
      interval: Duration.seconds(2),
      timeout: Duration.seconds(1),
      retries: 4,
      startPeriod: Duration.seconds(10),
    });
    expect(check.timeToUnhealthy.toSeconds()).toBe(22);
  });

  test('rejects an empty command, an empty script and zero retries', () => {
    expect(() => Healthcheck.command([])).toThrow('Healthcheck.command: the command is empty');
    expect(() => Healthcheck.shell('  ')).toThrow('Healthcheck.shell: the script is empty');
    expect(() => Healthcheck.command(['true'], { retries: 0 })).toThrow('Healthcheck: retries must be a whole number >= 1, got 0.');
  });
});

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
