import { Construct, IConstruct } from 'constructs';
import { Volume as DockerVolume } from '@cdktf/provider-docker/lib/volume';
import { hasBrand, registerConstruct } from '../core/brand';
import { DockerNames, validateDockerName } from '../core/docker-names';
import { objectLabels } from '../core/labels';
import { providerOf } from '../engine/placement';

/** A named Docker volume a container can mount: one created by this app (`Volume`), or one of your own. */
export interface IVolume extends IConstruct {
  /** The volume's Docker name as written in code. */
  readonly name: string;

  /** The volume's Docker name, as a reference: containers mounting it are created after it. */
  readonly volumeName: string;
}

export interface VolumeProps {
  /**
   * The volume's Docker name (`docker volume create NAME`), after the prefix of any enclosing
   * `DockerNames.prefix` scope.
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
export class Volume extends Construct implements IVolume {
  /** True for a Volume, also one from another copy of this library. */
  public static isVolume(x: unknown): x is Volume {
    return hasBrand(x, 'Volume');
  }

  /**
   * Refers to a volume that exists already, by its Docker name (`docker volume inspect NAME`); the stack neither
   * creates nor deletes it. The provider has no volume data source: a missing volume fails the apply of the first
   * container that mounts it.
   */
  public static fromName(scope: Construct, id: string, name: string): IVolume {
    class ImportedVolume extends Construct implements IVolume {
      public readonly name = name;
      public readonly volumeName = name;
      constructor() {
        super(scope, id);
        validateDockerName(this, 'volume', name);
      }
    }
    return new ImportedVolume();
  }

  /** The volume's Docker name as written in code. */
  public readonly name: string;

  /** The volume's Docker name, as a reference: containers mounting it are created after it. */
  public readonly volumeName: string;

  /** The provider's `docker_volume` resource, for what this construct does not model. */
  public readonly resource: DockerVolume;

  constructor(scope: Construct, id: string, props: VolumeProps = {}) {
    super(scope, id);
    registerConstruct(this, 'Volume');
    this.name = DockerNames.prefixOf(this) + (props.name ?? id);
    validateDockerName(this, 'volume', this.name);
    this.resource = new DockerVolume(this, 'Resource', { provider: providerOf(this), name: this.name, labels: objectLabels(this, props.labels) });
    this.volumeName = this.resource.name;
  }
}
