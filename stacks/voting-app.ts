import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { DockerPolicy, NetworkInventory, Orchestrator, PublishMode, Segmentation, VotingApp } from '../lib';
import { PUBLIC_IMAGES, StackImages } from './images';

export interface VotingAppStackProps {
  /**
   * @default PUBLIC_IMAGES
   */
  readonly images?: StackImages;

  /**
   * @default Segmentation.SHARED_BACKEND
   */
  readonly segmentation?: Segmentation;

  /**
   * @default Orchestrator.CONTAINERS
   */
  readonly orchestrator?: Orchestrator;

  /**
   * With Orchestrator.SWARM: how vote and result publish their ports.
   * @default PublishMode.INGRESS
   */
  readonly publishMode?: PublishMode;
}

/** `VOTING_APP_ORCHESTRATOR=swarm` selects Swarm services; unset or `containers` one container a service. */
export function orchestratorFromEnvironment(env: NodeJS.ProcessEnv = process.env): Orchestrator {
  const choice = env.VOTING_APP_ORCHESTRATOR ?? Orchestrator.CONTAINERS.name;
  const match = [Orchestrator.CONTAINERS, Orchestrator.SWARM].find((o) => o.name === choice);
  if (!match) {
    throw new Error(`VOTING_APP_ORCHESTRATOR="${choice}" is not an orchestrator; use "containers" (the default) or "swarm".`);
  }
  return match;
}

/** `VOTING_APP_SWARM_PUBLISH=host` publishes vote and result in host mode on Swarm; unset or `ingress` the mesh. */
export function publishModeFromEnvironment(env: NodeJS.ProcessEnv = process.env): PublishMode | undefined {
  const choice = env.VOTING_APP_SWARM_PUBLISH;
  if (choice === undefined || choice === '') return undefined;
  const match = [PublishMode.INGRESS, PublishMode.HOST].find((m) => m === choice);
  if (!match) throw new Error(`VOTING_APP_SWARM_PUBLISH="${choice}" is not a publish mode; use "ingress" (the default) or "host".`);
  return match;
}

/** `VOTING_APP_SEGMENTATION=strict` selects Segmentation.STRICT; unset or `shared-backend` the default layout. */
export function segmentationFromEnvironment(env: NodeJS.ProcessEnv = process.env): Segmentation {
  const choice = env.VOTING_APP_SEGMENTATION ?? Segmentation.SHARED_BACKEND.name;
  const match = [Segmentation.SHARED_BACKEND, Segmentation.STRICT].find((s) => s.name === choice);
  if (!match) {
    throw new Error(`VOTING_APP_SEGMENTATION="${choice}" is not a layout; use "shared-backend" (the default) or "strict".`);
  }
  return match;
}

/** The tutorial's multi-container voting app on a frontend and a backend network. */
export class VotingAppStack extends TerraformStack {
  public readonly app: VotingApp;

  constructor(scope: Construct, id: string, props: VotingAppStackProps = {}) {
    super(scope, id);
    new DockerProvider(this, 'docker');
    const swarm = props.orchestrator === Orchestrator.SWARM;
    this.app = new VotingApp(this, 'app', {
      images: props.images ?? PUBLIC_IMAGES,
      segmentation: props.segmentation,
      orchestrator: props.orchestrator,
      publishMode: swarm ? props.publishMode : undefined,
    });
    new NetworkInventory(this, 'inventory');
    // The policy pack and the reachability report (cdktf.out/stacks/voting-app/).
    DockerPolicy.applyTo(this);
  }
}
