import { Construct } from 'constructs';
import { TerraformOutput, TerraformVariable } from 'cdktf';
import { DEFAULT_HOST_IP, validatePort } from '../container/ports';
import type { Volume } from '../container/volume';
import { hasBrand, registerConstruct } from '../core/brand';
import { earlierInStack } from '../core/construct-tree';
import { DockerNames } from '../core/docker-names';
import { ValidationError, constructLabel } from '../core/errors';
import type { INetwork } from '../network/network';
import type { SwarmSecret } from '../swarm/swarm-secret';
import { createContainerLayout } from './container-layout';
import { PUBLIC_VOTING_APP_IMAGES } from './images';
import { declareFlows, suppressAcceptedFindings } from './intent';
import { Orchestrator } from '../swarm/orchestrator';
import { Segmentation } from './segmentation';
import { createSwarmLayout } from './swarm-layout';
import { VotingAppProps, VotingAppService } from './voting-app-props';

/**
 * Docker's classic voting app: vote (5000) and result (5001) on a frontend network; worker, redis and db on a
 * backend network that vote, result and worker also join. Services find each other as `redis` and `db` whatever
 * the containers are called.
 */
export class VotingApp extends Construct {
  /** True for a VotingApp, also one from another copy of this library. */
  public static isVotingApp(x: unknown): x is VotingApp {
    return hasBrand(x, 'VotingApp');
  }

  public readonly vote: VotingAppService;
  public readonly result: VotingAppService;
  public readonly worker: VotingAppService;
  public readonly redis: VotingAppService;
  public readonly db: VotingAppService;
  public readonly orchestrator: Orchestrator;
  /** With `Orchestrator.SWARM`: the Swarm secret that holds the database password. */
  public readonly dbPassword?: SwarmSecret;
  /** The database's data directory, kept across replacements of the db container. */
  public readonly dbData: Volume;
  public readonly frontendNetwork: INetwork;
  /** The network of redis and db; with `Segmentation.STRICT`, the one on which vote reaches redis. */
  public readonly backendNetwork: INetwork;
  /** Every network the app's containers are attached to. */
  public readonly networks: INetwork[];
  public readonly segmentation: Segmentation;
  public readonly namePrefix: string;

  /** The vote page, e.g. `http://127.0.0.1:5000`. */
  public readonly voteUrl: string;

  /** The result page, e.g. `http://127.0.0.1:5001`. */
  public readonly resultUrl: string;

  constructor(scope: Construct, id: string, props: VotingAppProps = {}) {
    super(scope, id);
    registerConstruct(this, 'VotingApp');
    this.namePrefix = props.namePrefix ?? '';
    this.segmentation = props.segmentation ?? Segmentation.SHARED_BACKEND;
    this.orchestrator = props.orchestrator ?? Orchestrator.CONTAINERS;
    const images = { ...PUBLIC_VOTING_APP_IMAGES, ...props.images };
    const votePort = props.votePort ?? 5000;
    const resultPort = props.resultPort ?? 5001;
    validatePort(this, 'votePort', votePort);
    validatePort(this, 'resultPort', resultPort);
    if (votePort === resultPort) {
      throw new ValidationError(this, `votePort and resultPort are both ${votePort}; give them different ports.`);
    }
    const hostIp = props.hostIp ?? DEFAULT_HOST_IP;
    this.voteUrl = `http://${hostIp}:${votePort}`;
    this.resultUrl = `http://${hostIp}:${resultPort}`;

    const createLayout = this.orchestrator === Orchestrator.SWARM ? createSwarmLayout : createContainerLayout;
    const layout = createLayout(this, {
      ...props,
      name: (base) => `${this.namePrefix}${base}`,
      images,
      votePort,
      resultPort,
      segmentation: this.segmentation,
      password: props.databasePassword ?? this.passwordVariable().value,
    });
    ({ vote: this.vote, result: this.result, worker: this.worker, redis: this.redis, db: this.db } = layout);
    ({ frontendNetwork: this.frontendNetwork, backendNetwork: this.backendNetwork, networks: this.networks } = layout);
    ({ dbData: this.dbData, dbPassword: this.dbPassword } = layout);

    this.addOutputs();
    suppressAcceptedFindings(this, images.worker, layout.resultDbNetwork);
    declareFlows(this);
    this.node.addValidation({ validate: () => this.checkDistinctFromOtherApps() });
  }

  private passwordVariable(): TerraformVariable {
    const variable = new TerraformVariable(this, 'db-password', {
      type: 'string',
      sensitive: true,
      description: 'Password of the voting app database (user postgres).',
    });
    variable.overrideLogicalId(`${this.logicalPrefix()}db_password`);
    return variable;
  }

  private addOutputs(): void {
    const outputs: Record<string, string> = {
      vote_url: this.voteUrl,
      result_url: this.resultUrl,
      frontend_network: this.frontendNetwork.networkName,
      backend_network: this.backendNetwork.networkName,
    };
    for (const [key, value] of Object.entries(outputs)) {
      new TerraformOutput(this, key, { value }).overrideLogicalId(`${this.logicalPrefix()}${key}`);
    }
  }

  /** `team_a_` for the prefix `team-a-`: Terraform names allow letters, digits, `_` and `-`. */
  private logicalPrefix(): string {
    return this.dockerPrefix().replace(/[^a-zA-Z0-9_]/g, '_');
  }

  /** What goes in front of its Docker names: the prefixes of enclosing `DockerNames.prefix` scopes, then `namePrefix`. */
  private dockerPrefix(): string {
    return DockerNames.prefixOf(this) + this.namePrefix;
  }

  private checkDistinctFromOtherApps(): string[] {
    const twin = earlierInStack(this, (c): c is VotingApp => VotingApp.isVotingApp(c) && c.dockerPrefix() === this.dockerPrefix());
    return twin
      ? [
          `${constructLabel(this)}: ${constructLabel(twin)} in the same stack already uses the container and network names ` +
            `of namePrefix "${this.namePrefix}"; set \`namePrefix\` on one of them (e.g. "team-b-") so their names differ.`,
        ]
      : [];
  }
}
