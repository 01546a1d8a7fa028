import { Duration, Healthcheck, RestartPolicy, ValidationError } from '../../lib';

describe('RestartPolicy', () => {
  test('onFailure keeps its retry limit', () => {
    expect(RestartPolicy.onFailure(3)).toMatchObject({ mode: 'on-failure', maxRetries: 3 });
  });

  test('onFailure rejects a negative limit', () => {
    expect(() => RestartPolicy.onFailure(-1)).toThrow(
      'RestartPolicy.onFailure: maxRetries must be a whole number >= 0 (0 = no limit), got -1; use e.g. RestartPolicy.onFailure(5).',
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
    expect(() => Healthcheck.command([])).toThrow(ValidationError);
    expect(() => Healthcheck.command([])).toThrow('Healthcheck.command: the command is empty');
    expect(() => Healthcheck.shell('  ')).toThrow('Healthcheck.shell: the script is empty');
    expect(() => Healthcheck.command(['true'], { retries: 0 })).toThrow(
      'Healthcheck: retries must be a whole number >= 1, got 0; use e.g. retries: 3.',
    );
  });

  test('rejects a zero interval, which Docker replaces with its default of 30 s', () => {
    expect(() => Healthcheck.command(['true'], { interval: Duration.seconds(0) })).toThrow(
      'Healthcheck: interval 0s makes Docker use its default of 30s instead; give at least 1 ms, e.g. interval: Duration.seconds(5).',
    );
  });

  test('rejects a zero timeout, which Docker replaces with its default of 30 s', () => {
    expect(() => Healthcheck.shell('exit 0', { timeout: Duration.millis(0) })).toThrow(
      'Healthcheck: timeout 0s makes Docker use its default of 30s instead; give at least 1 ms, e.g. timeout: Duration.seconds(3).',
    );
  });

  test('accepts Docker\'s minimum of 1 ms and a zero start period', () => {
    expect(
      Healthcheck.command(['true'], { interval: Duration.millis(1), timeout: Duration.millis(1), startPeriod: Duration.seconds(0) }).toProvider(),
    ).toMatchObject({ interval: '1ms', timeout: '1ms', startPeriod: '0s' });
  });
});
