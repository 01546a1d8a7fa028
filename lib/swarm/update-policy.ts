import { Duration } from '../core/duration';
import { ValidationError } from '../core/errors';
import { UpdateFailureAction, UpdateOrder } from './service-mode';

export interface UpdatePolicyOptions {
  /**
   * Tasks updated at once; 0 updates all at once.
   * @default 1
   */
  readonly parallelism?: number;

  /**
   * Replace a task by starting the new one first (no drop below the replica count) or stopping the old one first.
   * @default UpdateOrder.STOP_FIRST - Swarm's default
   */
  readonly order?: UpdateOrder;

  /**
   * Pause between two batches of tasks.
   * @default Duration.seconds(0)
   */
  readonly delay?: Duration;

  /**
   * How long Swarm watches an updated task for failure before it counts as updated.
   * @default Duration.seconds(5)
   */
  readonly monitor?: Duration;

  /**
   * @default UpdateFailureAction.PAUSE
   */
  readonly failureAction?: UpdateFailureAction;
}

/** How Swarm rolls a change out over a service's tasks (`docker service update --update-*`). */
export class UpdatePolicy {
  /** Swarm's defaults: one task at a time, stop-first, no delay, 5 s monitor, pause on failure. */
  public static readonly DEFAULT = new UpdatePolicy({});

  /** A rolling update, e.g. `UpdatePolicy.rolling({ parallelism: 1, order: UpdateOrder.START_FIRST })`. */
  public static rolling(options: UpdatePolicyOptions): UpdatePolicy {
    return new UpdatePolicy(options);
  }

  public readonly parallelism: number;
  public readonly order: UpdateOrder;
  public readonly delay: Duration;
  public readonly monitor: Duration;
  public readonly failureAction: UpdateFailureAction;

  private constructor(options: UpdatePolicyOptions) {
    if (options.parallelism !== undefined && !(Number.isInteger(options.parallelism) && options.parallelism >= 0)) {
      throw new ValidationError(
        'UpdatePolicy',
        `parallelism must be a whole number >= 0 (0 = all at once), got ${options.parallelism}; use e.g. parallelism: 1.`,
      );
    }
    this.parallelism = options.parallelism ?? 1;
    this.order = options.order ?? UpdateOrder.STOP_FIRST;
    this.delay = options.delay ?? Duration.seconds(0);
    this.monitor = options.monitor ?? Duration.seconds(5);
    this.failureAction = options.failureAction ?? UpdateFailureAction.PAUSE;
  }

  /** The provider's `update_config` block. */
  public toProvider(): { parallelism: number; order: string; delay: string; monitor: string; failureAction: string } {
    return {
      parallelism: this.parallelism,
      order: this.order,
      delay: this.delay.toGoString(),
      monitor: this.monitor.toGoString(),
      failureAction: this.failureAction,
    };
  }
}
