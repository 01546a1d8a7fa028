/** The model of a stack under synth: the pure model of its document, plus the construct of each workload. */
import { IConstruct } from 'constructs';
import { IAspect, TerraformDataSource, TerraformResource, TerraformStack } from 'cdktf';
import { buildModel, WorkloadConstruct } from './build-model';
import { DEFAULT_PROVIDER, entriesOfDocument, enginesOfDocument } from './document';
import { DockerModel } from './docker-model';
import { FinalSynth } from './final-synth';
import { ContainerModel } from './model-types';
import { dockerConfiguration } from './stack-configuration';

/**
 * A construct that stands for one `docker_container` (a ServiceContainer) or one `docker_service` (a SwarmService):
 * flows and checks name it.
 */
export interface IContainerConstruct extends IConstruct {
  /** The provider's `docker_container` or `docker_service` resource. */
  readonly resource: TerraformResource;
}

/** Where a stack keeps the model of the synth under way, and whether it shares one; every copy of the library reads the same keys. */
const SYNTH_MODEL = Symbol.for('cdktf-docker-networking.synth-model');
const SHARES_MODEL = Symbol.for('cdktf-docker-networking.shares-synth-model');

/**
 * The Docker view of one stack, built from its synthesized configuration: a `DockerModel` whose workloads also know
 * their construct (`containerOf`, `ContainerModel.resource`), in the stack's order. Building it resolves the stack's
 * Docker objects, about as costly as writing `cdk.tf.json`: the checks of one synth share one (`ofSynth`).
 */
export class StackModel extends DockerModel {
  /** The model of `stack` as it is now. */
  public static build(stack: TerraformStack): StackModel {
    return new StackModel(stack, dockerConfiguration(stack));
  }

  /**
   * Lets the checks of `stack` share one model per synth (`ofSynth`). Call it before adding a check as an aspect:
   * it forgets the previous synth's model when the next synth starts (an aspect ahead of the check where a synth
   * runs only aspects), and lets the checks wait for the final tree (`FinalSynth`).
   */
  public static shareWithinSynth(stack: TerraformStack): void {
    const s = stack as any;
    if (s[SHARES_MODEL]) return;
    Object.defineProperty(s, SHARES_MODEL, { value: true });
    FinalSynth.enable(stack);
    FinalSynth.whenSynthStarts(stack, () => StackModel.releaseSynth(stack));
    FinalSynth.addAspect(stack, new ForgetModelWhenSynthStarts(stack));
  }

  /** True when the checks of `stack` share one model per synth. */
  public static sharesWithinSynth(stack: TerraformStack): boolean {
    return Boolean((stack as any)[SHARES_MODEL]);
  }

  /**
   * The model of the synth under way, for checks that run inside it (aspects, files written beside the stack, and
   * `PolicyTesting` right after it): built on the first call of a synth, then shared. Once the tree of a synth is
   * final (`FinalSynth`), it reads the document cdktf writes, with no resolve of its own. Where the stack does not
   * share (`shareWithinSynth`), a fresh model. Outside a synth, use `build`: the tree may have changed since.
   */
  public static ofSynth(stack: TerraformStack): StackModel {
    if (!StackModel.sharesWithinSynth(stack)) return StackModel.build(stack);
    const ofFinalTree = () => new StackModel(stack, FinalSynth.document(stack));
    return ((stack as any)[SYNTH_MODEL] ??= FinalSynth.isFinal(stack) ? ofFinalTree() : StackModel.build(stack));
  }

  /**
   * Forgets the model of the synth under way, once the last check of the synth has read it: it would otherwise stay
   * in memory while cdktf writes the stack.
   */
  public static releaseSynth(stack: TerraformStack): void {
    delete (stack as any)[SYNTH_MODEL];
  }

  private readonly byResource = new Map<IConstruct, ContainerModel>();

  /** `tf`: the stack's resolved `provider`, `resource` and `data` blocks, at least those of its Docker objects. */
  private constructor(
    public readonly stack: TerraformStack,
    tf: Record<string, any>,
  ) {
    super(buildModel(entriesOfDocument(tf), { workloads: workloadConstructs(stack, tf), engines: enginesOfDocument(tf) }));
    for (const container of this.containers) this.byResource.set(container.resource!, container);
  }

  /** The model of the `docker_container` or `docker_service` resource `resource`. */
  public containerOf(resource: IConstruct): ContainerModel | undefined {
    return this.byResource.get(resource);
  }
}

/**
 * The stack's workloads in the stack's order, each with its entry of `tf` (none: no attributes): a resource written
 * straight against the provider counts too.
 */
function workloadConstructs(stack: TerraformStack, tf: Record<string, any>): WorkloadConstruct[] {
  return stack.node
    .findAll()
    .filter(isDockerWorkload)
    .map((resource) => {
      const type = resource.terraformResourceType;
      const id = resource.friendlyUniqueId;
      const values = tf.resource?.[type]?.[id] ?? {};
      const provider = typeof values.provider === 'string' ? values.provider : DEFAULT_PROVIDER;
      return { entry: { address: `${type}.${id}`, mode: 'managed', type, values, provider }, resource };
    });
}

/** Forgets the stack's shared model when a synth starts: aspects visit the stack before anything inside it. */
class ForgetModelWhenSynthStarts implements IAspect {
  constructor(private readonly stack: TerraformStack) {}

  public visit(node: IConstruct): void {
    if (node === this.stack) StackModel.releaseSynth(this.stack);
  }
}

const WORKLOAD_TYPES = new Set(['docker_container', 'docker_service']);

/** A `docker_container` or a `docker_service` resource (also one a user created without our constructs): what the checks model. */
export function isDockerWorkload(x: unknown): x is TerraformResource {
  return (
    typeof x === 'object' &&
    x !== null &&
    TerraformResource.isTerraformResource(x) &&
    !TerraformDataSource.isTerraformDataSource(x) &&
    WORKLOAD_TYPES.has((x as TerraformResource).terraformResourceType)
  );
}

/** The construct a user wrote for a container: the ServiceContainer around a `Resource`, else the resource itself. */
export function ownerPath(resource: IConstruct): string {
  const owner = resource.node.id === 'Resource' ? resource.node.scope : undefined;
  return (owner ?? resource).node.path;
}
