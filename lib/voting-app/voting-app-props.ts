import type { ServiceContainer } from '../container/service-container';
import type { INetwork } from '../network/network';
import type { PlacementConstraint } from '../swarm/placement';
import type { PublishMode } from '../swarm/service-mode';
import type { SwarmService } from '../swarm/swarm-service';
import type { VotingAppImages } from './images';
import type { Orchestrator } from '../swarm/orchestrator';
import type { Segmentation } from './segmentation';

/** One of the app's five roles: a container, or a Swarm service with `Orchestrator.SWARM`. */
export type VotingAppService = ServiceContainer | SwarmService;

export interface VotingAppProps {
  /**
   * Put in front of every container and network name, so that two apps can share an engine.
   * @default - no prefix: containers vote, result, worker, redis, db; networks frontend-network, backend-network
   */
  readonly namePrefix?: string;

  /**
   * Images of the services.
   * @default - PUBLIC_VOTING_APP_IMAGES
   */
  readonly images?: VotingAppImages;

  /**
   * Host port of the vote page.
   * @default 5000
   */
  readonly votePort?: number;

  /**
   * Host port of the result page.
   * @default 5001
   */
  readonly resultPort?: number;

  /**
   * Host address the two pages are published on. Containers only: Swarm publishes on every interface of a node.
   * @default '127.0.0.1' - reachable from this host only; use '0.0.0.0' to serve other machines
   */
  readonly hostIp?: string;

  /**
   * What runs the services: one container each on this engine, or Swarm services on overlay networks.
   * @default Orchestrator.CONTAINERS
   */
  readonly orchestrator?: Orchestrator;

  /**
   * With `Orchestrator.SWARM`: how vote and result publish their ports. Ingress (the routing mesh) answers on every
   * node and balances two vote replicas, and needs the kernel's IPVS; host mode answers only on the node that runs
   * the task (one replica each), and needs no IPVS.
   * @default PublishMode.INGRESS
   */
  readonly publishMode?: PublishMode;

  /**
   * With `Orchestrator.SWARM`: the nodes db and redis may run on, which hold the app's state (db's volume, the queue
   * of votes redis keeps in memory); vote, result and worker have no constraint, and Swarm spreads their tasks over
   * the nodes, so a node without state can be lost without losing a vote. db's volume is created on the node
   * Terraform talks to (the engine the provider uses), so pin them to that node, e.g. by a label set on it:
   * `PlacementConstraint.nodeLabel('voting-app.data', 'true')` after `docker node update --label-add voting-app.data=true <node>`.
   * @default [PlacementConstraint.MANAGER] - a manager: the node Terraform talks to in a swarm of one manager
   */
  readonly dataPlacement?: PlacementConstraint[];

  /**
   * The network vote and result serve on. With `Segmentation.STRICT`, give one whose bridge drops traffic between
   * its containers (`com.docker.network.bridge.enable_icc: 'false'` in `options`), or the reachability check fails
   * the synth on vote <-> result.
   * @default - a new network `<namePrefix>frontend-network` (STRICT: with `enable_icc=false`)
   */
  readonly frontendNetwork?: INetwork;

  /**
   * The network of redis and db, which vote, result and worker join to reach them; with `Segmentation.STRICT`,
   * the network on which vote reaches redis.
   * @default - a new network `<namePrefix>backend-network` (STRICT: `<namePrefix>vote-redis-network`)
   */
  readonly backendNetwork?: INetwork;

  /**
   * How the services are split over networks. The app declares its flows to `Reachability.of(stack)`, so a
   * container that joins one of its networks needs a declared flow too, or the synth fails (REACH1).
   * @default Segmentation.SHARED_BACKEND - upstream's frontend and backend networks
   */
  readonly segmentation?: Segmentation;

  /**
   * The database password. It is written into a file in the db, worker and result containers
   * (`/run/secrets/db-password`), never into an environment variable; on Swarm it is a Swarm secret mounted there.
   * @default - a sensitive Terraform variable `<namePrefix>db_password` (set `TF_VAR_db_password`)
   */
  readonly databasePassword?: string;
}

/** Where the database password file is written in the db, worker and result containers. */
export const DB_PASSWORD_FILE = '/run/secrets/db-password';
