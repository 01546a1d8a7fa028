import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { NetworkInventory, VotingApp } from '../lib';
import { PUBLIC_IMAGES, StackImages } from './images';

export interface VotingAppStackProps {
  /**
   * @default PUBLIC_IMAGES
   */
  readonly images?: StackImages;
}

/** The tutorial's multi-container voting app on a frontend and a backend network. */
export class VotingAppStack extends TerraformStack {
  public readonly app: VotingApp;

  constructor(scope: Construct, id: string, props: VotingAppStackProps = {}) {
    super(scope, id);
    new DockerProvider(this, 'docker');
    this.app = new VotingApp(this, 'app', { images: props.images ?? PUBLIC_IMAGES });
    new NetworkInventory(this, 'inventory');
  }
}
