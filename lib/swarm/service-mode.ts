import { ValidationError } from '../core/errors';

/** How many tasks a Swarm service runs (`docker service create --mode`, `--replicas`). */
export class ServiceMode {
  /** One task on every node of the swarm that the placement constraints allow (`--mode global`). */
  public static readonly GLOBAL = new ServiceMode('global');

  /** `count` tasks, spread over the nodes the placement constraints allow (`--mode replicated --replicas N`). */
  public static replicated(count: number): ServiceMode {
    if (!Number.isInteger(count) || count < 0) {
      throw new ValidationError(
        'ServiceMode.replicated',
        `the replica count must be a whole number >= 0, got ${count}; use e.g. ServiceMode.replicated(2).`,
      );
    }
    return new ServiceMode('replicated', count);
  }

  private constructor(
    /** `replicated` or `global`. */
    public readonly kind: 'replicated' | 'global',
    /** The number of tasks of a replicated service; undefined for a global one. */
    public readonly replicas?: number,
  ) {}

  /** `2 replicas`, `global`: how messages name the mode. */
  public toString(): string {
    return this.kind === 'global' ? 'global' : `${this.replicas} replica${this.replicas === 1 ? '' : 's'}`;
  }
}

/** How clients on a network find a service's tasks (`docker service create --endpoint-mode`). */
export enum EndpointMode {
  /**
   * The service name resolves to one virtual IP that balances connections over the tasks. Needs the kernel's IPVS
   * (`ip_vs`) on every node; the only mode that works with ingress publishing.
   */
  VIP = 'vip',
  /**
   * The service name resolves to the addresses of all its tasks (DNS round robin); clients connect to a task
   * directly. Works without IPVS; cannot publish ports in ingress mode.
   */
  DNSRR = 'dnsrr',
}

/** Where a published port of a service listens (`--publish mode=...`). */
export enum PublishMode {
  /**
   * The routing mesh: the port listens on every node of the swarm and reaches a task on any node. Needs IPVS.
   */
  INGRESS = 'ingress',
  /** The port listens only on the nodes that run a task, one task a node; no IPVS needed. */
  HOST = 'host',
}

/** The order in which an update replaces a task (`--update-order`). */
export enum UpdateOrder {
  /** Stop the old task, then start the new one: a gap per task, no second copy. */
  STOP_FIRST = 'stop-first',
  /** Start the new task, then stop the old one: never fewer tasks than replicas, briefly one more. */
  START_FIRST = 'start-first',
}

/** What Swarm does when an update fails (`--update-failure-action`). */
export enum UpdateFailureAction {
  PAUSE = 'pause',
  CONTINUE = 'continue',
  ROLLBACK = 'rollback',
}
