import { ValidationError } from './errors';

/**
 * A span of time, for healthchecks and timeouts.
 *
 * Docker reports durations back in Go's `time.Duration` notation (`1m30s`), and the provider stores what Docker
 * reports; rendering the same notation keeps `cdktf diff` empty after a deploy.
 */
export class Duration {
  public static millis(amount: number): Duration {
    return new Duration(amount, 'milliseconds');
  }

  public static seconds(amount: number): Duration {
    return new Duration(amount * 1000, 'seconds');
  }

  public static minutes(amount: number): Duration {
    return new Duration(amount * 60_000, 'minutes');
  }

  private constructor(private readonly milliseconds: number, unit: string) {
    if (!Number.isInteger(milliseconds) || milliseconds < 0) {
      throw new ValidationError(
        'Duration',
        `${milliseconds / unitFactor(unit)} ${unit} is not a whole, non-negative number of milliseconds; use a whole number of milliseconds >= 0, e.g. Duration.millis(1500).`,
      );
    }
  }

  public toMilliseconds(): number {
    return this.milliseconds;
  }

  /** Whole seconds, rounded up: the provider's `*_seconds` and `wait_timeout` attributes take seconds. */
  public toSeconds(): number {
    return Math.ceil(this.milliseconds / 1000);
  }

  /** Go's `time.Duration.String()`: `500ms`, `5s`, `1.5s`, `1m0s`, `1h2m3s`. */
  public toGoString(): string {
    const ms = this.milliseconds;
    if (ms === 0) return '0s';
    if (ms < 1000) return `${ms}ms`;
    const hours = Math.floor(ms / 3_600_000);
    const minutes = Math.floor((ms % 3_600_000) / 60_000);
    const seconds = (ms % 60_000) / 1000;
    let text = `${seconds}s`;
    if (hours > 0 || minutes > 0) text = `${minutes}m${text}`;
    if (hours > 0) text = `${hours}h${text}`;
    return text;
  }
}

function unitFactor(unit: string): number {
  return unit === 'minutes' ? 60_000 : unit === 'seconds' ? 1000 : 1;
}
