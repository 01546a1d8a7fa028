import { ContainerHealthcheck } from '@cdktf/provider-docker/lib/container';
import { Duration } from '../core/duration';
import { ValidationError } from '../core/errors';

export interface HealthcheckOptions {
  /**
   * Time between two checks; at least 1 ms (Docker reads 0 as its own default of 30 s).
   * @default Duration.seconds(5)
   */
  readonly interval?: Duration;

  /**
   * Time a single check may take before it counts as failed; at least 1 ms (Docker reads 0 as its own default of 30 s).
   * @default Duration.seconds(3)
   */
  readonly timeout?: Duration;

  /**
   * Consecutive failures before the container is reported unhealthy.
   * @default 10
   */
  readonly retries?: number;

  /**
   * Grace period after start during which failures do not count.
   * @default Duration.seconds(0) - failures count from the first check
   */
  readonly startPeriod?: Duration;
}

/**
 * How Docker tells that a container is healthy (`docker run --health-cmd`).
 *
 * A container with a healthcheck is waited for: its deploy finishes only once it is healthy, so containers that
 * depend on it start after it can serve.
 */
export class Healthcheck {
  /** Runs `command` directly (exec form, `CMD`), without a shell. */
  public static command(command: string[], options: HealthcheckOptions = {}): Healthcheck {
    if (command.length === 0) {
      throw new ValidationError(
        'Healthcheck.command',
        'the command is empty; give the program and its arguments, e.g. ["redis-cli", "ping"].',
      );
    }
    return new Healthcheck(['CMD', ...command], options);
  }

  /** Runs `script` with the container's `/bin/sh` (`CMD-SHELL`). */
  public static shell(script: string, options: HealthcheckOptions = {}): Healthcheck {
    if (script.trim() === '') {
      throw new ValidationError('Healthcheck.shell', 'the script is empty; give a shell command, e.g. "pg_isready -U postgres".');
    }
    return new Healthcheck(['CMD-SHELL', script], options);
  }

  private constructor(
    public readonly test: string[],
    private readonly options: HealthcheckOptions,
  ) {
    if (options.retries !== undefined && (!Number.isInteger(options.retries) || options.retries < 1)) {
      throw new ValidationError('Healthcheck', `retries must be a whole number >= 1, got ${options.retries}; use e.g. retries: 3.`);
    }
    for (const [field, example] of [['interval', 5], ['timeout', 3]] as const) {
      if (options[field]?.toMilliseconds() === 0) {
        throw new ValidationError(
          'Healthcheck',
          `${field} 0s makes Docker use its default of 30s instead; give at least 1 ms, e.g. ${field}: Duration.seconds(${example}).`,
        );
      }
    }
  }

  /** The worst-case time from start to "unhealthy": what a deploy that waits for health must allow. */
  public get timeToUnhealthy(): Duration {
    const interval = (this.options.interval ?? Duration.seconds(5)).toMilliseconds();
    const timeout = (this.options.timeout ?? Duration.seconds(3)).toMilliseconds();
    const startPeriod = (this.options.startPeriod ?? Duration.seconds(0)).toMilliseconds();
    return Duration.millis(startPeriod + (interval + timeout) * (this.options.retries ?? 10));
  }

  /** The provider's `healthcheck` block. */
  public toProvider(): ContainerHealthcheck {
    return {
      test: this.test,
      interval: (this.options.interval ?? Duration.seconds(5)).toGoString(),
      timeout: (this.options.timeout ?? Duration.seconds(3)).toGoString(),
      retries: this.options.retries ?? 10,
      startPeriod: (this.options.startPeriod ?? Duration.seconds(0)).toGoString(),
    };
  }
}
