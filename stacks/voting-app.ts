import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { DockerPolicy, NetworkInventory, Orchestrator, PlacementConstraint, PublishMode, Segmentation, VotingApp } from '../lib';
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

  /**
   * With Orchestrator.SWARM: the nodes db and redis may run on.
   * @default [PlacementConstraint.MANAGER]
   */
  readonly dataPlacement?: PlacementConstraint[];
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

/**
 * `VOTING_APP_DATA_NODE_LABEL=KEY=VALUE` pins db and redis on Swarm to the node with that label (the main job sets
 * `voting-app.data=true` and labels the node it talks to, where db's volume is created); unset: a manager.
 */
export function dataPlacementFromEnvironment(env: NodeJS.ProcessEnv = process.env): PlacementConstraint[] | undefined {
  const label = env.VOTING_APP_DATA_NODE_LABEL;
  if (label === undefined || label === '') return undefined;
  const match = /^([A-Za-z0-9_.-]+)=(\S+)$/.exec(label);
  if (!match) throw new Error(`VOTING_APP_DATA_NODE_LABEL="${label}" is not a node label; write KEY=VALUE, e.g. voting-app.data=true.`);
  return [PlacementConstraint.nodeLabel(match[1], match[2])];
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
      dataPlacement: swarm ? props.dataPlacement : undefined,
    });
    new NetworkInventory(this, 'inventory');
    // The policy pack and the reachability report (cdktf.out/stacks/voting-app/).
    DockerPolicy.applyTo(this);
  }
}
