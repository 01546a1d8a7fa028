/** What runs the services of an app (`VotingApp`, `ComposeProject`): containers on one engine, or Swarm services. */
export class Orchestrator {
  /** One container a service on one Docker engine (`docker run`), on bridge networks. */
  public static readonly CONTAINERS = new Orchestrator('containers');

  /**
   * Docker Swarm: one Swarm service a role (`docker service create`) on overlay networks, secrets as Swarm secrets.
   * Needs an engine that is a swarm manager.
   */
  public static readonly SWARM = new Orchestrator('swarm');

  private constructor(
    /** A name for messages and the environment (`VOTING_APP_ORCHESTRATOR`). */
    public readonly name: string,
  ) {}
}
