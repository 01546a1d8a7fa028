import { Construct } from 'constructs';
import { DEFAULT_HOST_IP } from '../container/ports';
import { RestartPolicy } from '../container/restart-policy';
import { Capability } from '../container/security';
import { ServiceContainer } from '../container/service-container';
import { Volume } from '../container/volume';
import { ValidationError } from '../core/errors';
import { Size } from '../core/size';
import { INetwork, Network } from '../network/network';
import type { LayoutProps, VotingAppLayout } from './layout';
import { DB_HEALTHCHECK, POSTGRES_DATA, REDIS_HEALTHCHECK } from './roles';
import { Segmentation } from './segmentation';
import { DB_PASSWORD_FILE } from './voting-app-props';

/**
 * The app as one container a role on this engine, on bridge networks. Shared backend: vote and result on a
 * frontend network; worker, redis and db on a backend network that vote, result and worker also join. Strict: a
 * network for each flow the app needs, and a frontend whose bridge drops traffic between vote and result.
 */
export function createContainerLayout(scope: Construct, props: LayoutProps): VotingAppLayout {
  if (props.publishMode !== undefined) {
    throw new ValidationError(scope, 'publishMode applies to Swarm services only; set `orchestrator: Orchestrator.SWARM` or remove it.');
  }
  if (props.dataPlacement !== undefined) {
    throw new ValidationError(scope, 'dataPlacement applies to Swarm services only; set `orchestrator: Orchestrator.SWARM` or remove it.');
  }
  const { name, images } = props;
  const strict = props.segmentation === Segmentation.STRICT;
  const hostIp = props.hostIp ?? DEFAULT_HOST_IP;
  // STRICT: the frontend only publishes ports; its bridge drops traffic between vote and result.
  const frontendNetwork =
    props.frontendNetwork ??
    new Network(scope, 'frontend', {
      name: name('frontend-network'),
      interContainerTraffic: strict ? false : undefined,
    });
  const backend =
    props.backendNetwork ?? new Network(scope, 'backend', { name: name(strict ? 'vote-redis-network' : 'backend-network') });
  const passwordFile = [{ path: DB_PASSWORD_FILE, content: props.password }];
  // One network for each other flow in STRICT; all of them are the backend otherwise.
  const flowNetwork = (id: string) => (strict ? new Network(scope, id, { name: name(`${id}-network`) }) : backend);
  const workerRedis = flowNetwork('worker-redis');
  const workerDb = flowNetwork('worker-db');
  const resultDb = flowNetwork('result-db');

  const redis = new ServiceContainer(scope, 'redis', {
    name: name('redis'),
    image: images.redis,
    networks: uniqueAttachments([backend, workerRedis], ['redis']),
    healthcheck: REDIS_HEALTHCHECK,
    restartPolicy: RestartPolicy.UNLESS_STOPPED,
    memoryLimit: Size.mebibytes(256),
    cpuLimit: 0.5,
  });

  // The votes outlive the db container: most changes to it replace it.
  const dbData = new Volume(scope, 'db-data', { name: name('db-data') });
  const db = new ServiceContainer(scope, 'db', {
    name: name('db'),
    image: images.db,
    volumes: [{ volume: dbData, path: POSTGRES_DATA }],
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

  const vote = new ServiceContainer(scope, 'vote', {
    name: name('vote'),
    image: images.vote,
    ports: [{ internal: 80, external: props.votePort, hostIp }],
    networks: [{ network: frontendNetwork }, { network: backend }],
    env: { REDIS_HOST: 'redis' },
    // Serves port 80 and writes nothing: the tightest of the five (checked with the local image).
    readOnlyRootFilesystem: true,
    tmpfs: [{ path: '/tmp', size: Size.mebibytes(16) }],
    capabilities: { drop: [Capability.ALL], add: [Capability.NET_BIND_SERVICE] },
    dependsOn: [redis],
    restartPolicy: RestartPolicy.UNLESS_STOPPED,
    memoryLimit: Size.mebibytes(256),
    cpuLimit: 0.5,
  });

  // The tutorial leaves result on the frontend alone, where it cannot reach db; upstream puts it on both.
  const result = new ServiceContainer(scope, 'result', {
    name: name('result'),
    image: images.result,
    ports: [{ internal: 80, external: props.resultPort, hostIp }],
    networks: uniqueAttachments([frontendNetwork, resultDb]),
    env: { DB_HOST: 'db', DB_PASSWORD_FILE },
    files: passwordFile,
    // Not read-only: Docker cannot copy the password file into a read-only root filesystem.
    capabilities: { drop: [Capability.ALL], add: [Capability.NET_BIND_SERVICE] },
    dependsOn: [db],
    restartPolicy: RestartPolicy.UNLESS_STOPPED,
    memoryLimit: Size.mebibytes(256),
    cpuLimit: 0.5,
  });

  const worker = new ServiceContainer(scope, 'worker', {
    name: name('worker'),
    image: images.worker,
    networks: uniqueAttachments([workerRedis, workerDb]),
    env: { REDIS_HOST: 'redis', DB_HOST: 'db', DB_PASSWORD_FILE },
    files: passwordFile,
    capabilities: { drop: [Capability.ALL] },
    dependsOn: [redis, db],
    restartPolicy: RestartPolicy.UNLESS_STOPPED,
    memoryLimit: Size.mebibytes(256),
    cpuLimit: 0.5,
  });

  const networks = [...new Set([frontendNetwork, backend, workerRedis, workerDb, resultDb])];
  return { vote, result, worker, redis, db, frontendNetwork, backendNetwork: backend, networks, resultDbNetwork: resultDb, dbData };
}

/** One attachment per distinct network (in SHARED_BACKEND several flow networks are the same backend). */
function uniqueAttachments(networks: INetwork[], aliases?: string[]): { network: INetwork; aliases?: string[] }[] {
  return [...new Set(networks)].map((network) => ({ network, aliases }));
}
