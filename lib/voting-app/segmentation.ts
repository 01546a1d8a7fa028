/** How the voting app splits its five services over networks. */
export class Segmentation {
  /**
   * Upstream's layout: vote and result on a frontend network; redis and db on a backend network that vote,
   * result and worker also join. More can talk than the app needs (vote reaches db, result reaches redis); the
   * app declares those flows as tolerated, and the reachability report lists them as excess.
   */
  public static readonly SHARED_BACKEND = new Segmentation('shared-backend');

  /**
   * One network for each flow the app needs (vote -> redis, worker -> redis, worker -> db, result -> db), and a
   * frontend network with traffic between its containers turned off (`enable_icc=false`), from which vote and
   * result publish their ports. No container reaches one it does not talk to. Docker cannot separate two clients
   * of one server on a shared network, hence a network per flow rather than one data network.
   */
  public static readonly STRICT = new Segmentation('strict');

  private constructor(
    /** A name for messages and reports. */
    public readonly name: string,
  ) {}
}
