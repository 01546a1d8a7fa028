import { ValidationError } from '../core/errors';

/** What Docker does when a container's main process exits (`docker run --restart`). */
export class RestartPolicy {
  /** Never restart. */
  public static readonly NO = new RestartPolicy('no');

  /** Always restart, also after the daemon restarts, even when the container was stopped by hand. */
  public static readonly ALWAYS = new RestartPolicy('always');

  /** Restart unless the container was stopped by hand (`docker stop` or `docker kill`: Docker counts both as manual). */
  public static readonly UNLESS_STOPPED = new RestartPolicy('unless-stopped');

  /**
   * Restart only when the process exits with a non-zero code.
   *
   * @param maxRetries how many times Docker restarts it before giving up; 0 means no limit.
   */
  public static onFailure(maxRetries: number): RestartPolicy {
    if (!Number.isInteger(maxRetries) || maxRetries < 0) {
      throw new ValidationError(
        'RestartPolicy.onFailure',
        `maxRetries must be a whole number >= 0 (0 = no limit), got ${maxRetries}; use e.g. RestartPolicy.onFailure(5).`,
      );
    }
    return new RestartPolicy('on-failure', maxRetries);
  }

  private constructor(
    /** The provider's `restart` value. */
    public readonly mode: 'no' | 'always' | 'unless-stopped' | 'on-failure',
    /** The provider's `max_retry_count`; only meaningful with `on-failure`. */
    public readonly maxRetries?: number,
  ) {}
}
