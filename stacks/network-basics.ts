import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { Capability, DockerPolicy, Network, NetworkInventory, Reachability, ServiceContainer, Size } from '../lib';
import { PUBLIC_IMAGES, StackImages } from './images';

export interface NetworkBasicsStackProps {
  /**
   * @default PUBLIC_IMAGES
   */
  readonly images?: StackImages;

  /**
   * Host port on 127.0.0.1 that the web container's port 8080 is published on (the tutorial's `-p 80:8080`).
   * @default 8080
   */
  readonly webPort?: number;
}

/**
 * The tutorial's single-network steps: a network with redis on it that a peer resolves by name, a second network
 * `frontend-network2` where redis answers to the alias `db`, and a client that lives on `frontend-network2` only.
 * Names start with `basics-` so that this stack and `voting-app` can run on one engine.
 */
export class NetworkBasicsStack extends TerraformStack {
  /** The tutorial's `backend-network`. */
  public readonly basicsNetwork: Network;
  public readonly frontend2: Network;
  public readonly redis: ServiceContainer;
  /** Answers on port 8080, published on 127.0.0.1. */
  public readonly web: ServiceContainer;
  /** On the basics network: resolves and pings redis and web by name. */
  public readonly peer: ServiceContainer;
  /** On `frontend-network2` only: resolves `db`, and nothing that lives on the basics network alone. */
  public readonly frontend2Client: ServiceContainer;

  constructor(scope: Construct, id: string, props: NetworkBasicsStackProps = {}) {
    super(scope, id);
    const images = props.images ?? PUBLIC_IMAGES;
    new DockerProvider(this, 'docker');

    // docker network create basics-network
    this.basicsNetwork = new Network(this, 'basics-network', { name: 'basics-network' });

    // docker run -d --name=basics-redis --net=basics-network redis
    this.redis = new ServiceContainer(this, 'redis', {
      name: 'basics-redis',
      image: images.redis,
      networks: [{ network: this.basicsNetwork }],
      memoryLimit: Size.mebibytes(128),
      cpuLimit: 0.5,
    });

    // docker run -d --name=basics-web -p 127.0.0.1:8080:8080 --net=basics-network busybox httpd
    this.web = new ServiceContainer(this, 'web', {
      name: 'basics-web',
      image: images.toolbox,
      command: ['httpd', '-f', '-p', '8080', '-h', '/www'],
      files: [{ path: '/www/index.html', content: 'hello from basics-web\n' }],
      ports: [{ internal: 8080, external: props.webPort ?? 8080, hostIp: '127.0.0.1' }],
      networks: [{ network: this.basicsNetwork }],
      memoryLimit: Size.mebibytes(32),
      cpuLimit: 0.25,
      capabilities: { drop: [Capability.ALL] },
    });

    // docker run --net=basics-network busybox ping redis
    this.peer = sleeper(this, 'peer', 'basics-peer', images.toolbox);
    this.peer.connect(this.basicsNetwork);

    // docker network create frontend-network2
    this.frontend2 = new Network(this, 'frontend-network2', { name: 'frontend-network2' });

    // docker network connect --alias db frontend-network2 basics-redis
    this.redis.connect(this.frontend2, { aliases: ['db'] });

    // docker run --net=frontend-network2 busybox ping db
    this.frontend2Client = sleeper(this, 'frontend2-client', 'basics-frontend2-client', images.toolbox);
    this.frontend2Client.connect(this.frontend2);

    // docker network ls / docker network inspect
    new NetworkInventory(this, 'inventory');

    // The policy pack and the reachability report (cdktf.out/stacks/network-basics/), and what may talk.
    DockerPolicy.applyTo(this);
    DockerPolicy.suppress(this.redis, [
      {
        id: 'DKR10',
        reason: "the redis image's entrypoint starts as root and switches to user redis, which needs SETUID and SETGID",
      },
      {
        id: 'DKR16',
        appliesTo: ['basics-network'],
        reason: 'the tutorial shows name resolution with redis and a web server on one network; web publishes on 127.0.0.1 only',
      },
    ]);
    // Flows declared at the stack's root cover its containers only in the strict mode: every undeclared pair fails.
    Reachability.of(this)
      .enforceEverywhere()
      .allow(this.peer, this.redis)
      .allow(this.peer, this.web)
      .allow(this.frontend2Client, this.redis)
      .tolerate(this.web, this.redis, 'the tutorial puts web on the basics network beside redis; web never calls redis');
  }
}

/** A toolbox container that stays up so that tests and people can `docker exec` into it. */
function sleeper(scope: Construct, id: string, name: string, image: string): ServiceContainer {
  return new ServiceContainer(scope, id, {
    name,
    image,
    command: ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'],
    memoryLimit: Size.mebibytes(32),
    cpuLimit: 0.25,
    // ping needs NET_RAW once the rest is dropped.
    capabilities: { drop: [Capability.ALL], add: [Capability.NET_RAW] },
  });
}
