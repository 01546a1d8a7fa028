/** The driver that implements a Docker network (`docker network create --driver`). */
export class NetworkDriver {
  /** A private network on this host; containers on it resolve each other by name. Docker's default. */
  public static readonly BRIDGE = new NetworkDriver('bridge');

  /** Spans the hosts of a swarm. */
  public static readonly OVERLAY = new NetworkDriver('overlay');

  /** Gives each container its own MAC address on a host interface. */
  public static readonly MACVLAN = new NetworkDriver('macvlan');

  /** Shares a host interface's MAC address, separating containers at layer 3 or 2. */
  public static readonly IPVLAN = new NetworkDriver('ipvlan');

  /** A driver from a plugin, by name. */
  public static of(name: string): NetworkDriver {
    return new NetworkDriver(name);
  }

  private constructor(public readonly name: string) {}
}
