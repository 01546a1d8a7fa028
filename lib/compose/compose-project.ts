import { Construct, IConstruct } from 'constructs';
import { Annotations } from 'cdktf';
import { ServiceContainer } from '../container/service-container';
import { IVolume, Volume } from '../container/volume';
import { ValidationError, constructLabel } from '../core/errors';
import { INetwork, Network } from '../network/network';
import { Orchestrator } from '../swarm/orchestrator';
import { ISwarmSecret, SwarmSecret } from '../swarm/swarm-secret';
import { SwarmService } from '../swarm/swarm-service';
import { loadCompose } from './load';
import { ComposePlan, PlannedConstruct, describeRefusal, planCompose } from './plan';
import { evaluate } from './plan-value';
import { Fail, withPositionsOnDemand } from './source';

/** What `ComposeProject` does with a compose key it does not translate. */
export class UnsupportedKeys {
  /** Fail the synth, listing every such key with its file, line and what to do. */
  public static readonly FAIL = new UnsupportedKeys('fail');

  /** Skip them, and list them in one warning annotation on the project (`cdktf synth` prints it). */
  public static readonly WARN = new UnsupportedKeys('warn');

  private constructor(
    /** `fail` or `warn`. */
    public readonly mode: string,
  ) {}
}

export interface ComposeProjectProps {
  /**
   * The compose files, merged in order as `docker compose -f a.yml -f b.yml` merges them (override files, `!reset`,
   * `!override`). Relative paths start at the working directory; paths inside the files start at the first file's
   * directory (the project directory). The files are read at synth: they stay the source of truth.
   */
  readonly files: string[];

  /**
   * The project name, which prefixes the names of what compose creates (`<project>_default`, `<project>-web-1`).
   * @default - the top-level `name:` of the files, else the project directory's name, lower-cased as compose does
   */
  readonly projectName?: string;

  /**
   * Variables for `${VAR}` interpolation, and for `environment` entries without a value.
   * @default - the environment of the synth (`process.env`), over `.env` in the project directory
   */
  readonly environment?: Record<string, string>;

  /**
   * Files of variables for interpolation, read in order (`docker compose --env-file`); they replace `.env`.
   * @default - `.env` in the project directory, where there is one
   */
  readonly envFiles?: string[];

  /**
   * The profiles whose services run (`docker compose --profile`); services without `profiles` always run.
   * @default - the comma-separated COMPOSE_PROFILES of the interpolation environment, else none
   */
  readonly profiles?: string[];

  /**
   * Containers on this engine (as `docker compose up`), or Swarm services on overlay networks (as
   * `docker stack deploy`), where `deploy.replicas`, `placement` and `update_config` apply.
   * @default Orchestrator.CONTAINERS
   */
  readonly orchestrator?: Orchestrator;

  /**
   * The host address of a published port that names none. Containers only.
   * @default '0.0.0.0' - every interface, as compose publishes (the library's own default is 127.0.0.1)
   */
  readonly hostIp?: string;

  /**
   * What happens to a compose key the library does not translate (docs/compose.md lists each key).
   * @default UnsupportedKeys.FAIL - the synth fails, naming the file, the line, the key and what to do
   */
  readonly unsupported?: UnsupportedKeys;
}

/**
 * A compose project (`docker-compose.yml` and its override files) read at synth into the library's constructs:
 * one `Network` a compose network (the default network `<project>_default` included), one `Volume` a named volume,
 * one `ServiceContainer` a service (or with `Orchestrator.SWARM` one `SwarmService`, and a `SwarmSecret` a
 * secret). Names, aliases and ports are what compose creates, so the services find each other as they do under
 * compose: by service name, on the networks they share. The constructs are reachable by compose name (`containers`,
 * `networks`, ...) to add to or override what the file says.
 */
export class ComposeProject extends Construct {
  /** The project name: the prefix of the Docker names. */
  public readonly projectName: string;

  /** The compose files, as absolute paths. */
  public readonly files: string[];

  public readonly orchestrator: Orchestrator;

  private readonly made = new Map<string, IConstruct>();

  constructor(scope: Construct, id: string, props: ComposeProjectProps) {
    super(scope, id);
    const fail: Fail = (message) => {
      throw new ValidationError(this, message);
    };
    this.orchestrator = props.orchestrator ?? Orchestrator.CONTAINERS;
    const swarm = this.orchestrator === Orchestrator.SWARM;
    if (swarm && props.hostIp !== undefined) {
      throw new ValidationError(this, `hostIp "${props.hostIp}" cannot apply on Swarm: it publishes on every interface of a node; remove \`hostIp\`.`);
    }
    // The files are read without the lines of their entries, and again with them where a message needs one.
    const { model, plan, refusals } = withPositionsOnDemand(() => {
      const loaded = loadCompose(props, fail);
      const planned = planCompose(loaded, { swarm, hostIp: props.hostIp ?? '0.0.0.0' }, fail);
      return { model: loaded, plan: planned, refusals: planned.refusals.map(describeRefusal) };
    });
    this.projectName = model.name;
    this.files = model.files;
    this.report(plan, refusals, props.unsupported ?? UnsupportedKeys.FAIL);
    for (const planned of plan.constructs) this.make(planned);
  }

  /** The services as containers, by compose service name (empty with `Orchestrator.SWARM`). */
  public get containers(): Record<string, ServiceContainer> {
    return this.byKind('service', ServiceContainer.isServiceContainer);
  }

  /** The services as Swarm services, by compose service name (empty with `Orchestrator.CONTAINERS`). */
  public get services(): Record<string, SwarmService> {
    return this.byKind('service', SwarmService.isSwarmService);
  }

  /** The networks, by compose key (`default` for the default network). */
  public get networks(): Record<string, INetwork> {
    return this.byKind('network', (c): c is INetwork => Network.isINetwork(c));
  }

  /** The named volumes, by compose key. */
  public get volumes(): Record<string, IVolume> {
    return this.byKind('volume', (_c): _c is IVolume => true);
  }

  /** The secrets made as Swarm secrets, by compose key (empty with containers, where a secret is a mounted file). */
  public get secrets(): Record<string, ISwarmSecret> {
    return this.byKind('secret', SwarmSecret.isSwarmSecret);
  }

  /** The container of one compose service; fails naming the services there are. */
  public container(service: string): ServiceContainer {
    return this.one('container', this.containers, service);
  }

  /** The Swarm service of one compose service (with `Orchestrator.SWARM`). */
  public service(service: string): SwarmService {
    return this.one('Swarm service', this.services, service);
  }

  /** One network by its compose key. */
  public network(key: string): INetwork {
    return this.one('network', this.networks, key);
  }

  /** One named volume by its compose key. */
  public volume(key: string): IVolume {
    return this.one('volume', this.volumes, key);
  }

  /** One Swarm secret by its compose key. */
  public secret(key: string): ISwarmSecret {
    return this.one('secret', this.secrets, key);
  }

  private one<T>(kind: string, all: Record<string, T>, name: string): T {
    const found = all[name];
    if (found === undefined) {
      const names = Object.keys(all);
      throw new ValidationError(this, `has no ${kind} "${name}"; it has ${names.length > 0 ? names.map((n) => `"${n}"`).join(', ') : 'none'}.`);
    }
    return found;
  }

  private byKind<T>(kind: string, is: (c: unknown) => c is T): Record<string, T> {
    const out: Record<string, T> = {};
    for (const [ref, construct] of this.made) {
      const [k, name] = splitRef(ref);
      if (k === kind && is(construct)) out[name] = construct;
    }
    return out;
  }

  /** `refusals` are the plan's, described. */
  private report(plan: ComposePlan, refusals: string[], unsupported: UnsupportedKeys): void {
    plan.warnings.forEach((warning) => Annotations.of(this).addWarning(`${constructLabel(this)}: ${warning}`));
    plan.notes.forEach((note) => Annotations.of(this).addInfo(`${constructLabel(this)}: ${note}`));
    if (refusals.length === 0) return;
    const list = refusals.join('\n');
    const count = `${refusals.length} compose key${refusals.length === 1 ? ' is' : 's are'} not translated`;
    if (unsupported === UnsupportedKeys.WARN) {
      Annotations.of(this).addWarning(`${constructLabel(this)}: ${count} and skipped (unsupported: UnsupportedKeys.WARN):\n${list}`);
      return;
    }
    throw new ValidationError(this, `${count}; remove them, or set \`unsupported: UnsupportedKeys.WARN\` to skip them with a warning:\n${list}`);
  }

  private make(planned: PlannedConstruct): void {
    const props = evaluate(planned.props, (ref) => {
      const target = this.made.get(ref.key);
      if (!target) throw new ValidationError(this, `${planned.ref} refers to ${ref.key}, which was not made; this is a bug of ComposeProject.`);
      return target;
    });
    const construct = makeConstruct(this, planned, props);
    this.made.set(planned.ref, construct);
    for (const setting of planned.settings) {
      const target = setting.on.split('.').reduce<any>((object, key) => object[key], construct);
      const value = evaluate(setting.value, (ref) => this.made.get(ref.key));
      if (setting.put) target[`put${setting.attribute.charAt(0).toUpperCase()}${setting.attribute.slice(1)}`](value);
      else target[setting.attribute] = value;
    }
  }
}

function makeConstruct(scope: Construct, planned: PlannedConstruct, props: any): IConstruct {
  switch (planned.kind) {
    case 'Network':
      return new Network(scope, planned.id, props);
    case 'Network.fromName':
      return Network.fromName(scope, planned.id, props);
    case 'Volume':
      return new Volume(scope, planned.id, props);
    case 'Volume.fromName':
      return Volume.fromName(scope, planned.id, props);
    case 'SwarmSecret':
      return new SwarmSecret(scope, planned.id, props);
    case 'ServiceContainer':
      return new ServiceContainer(scope, planned.id, props);
    case 'SwarmService':
      return new SwarmService(scope, planned.id, props);
  }
}

function splitRef(ref: string): [string, string] {
  const at = ref.indexOf(':');
  return [ref.slice(0, at), ref.slice(at + 1)];
}
