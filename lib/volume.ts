import { Construct } from 'constructs';
import { Volume as DockerVolume } from '@cdktf/provider-docker/lib/volume';
import { toLabels } from './labels';
import { validateDockerName } from './validation';

export interface VolumeProps {
  /**
   * The volume's Docker name (`docker volume create NAME`).
   * @default - the construct id
   */
  readonly name?: string;

  /**
   * Labels on the volume.
   * @default - no labels
   */
  readonly labels?: Record<string, string>;
}

/**
 * A named Docker volume: data that outlives the containers mounting it, so replacing a container (which most
 * changes do) keeps its data. `cdktf destroy` deletes it with the stack.
 */
export class Volume extends Construct {
  /** The volume's Docker name as written in code. */
  public readonly name: string;

  /** The volume's Docker name, as a reference: containers mounting it are created after it. */
  public readonly volumeName: string;

  /** The provider's `docker_volume` resource, for what this construct does not model. */
  public readonly resource: DockerVolume;

  constructor(scope: Construct, id: string, props: VolumeProps = {}) {
    super(scope, id);
    this.name = props.name ?? id;
    validateDockerName(this, 'volume', this.name);
    this.resource = new DockerVolume(this, 'Resource', { name: this.name, labels: toLabels(props.labels) });
    this.volumeName = this.resource.name;
  }
}
