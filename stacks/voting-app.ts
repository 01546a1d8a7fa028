import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { DockerPolicy, NetworkInventory, Segmentation, VotingApp } from '../lib';
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
    this.app = new VotingApp(this, 'app', { images: props.images ?? PUBLIC_IMAGES, segmentation: props.segmentation });
    new NetworkInventory(this, 'inventory');
    // The policy pack and the reachability report (cdktf.out/stacks/voting-app/).
    DockerPolicy.applyTo(this);
  }
}
