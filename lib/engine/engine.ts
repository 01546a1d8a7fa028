import { Construct, IConstruct } from 'constructs';
import { Aspects, IAspect, TerraformDataSource, TerraformProvider, TerraformResource, TerraformStack } from 'cdktf';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { hasBrand, registerConstruct } from '../core/brand';
import { addStackValidationOnce } from '../core/construct-tree';
import { ValidationError, constructLabel } from '../core/errors';
import { EngineHost } from './engine-host';
import type { Swarm } from './swarm';

export interface EngineProps {
  /**
   * Where the engine listens and how the provider reaches it.
   * @default EngineHost.fromEnvironment() - `DOCKER_HOST` (with `DOCKER_CERT_PATH`) of the environment Terraform
   * runs in, else the local socket
   */
  readonly host?: EngineHost;

  /**
   * The swarm this engine is a node of. Engines of one swarm share its overlay networks (a container on one joins an
   * attachable overlay network created through another), its secrets and its published ports.
   * @default - a node of no swarm this stack knows: whatever it creates stays on it
   */
  readonly swarm?: Swarm;

  /**
   * The engine is a manager of `swarm`: Swarm services, Swarm secrets and overlay networks are created through a
   * manager, and synth refuses them on any other engine.
   * @default false
   */
  readonly manager?: boolean;

  /**
   * Make this engine the stack's default: its provider has no alias, so every construct outside an Engine's scope
   * (and every provider resource that names no provider) is on it. At most one a stack, and the stack then makes no
   * `DockerProvider` of its own without an alias.
   * @default false - the provider has the construct id as its alias, and only constructs inside this Engine's
   * scope are on it
   */
  readonly stackDefault?: boolean;
}

/** Where a stack keeps its default engine; every copy of the library reads the same key. */
const STACK_DEFAULT = Symbol.for('cdktf-docker-networking.default-engine');

/** Where a Swarm keeps the engines that declare themselves its nodes, in the order they were made. */
const NODES = Symbol.for('cdktf-docker-networking.swarm-nodes');

/** The engines that declare themselves nodes of `swarm`, in the order they were made. */
export function nodesOf(swarm: Swarm): Engine[] {
  return (swarm as any)[NODES] ?? [];
}

/** Terraform's rule for a provider alias (an identifier). */
const ALIAS = /^[a-zA-Z_][a-zA-Z0-9_-]*$/;

/**
 * A Docker engine the stack deploys to, with a provider of its own (`provider "docker" { alias = ... }`). Every
 * construct created inside its scope is on it: networks, containers with their images, volumes, Swarm services and
 * secrets, networks read by name, and any resource of the provider that names no provider of its own. Outside every
 * Engine, constructs stay on the stack's default provider, as in a stack without engines.
 *
 * ```ts
 * const worker = new Engine(this, 'worker', { host: EngineHost.tls('tcp://10.0.0.3:2376', TlsMaterial.fromPath('/certs')) });
 * new ServiceContainer(worker, 'web', { image: 'nginx:1.27' });
 * ```
 */
export class Engine extends Construct {
  /** True for an Engine, also one from another copy of this library. */
  public static isEngine(x: unknown): x is Engine {
    return hasBrand(x, 'Engine');
  }

  /**
   * The engine `scope` is on: the innermost Engine around it (or `scope` itself), else the stack's default engine
   * (`stackDefault`), else undefined: the stack's own default provider.
   */
  public static of(scope: IConstruct): Engine | undefined {
    for (let s: IConstruct | undefined = scope; s; s = s.node.scope) {
      if (Engine.isEngine(s)) return s;
    }
    return (TerraformStack.of(scope) as any)[STACK_DEFAULT];
  }

  /** The provider configuration of this engine, for what this construct does not model (`registryAuth`, ...). */
  public readonly provider: DockerProvider;
  public readonly host: EngineHost;
  public readonly swarm?: Swarm;
  /** A manager of `swarm`. */
  public readonly manager: boolean;
  /** The stack's default engine: its provider has no alias. */
  public readonly stackDefault: boolean;
  /** The provider's alias, the construct id; undefined for the stack's default engine. */
  public readonly alias?: string;

  constructor(scope: Construct, id: string, props: EngineProps = {}) {
    super(scope, id);
    registerConstruct(this, 'Engine');
    this.host = props.host ?? EngineHost.fromEnvironment();
    this.swarm = props.swarm;
    this.manager = props.manager ?? false;
    this.stackDefault = props.stackDefault ?? false;
    if (this.manager && this.swarm === undefined) {
      throw new ValidationError(this, 'is a manager of no swarm; set `swarm` to the Swarm it manages, or drop `manager`.');
    }
    if (this.swarm) {
      const swarm = this.swarm as any;
      if (!swarm[NODES]) Object.defineProperty(swarm, NODES, { value: [] });
      swarm[NODES].push(this);
    }
    const stack = TerraformStack.of(this) as any;
    if (this.stackDefault) {
      const other: Engine | undefined = stack[STACK_DEFAULT];
      if (other) {
        throw new ValidationError(
          this,
          `is the stack's default engine, and so is ${constructLabel(other)}; a stack has one default engine: set \`stackDefault\` on one of them only.`,
        );
      }
      Object.defineProperty(stack, STACK_DEFAULT, { value: this, configurable: true });
    } else {
      if (!ALIAS.test(id)) {
        throw new ValidationError(
          this,
          `its construct id "${id}" is its provider's alias, and Terraform takes letters, digits, "_" and "-" there, starting ` +
            'with a letter or "_"; give the Engine such an id.',
        );
      }
      this.alias = id;
    }
    this.provider = new DockerProvider(this, 'Provider', { alias: this.alias, ...this.host.providerConfig() });
    Aspects.of(this).add(new PlaceOnEngine());
    addStackValidationOnce(this, 'engine-providers', duplicateProviders);
  }
}

/** Puts the provider's resources and data sources made inside an Engine that name no provider on that engine. */
class PlaceOnEngine implements IAspect {
  public visit(node: IConstruct): void {
    const element = TerraformResource.isTerraformResource(node) || TerraformDataSource.isTerraformDataSource(node) ? node : undefined;
    if (element && element.provider === undefined && element.terraformGeneratorMetadata?.providerName === 'docker') {
      element.provider = Engine.of(element)?.provider;
    }
  }
}

/** Two docker provider configurations of one alias (or both without), which Terraform refuses. */
function duplicateProviders(stack: TerraformStack): string[] {
  const providers = stack.node
    .findAll()
    .filter((c): c is TerraformProvider => TerraformProvider.isTerraformProvider(c) && c.terraformResourceType === 'docker');
  const owner = (p: TerraformProvider) => (Engine.isEngine(p.node.scope) ? p.node.scope : p);
  const seen = new Map<string, TerraformProvider>();
  const errors: string[] = [];
  for (const provider of providers) {
    const alias = provider.alias;
    const first = seen.get(alias ?? '');
    if (!first) {
      seen.set(alias ?? '', provider);
      continue;
    }
    const [a, b] = [owner(first), owner(provider)];
    // Two providers of the stack's own are Terraform's to report.
    if (!Engine.isEngine(a) && !Engine.isEngine(b)) continue;
    const engine = Engine.isEngine(b) ? b : a;
    const other = engine === b ? a : b;
    // Two default engines are refused as they are made: here the other is the stack's own DockerProvider.
    errors.push(
      alias === undefined
        ? `${constructLabel(engine)}: the stack's default engine makes the docker provider without alias, and so does ` +
            `${constructLabel(other)}; Terraform takes one provider configuration without alias: remove that ` +
            'DockerProvider, or drop `stackDefault`.'
        : `${constructLabel(engine)}: the provider alias "${alias}" is also the alias of ${constructLabel(other)}; Terraform ` +
            'takes one provider configuration an alias: give the Engine another construct id.',
    );
  }
  return errors;
}
