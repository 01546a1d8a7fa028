import { Construct } from 'constructs';
import { Capability } from '../container/security';
import { Volume } from '../container/volume';
import { Duration } from '../core/duration';
import { ValidationError } from '../core/errors';
import { Size } from '../core/size';
import { Network } from '../network/network';
import { NetworkDriver } from '../network/network-driver';
import { PlacementConstraint } from '../swarm/placement';
import { EndpointMode, PublishMode, ServiceMode, UpdateOrder } from '../swarm/service-mode';
import { SwarmRestartPolicy } from '../swarm/swarm-restart-policy';
import { SwarmSecret } from '../swarm/swarm-secret';
import { SwarmService } from '../swarm/swarm-service';
import { UpdatePolicy } from '../swarm/update-policy';
import type { LayoutProps, VotingAppLayout } from './layout';
import { DB_HEALTHCHECK, POSTGRES_DATA, REDIS_HEALTHCHECK } from './roles';
import { Segmentation } from './segmentation';
import { DB_PASSWORD_FILE } from './voting-app-props';

/**
 * The app's shared-backend layout on Swarm: vote and result on a frontend overlay, redis and db on a backend overlay
 * that vote, result and worker also join. Services that publish nothing use DNS round robin (`dnsrr`): clients
 * reach the tasks directly by name, which works without the kernel's IPVS; vote and result use a virtual IP only
 * where they publish through the ingress routing mesh, which needs one.
 */
export function createSwarmLayout(scope: Construct, props: LayoutProps): VotingAppLayout {
  if (props.segmentation === Segmentation.STRICT) {
    throw new ValidationError(
      scope,
      'Segmentation.STRICT needs a bridge network with enable_icc=false for the frontend, which an overlay network ' +
        'cannot be; use Segmentation.SHARED_BACKEND with Orchestrator.SWARM.',
    );
  }
  if (props.hostIp !== undefined) {
    throw new ValidationError(
      scope,
      `hostIp "${props.hostIp}" cannot apply on Swarm: it publishes on every interface of a node; remove \`hostIp\` ` +
        '(and keep the ports off untrusted interfaces with a firewall).',
    );
  }
  const { name, images } = props;
  const publishMode = props.publishMode ?? PublishMode.INGRESS;
  const overlay = (id: string, base: string) =>
    new Network(scope, id, { name: name(base), driver: NetworkDriver.OVERLAY, attachable: true });
  const frontendNetwork = props.frontendNetwork ?? overlay('frontend', 'frontend-network');
  const backendNetwork = props.backendNetwork ?? overlay('backend', 'backend-network');
  const dbPassword = new SwarmSecret(scope, 'db-password-secret', { name: name('db-password'), data: props.password });
  const secrets = [{ secret: dbPassword, target: DB_PASSWORD_FILE, mode: '0444' }];
  const ingress = publishMode === PublishMode.INGRESS;
  // A host-mode port binds one task a node: one replica on a single node; the mesh balances two.
  const publishedReplicas = ServiceMode.replicated(ingress ? 2 : 1);
  const publishedEndpoint = ingress ? EndpointMode.VIP : EndpointMode.DNSRR;
  const limits = (memory: number, cpus: number) => ({ memory: Size.mebibytes(memory), cpus });
  // db and redis hold the app's state: they stay on the data node; the others spread over the swarm.
  const dataPlacement = props.dataPlacement ?? [PlacementConstraint.MANAGER];

  const redis = new SwarmService(scope, 'redis', {
    name: name('redis'),
    image: images.redis,
    endpointMode: EndpointMode.DNSRR,
    networks: [{ network: backendNetwork, aliases: ['redis'] }],
    placement: dataPlacement,
    healthcheck: REDIS_HEALTHCHECK,
    limits: limits(256, 0.5),
  });

  const dbData = new Volume(scope, 'db-data', { name: name('db-data') });
  const db = new SwarmService(scope, 'db', {
    name: name('db'),
    image: images.db,
    endpointMode: EndpointMode.DNSRR,
    networks: [{ network: backendNetwork, aliases: ['db'] }],
    env: { POSTGRES_PASSWORD_FILE: DB_PASSWORD_FILE },
    secrets,
    volumes: [{ volume: dbData, path: POSTGRES_DATA }],
    // The volume lives on the node Terraform talks to: by default a manager (upstream pins db there too).
    placement: dataPlacement,
    healthcheck: DB_HEALTHCHECK,
    stopSignal: 'SIGINT',
    limits: limits(512, 1),
  });

  const vote = new SwarmService(scope, 'vote', {
    name: name('vote'),
    image: images.vote,
    mode: publishedReplicas,
    endpointMode: publishedEndpoint,
    ports: [{ target: 80, published: props.votePort, mode: publishMode }],
    networks: [{ network: frontendNetwork }, { network: backendNetwork }],
    env: { REDIS_HOST: 'redis' },
    capabilities: { drop: [Capability.ALL], add: [Capability.NET_BIND_SERVICE] },
    limits: limits(256, 0.5),
  });

  const result = new SwarmService(scope, 'result', {
    name: name('result'),
    image: images.result,
    endpointMode: publishedEndpoint,
    ports: [{ target: 80, published: props.resultPort, mode: publishMode }],
    networks: [{ network: frontendNetwork }, { network: backendNetwork }],
    env: { DB_HOST: 'db', DB_PASSWORD_FILE },
    secrets,
    capabilities: { drop: [Capability.ALL], add: [Capability.NET_BIND_SERVICE] },
    limits: limits(256, 0.5),
  });

  // Two replicas, rolled one at a time with the new task started first: never fewer than two workers.
  const worker = new SwarmService(scope, 'worker', {
    name: name('worker'),
    image: images.worker,
    mode: ServiceMode.replicated(2),
    endpointMode: EndpointMode.DNSRR,
    networks: [{ network: backendNetwork }],
    env: { REDIS_HOST: 'redis', DB_HOST: 'db', DB_PASSWORD_FILE },
    secrets,
    capabilities: { drop: [Capability.ALL] },
    updatePolicy: UpdatePolicy.rolling({ parallelism: 1, order: UpdateOrder.START_FIRST }),
    restartPolicy: SwarmRestartPolicy.any({ delay: Duration.seconds(2) }),
    limits: limits(256, 0.5),
  });

  const networks = [frontendNetwork, backendNetwork];
  return { vote, result, worker, redis, db, frontendNetwork, backendNetwork, networks, resultDbNetwork: backendNetwork, dbData, dbPassword };
}
