/** How serious a policy finding is. */
export enum PolicyLevel {
  /** Worth knowing; rarely a risk on its own (no healthcheck, writable root filesystem). */
  INFO = 'info',
  /** Hardening that most services can and should have (pinned image, limits, dropped capabilities). */
  WARNING = 'warning',
  /** Gives a container control over the host or the engine (privileged, host namespaces, Docker socket). */
  ERROR = 'error',
}

const ORDER: Record<PolicyLevel, number> = { [PolicyLevel.INFO]: 0, [PolicyLevel.WARNING]: 1, [PolicyLevel.ERROR]: 2 };

/** True when `level` is `threshold` or more serious. */
export function atLeast(level: PolicyLevel, threshold: PolicyLevel): boolean {
  return ORDER[level] >= ORDER[threshold];
}
