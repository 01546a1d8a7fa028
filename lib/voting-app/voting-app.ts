import { Construct } from 'constructs';
import { TerraformOutput, TerraformVariable } from 'cdktf';
import { Capability } from '../container/security';
import { validatePort } from '../container/ports';
import { RestartPolicy } from '../container/restart-policy';
import { ServiceContainer } from '../container/service-container';
import { Volume } from '../container/volume';
import { hasBrand, registerConstruct } from '../core/brand';
import { earlierInStack } from '../core/construct-tree';
import { DockerNames } from '../core/docker-names';
import { ValidationError, constructLabel } from '../core/errors';
import { Size } from '../core/size';
import { INetwork, Network } from '../network/network';
import { PublishMode } from '../swarm/service-mode';
import type { SwarmSecret } from '../swarm/swarm-secret';
import type { SwarmService } from '../swarm/swarm-service';
import { PUBLIC_VOTING_APP_IMAGES, VotingAppImages } from './images';
import { declareFlows, suppressAcceptedFindings } from './intent';
import { Orchestrator } from './orchestrator';
import { DB_HEALTHCHECK, POSTGRES_DATA, REDIS_HEALTHCHECK } from './roles';
import { Segmentation } from './segmentation';
import { createSwarmLayout } from './swarm-services';

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

/**
 * Docker's classic voting app: vote (5000) and result (5001) on a frontend network; worker, redis and db on a
 * backend network that vote, result and worker also join. Services find each other as `redis` and `db` whatever
 * the containers are called.
 */
export class VotingApp extends Construct {
  /** True for a VotingApp, also one from another copy of this library. */
  public static isVotingApp(x: unknown): x is VotingApp {
    return hasBrand(x, 'VotingApp');
  }

  public readonly vote: VotingAppService;
  public readonly result: VotingAppService;
  public readonly worker: VotingAppService;
  public readonly redis: VotingAppService;
  public readonly db: VotingAppService;
  public readonly orchestrator: Orchestrator;
  /** With `Orchestrator.SWARM`: the Swarm secret that holds the database password. */
  public readonly dbPassword?: SwarmSecret;
  /** The database's data directory, kept across replacements of the db container. */
  public readonly dbData: Volume;
  public readonly frontendNetwork: INetwork;
  /** The network of redis and db; with `Segmentation.STRICT`, the one on which vote reaches redis. */
  public readonly backendNetwork: INetwork;
  /** Every network the app's containers are attached to. */
  public readonly networks: INetwork[];
  public readonly segmentation: Segmentation;
  public readonly namePrefix: string;

  /** The vote page, e.g. `http://127.0.0.1:5000`. */
  public readonly voteUrl: string;

  /** The result page, e.g. `http://127.0.0.1:5001`. */
  public readonly resultUrl: string;

  constructor(scope: Construct, id: string, props: VotingAppProps = {}) {
    super(scope, id);
    registerConstruct(this, 'VotingApp');
    this.namePrefix = props.namePrefix ?? '';
    const name = (base: string) => `${this.namePrefix}${base}`;
    const images = { ...PUBLIC_VOTING_APP_IMAGES, ...props.images };
    const hostIp = props.hostIp ?? '127.0.0.1';
    const votePort = props.votePort ?? 5000;
    const resultPort = props.resultPort ?? 5001;
    validatePort(this, 'votePort', votePort);
    validatePort(this, 'resultPort', resultPort);
    if (votePort === resultPort) {
      throw new ValidationError(this, `votePort and resultPort are both ${votePort}; give them different ports.`);
    }

    this.segmentation = props.segmentation ?? Segmentation.SHARED_BACKEND;
    this.orchestrator = props.orchestrator ?? Orchestrator.CONTAINERS;
    const strict = this.segmentation === Segmentation.STRICT;
    this.voteUrl = `http://${hostIp}:${votePort}`;
    this.resultUrl = `http://${hostIp}:${resultPort}`;
    if (this.orchestrator === Orchestrator.SWARM) {
      this.validateSwarmProps(props);
      const swarm = createSwarmLayout(this, {
        name,
        images,
        votePort,
        resultPort,
        publishMode: props.publishMode ?? PublishMode.INGRESS,
        password: props.databasePassword ?? this.passwordVariable().value,
        passwordFile: DB_PASSWORD_FILE,
        frontendNetwork: props.frontendNetwork,
        backendNetwork: props.backendNetwork,
      });
      ({ vote: this.vote, result: this.result, worker: this.worker, redis: this.redis, db: this.db } = swarm);
      ({ frontendNetwork: this.frontendNetwork, backendNetwork: this.backendNetwork, dbData: this.dbData } = swarm);
      this.dbPassword = swarm.dbPassword;
      this.networks = [this.frontendNetwork, this.backendNetwork];
      this.finish(images.worker, this.backendNetwork);
      return;
    }
    if (props.publishMode !== undefined) {
      throw new ValidationError(this, 'publishMode applies to Swarm services only; set `orchestrator: Orchestrator.SWARM` or remove it.');
    }
    // STRICT: the frontend only publishes ports; its bridge drops traffic between vote and result.
    this.frontendNetwork =
      props.frontendNetwork ??
      new Network(this, 'frontend', {
        name: name('frontend-network'),
        interContainerTraffic: strict ? false : undefined,
      });
    this.backendNetwork =
      props.backendNetwork ?? new Network(this, 'backend', { name: name(strict ? 'vote-redis-network' : 'backend-network') });
    const password = props.databasePassword ?? this.passwordVariable().value;
    const passwordFile = [{ path: DB_PASSWORD_FILE, content: password }];
    const backend = this.backendNetwork;
    // One network for each other flow in STRICT; all of them are the backend otherwise.
    const flowNetwork = (id: string) => (strict ? new Network(this, id, { name: name(`${id}-network`) }) : backend);
    const workerRedis = flowNetwork('worker-redis');
    const workerDb = flowNetwork('worker-db');
    const resultDb = flowNetwork('result-db');
    this.networks = [...new Set([this.frontendNetwork, backend, workerRedis, workerDb, resultDb])];

    this.redis = new ServiceContainer(this, 'redis', {
      name: name('redis'),
      image: images.redis,
      networks: uniqueAttachments([backend, workerRedis], ['redis']),
      healthcheck: REDIS_HEALTHCHECK,
      restartPolicy: RestartPolicy.UNLESS_STOPPED,
      memoryLimit: Size.mebibytes(256),
      cpuLimit: 0.5,
    });

    // The votes outlive the db container: most changes to it replace it.
    this.dbData = new Volume(this, 'db-data', { name: name('db-data') });
    this.db = new ServiceContainer(this, 'db', {
      name: name('db'),
      image: images.db,
      volumes: [{ volume: this.dbData, path: POSTGRES_DATA }],
      networks: uniqueAttachments([workerDb, resultDb], ['db']),
      env: { POSTGRES_PASSWORD_FILE: DB_PASSWORD_FILE },
      files: passwordFile,
      healthcheck: DB_HEALTHCHECK,
      restartPolicy: RestartPolicy.UNLESS_STOPPED,
      // SIGTERM waits for the worker's connection to close and runs into docker stop's 10 s kill.
      stopSignal: 'SIGINT',
      memoryLimit: Size.mebibytes(512),
      cpuLimit: 1,
    });

    this.vote = new ServiceContainer(this, 'vote', {
      name: name('vote'),
      image: images.vote,
      ports: [{ internal: 80, external: votePort, hostIp }],
      networks: [{ network: this.frontendNetwork }, { network: backend }],
      env: { REDIS_HOST: 'redis' },
      // Serves port 80 and writes nothing: the tightest of the five (checked with the local image).
      readOnlyRootFilesystem: true,
      tmpfs: [{ path: '/tmp', size: Size.mebibytes(16) }],
      capabilities: { drop: [Capability.ALL], add: [Capability.NET_BIND_SERVICE] },
      dependsOn: [this.redis],
      restartPolicy: RestartPolicy.UNLESS_STOPPED,
      memoryLimit: Size.mebibytes(256),
      cpuLimit: 0.5,
    });

    // The tutorial leaves result on the frontend alone, where it cannot reach db; upstream puts it on both.
    this.result = new ServiceContainer(this, 'result', {
      name: name('result'),
      image: images.result,
      ports: [{ internal: 80, external: resultPort, hostIp }],
      networks: uniqueAttachments([this.frontendNetwork, resultDb]),
      env: { DB_HOST: 'db', DB_PASSWORD_FILE },
      files: passwordFile,
      // Not read-only: Docker cannot copy the password file into a read-only root filesystem.
      capabilities: { drop: [Capability.ALL], add: [Capability.NET_BIND_SERVICE] },
      dependsOn: [this.db],
      restartPolicy: RestartPolicy.UNLESS_STOPPED,
      memoryLimit: Size.mebibytes(256),
      cpuLimit: 0.5,
    });

    this.worker = new ServiceContainer(this, 'worker', {
      name: name('worker'),
      image: images.worker,
      networks: uniqueAttachments([workerRedis, workerDb]),
      env: { REDIS_HOST: 'redis', DB_HOST: 'db', DB_PASSWORD_FILE },
      files: passwordFile,
      capabilities: { drop: [Capability.ALL] },
      dependsOn: [this.redis, this.db],
      restartPolicy: RestartPolicy.UNLESS_STOPPED,
      memoryLimit: Size.mebibytes(256),
      cpuLimit: 0.5,
    });

    this.finish(images.worker, resultDb);
  }

  private finish(workerImage: string, resultDb: INetwork): void {
    this.addOutputs();
    suppressAcceptedFindings(this, workerImage, resultDb);
    declareFlows(this);
    this.node.addValidation({ validate: () => this.checkDistinctFromOtherApps() });
  }

  private validateSwarmProps(props: VotingAppProps): void {
    if (this.segmentation === Segmentation.STRICT) {
      throw new ValidationError(
        this,
        'Segmentation.STRICT needs a bridge network with enable_icc=false for the frontend, which an overlay network ' +
          'cannot be; use Segmentation.SHARED_BACKEND with Orchestrator.SWARM.',
      );
    }
    if (props.hostIp !== undefined) {
      throw new ValidationError(
        this,
        `hostIp "${props.hostIp}" cannot apply on Swarm: it publishes on every interface of a node; remove \`hostIp\` ` +
          '(and keep the ports off untrusted interfaces with a firewall).',
      );
    }
  }

  private passwordVariable(): TerraformVariable {
    const variable = new TerraformVariable(this, 'db-password', {
      type: 'string',
      sensitive: true,
      description: 'Password of the voting app database (user postgres).',
    });
    variable.overrideLogicalId(`${this.logicalPrefix()}db_password`);
    return variable;
  }

  private addOutputs(): void {
    const outputs: Record<string, string> = {
      vote_url: this.voteUrl,
      result_url: this.resultUrl,
      frontend_network: this.frontendNetwork.networkName,
      backend_network: this.backendNetwork.networkName,
    };
    for (const [key, value] of Object.entries(outputs)) {
      new TerraformOutput(this, key, { value }).overrideLogicalId(`${this.logicalPrefix()}${key}`);
    }
  }

  /** `team_a_` for the prefix `team-a-`: Terraform names allow letters, digits, `_` and `-`. */
  private logicalPrefix(): string {
    return this.dockerPrefix().replace(/[^a-zA-Z0-9_]/g, '_');
  }

  /** What goes in front of its Docker names: the prefixes of enclosing `DockerNames.prefix` scopes, then `namePrefix`. */
  private dockerPrefix(): string {
    return DockerNames.prefixOf(this) + this.namePrefix;
  }

  private checkDistinctFromOtherApps(): string[] {
    const twin = earlierInStack(this, (c): c is VotingApp => VotingApp.isVotingApp(c) && c.dockerPrefix() === this.dockerPrefix());
    return twin
      ? [
          `${constructLabel(this)}: ${constructLabel(twin)} in the same stack already uses the container and network names ` +
            `of namePrefix "${this.namePrefix}"; set \`namePrefix\` on one of them (e.g. "team-b-") so their names differ.`,
        ]
      : [];
  }
}

/** One attachment per distinct network (in SHARED_BACKEND several flow networks are the same backend). */
function uniqueAttachments(networks: INetwork[], aliases?: string[]): { network: INetwork; aliases?: string[] }[] {
  return [...new Set(networks)].map((network) => ({ network, aliases }));
}
