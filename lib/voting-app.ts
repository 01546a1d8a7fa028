import { Construct } from 'constructs';
import { TerraformOutput, TerraformVariable } from 'cdktf';
import { Capability } from './container-security';
import { Duration } from './duration';
import { Healthcheck } from './healthcheck';
import { INetwork, Network } from './network';
import { DockerPolicy } from './policy/docker-policy';
import { ENABLE_ICC_OPTION } from './policy/model';
import { Reachability } from './reachability/reachability';
import { RestartPolicy } from './restart-policy';
import { Segmentation } from './segmentation';
import { ServiceContainer } from './service-container';
import { Size } from './size';
import { Volume } from './volume';
import { ValidationError, constructLabel, earlierInStack, validatePort } from './validation';

/** The image of each of the voting app's services. */
export interface VotingAppImages {
  /** @default 'dockersamples/examplevotingapp_vote:before' */
  readonly vote?: string;
  /** @default 'dockersamples/examplevotingapp_result:before' */
  readonly result?: string;
  /** @default 'dockersamples/examplevotingapp_worker:latest' - upstream publishes no other tag */
  readonly worker?: string;
  /** @default 'redis:7.4-alpine' */
  readonly redis?: string;
  /** @default 'postgres:17-alpine' */
  readonly db?: string;
}

/** The maintained public images, as upstream's compose file uses them. */
export const PUBLIC_VOTING_APP_IMAGES: Required<VotingAppImages> = {
  vote: 'dockersamples/examplevotingapp_vote:before',
  result: 'dockersamples/examplevotingapp_result:before',
  worker: 'dockersamples/examplevotingapp_worker:latest',
  redis: 'redis:7.4-alpine',
  db: 'postgres:17-alpine',
};

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
   * Host address the two pages are published on.
   * @default '127.0.0.1' - reachable from this host only; use '0.0.0.0' to serve other machines
   */
  readonly hostIp?: string;

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
   * (`/run/secrets/db-password`), never into an environment variable.
   * @default - a sensitive Terraform variable `<namePrefix>db_password` (set `TF_VAR_db_password`)
   */
  readonly databasePassword?: string;
}

/** PostgreSQL's data directory in the official image and in the local one. */
const POSTGRES_DATA = '/var/lib/postgresql/data';

/** Where the database password file is written in the db, worker and result containers. */
export const DB_PASSWORD_FILE = '/run/secrets/db-password';

/**
 * Docker's classic voting app: vote (5000) and result (5001) on a frontend network; worker, redis and db on a
 * backend network that vote, result and worker also join. Services find each other as `redis` and `db` whatever
 * the containers are called.
 */
export class VotingApp extends Construct {
  public readonly vote: ServiceContainer;
  public readonly result: ServiceContainer;
  public readonly worker: ServiceContainer;
  public readonly redis: ServiceContainer;
  public readonly db: ServiceContainer;
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
    const strict = this.segmentation === Segmentation.STRICT;
    // STRICT: the frontend only publishes ports; its bridge drops traffic between vote and result.
    this.frontendNetwork =
      props.frontendNetwork ??
      new Network(this, 'frontend', {
        name: name('frontend-network'),
        options: strict ? { [ENABLE_ICC_OPTION]: 'false' } : undefined,
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
      healthcheck: Healthcheck.command(['redis-cli', 'ping'], { interval: Duration.seconds(2) }),
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
      healthcheck: Healthcheck.shell('pg_isready -U postgres -h 127.0.0.1', {
        interval: Duration.seconds(2),
        retries: 30,
      }),
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

    this.voteUrl = `http://${hostIp}:${votePort}`;
    this.resultUrl = `http://${hostIp}:${resultPort}`;
    this.addOutputs();
    this.suppressAcceptedFindings(images.worker, resultDb);
    this.declareFlows();
    this.node.addValidation({ validate: () => this.checkDistinctFromOtherApps() });
  }

  /** Policy findings each role really needs, with the reason (see docs/policy-pack.md). */
  private suppressAcceptedFindings(workerImage: string, resultDb: INetwork): void {
    const asRoot =
      "the image's entrypoint starts as root to prepare its data directory and then switches to its own user " +
      '(su-exec, gosu or setpriv), which needs CHOWN, SETUID and SETGID and, depending on the image, ' +
      'DAC_OVERRIDE and FOWNER from the default set';
    const strict = this.segmentation === Segmentation.STRICT;
    DockerPolicy.suppress(this.redis, [
      { id: 'DKR10', reason: asRoot },
      {
        id: 'DKR16',
        appliesTo: [this.backendNetwork.name],
        reason: strict
          ? 'vote queues the votes in redis; this network joins vote and redis only'
          : 'vote queues the votes in redis; in the shared backend layout result can reach redis too (Segmentation.STRICT removes that)',
      },
    ]);
    DockerPolicy.suppress(this.db, [
      { id: 'DKR10', reason: asRoot },
      {
        id: 'DKR16',
        appliesTo: [resultDb.name],
        reason: strict
          ? 'result reads the tally from db; this network joins result and db only'
          : 'result reads the tally from db; in the shared backend layout vote can reach db too (Segmentation.STRICT removes that)',
      },
    ]);
    if (workerImage === PUBLIC_VOTING_APP_IMAGES.worker) {
      DockerPolicy.suppress(this.worker, [
        {
          id: 'DKR6',
          appliesTo: [workerImage],
          reason: 'upstream publishes the worker image only as latest; pin a digest through images.worker to freeze it',
        },
      ]);
    }
  }

  /**
   * The flows the app needs, for the reachability check; in the shared backend layout also the ones its two
   * networks allow without need, as tolerated (the report lists them as excess).
   */
  private declareFlows(): void {
    const reach = Reachability.of(this);
    reach.allow(this.vote, this.redis).allow(this.worker, this.redis).allow(this.worker, this.db).allow(this.result, this.db);
    if (this.segmentation === Segmentation.STRICT) return;
    const why = 'the shared backend layout (upstream) puts all five services on one backend network; Segmentation.STRICT separates them';
    reach
      .tolerate(this.vote, this.result, 'vote and result share the frontend network they publish from, and the backend')
      .tolerate(this.vote, this.worker, why)
      .tolerate(this.vote, this.db, why)
      .tolerate(this.result, this.worker, why)
      .tolerate(this.result, this.redis, why)
      .tolerate(this.redis, this.db, why);
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
    return this.namePrefix.replace(/[^a-zA-Z0-9_]/g, '_');
  }

  private checkDistinctFromOtherApps(): string[] {
    const twin = earlierInStack(this, (c): c is VotingApp => c instanceof VotingApp && c.namePrefix === this.namePrefix);
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
