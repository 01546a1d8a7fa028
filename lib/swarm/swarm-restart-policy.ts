import { Duration } from '../core/duration';
import { ValidationError } from '../core/errors';

export interface SwarmRestartOptions {
  /**
   * Wait between two restarts.
   * @default Duration.seconds(5) - Swarm's default
   */
  readonly delay?: Duration;

  /**
   * The window in which `maxAttempts` is counted.
   * @default Duration.seconds(0) - unbounded
   */
  readonly window?: Duration;
}

/** When Swarm replaces a task whose container exited (`docker service create --restart-condition`). */
export class SwarmRestartPolicy {
  /** Replace a task whenever its container exits, also with code 0. Swarm's default. */
  public static readonly ANY = new SwarmRestartPolicy('any', 0, {});

  /** Never replace a task: for one-off jobs. */
  public static readonly NONE = new SwarmRestartPolicy('none', 0, {});

  /** Replace a task whose container exited with a non-zero code, at most `maxAttempts` times (0 = no limit). */
  public static onFailure(maxAttempts: number, options: SwarmRestartOptions = {}): SwarmRestartPolicy {
    if (!Number.isInteger(maxAttempts) || maxAttempts < 0) {
      throw new ValidationError(
        'SwarmRestartPolicy.onFailure',
        `maxAttempts must be a whole number >= 0 (0 = no limit), got ${maxAttempts}; use e.g. SwarmRestartPolicy.onFailure(3).`,
      );
    }
    return new SwarmRestartPolicy('on-failure', maxAttempts, options);
  }

  /** `any` with a delay and window of your own. */
  public static any(options: SwarmRestartOptions): SwarmRestartPolicy {
    return new SwarmRestartPolicy('any', 0, options);
  }

  private constructor(
    /** The provider's `condition`. */
    public readonly condition: 'any' | 'none' | 'on-failure',
    /** The provider's `max_attempts`; 0 = no limit. */
    public readonly maxAttempts: number,
    private readonly options: SwarmRestartOptions,
  ) {}

  /** The provider's `restart_policy` block; every field written out, as the provider reads them all back. */
  public toProvider(): { condition: string; maxAttempts: number; delay: string; window: string } {
    return {
      condition: this.condition,
      maxAttempts: this.maxAttempts,
      delay: (this.options.delay ?? Duration.seconds(5)).toGoString(),
      window: (this.options.window ?? Duration.seconds(0)).toGoString(),
    };
  }
}
