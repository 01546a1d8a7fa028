/** What runs the voting app's five services. */
export class Orchestrator {
  /** One container a service on one Docker engine (`docker run`), on bridge networks. */
  public static readonly CONTAINERS = new Orchestrator('containers');

  /**
   * Docker Swarm: one service a role (`docker service create`) on overlay networks, worker with two replicas, the
   * database password as a Swarm secret. Needs an engine that is a swarm manager.
   */
  public static readonly SWARM = new Orchestrator('swarm');

  private constructor(
    /** A name for messages and the environment (`VOTING_APP_ORCHESTRATOR`). */
    public readonly name: string,
  ) {}
}
