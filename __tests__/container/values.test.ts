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
});
