import type { Volume } from '../container/volume';
import type { INetwork } from '../network/network';
import type { SwarmSecret } from '../swarm/swarm-secret';
import type { VotingAppImages } from './images';
import type { Segmentation } from './segmentation';
import type { VotingAppProps, VotingAppService } from './voting-app-props';

/** What a layout is given: the app's props, with the defaults both layouts share resolved. */
export interface LayoutProps extends VotingAppProps {
  /** A Docker name with the app's `namePrefix`. */
  readonly name: (base: string) => string;
  readonly images: Required<VotingAppImages>;
  readonly votePort: number;
  readonly resultPort: number;
  readonly segmentation: Segmentation;
  /** The database password, as the layout writes it into a file or a secret. */
  readonly password: string;
}

/** What each layout builds: the five roles, the networks they join, the db's volume, and where result reaches db. */
export interface VotingAppLayout {
  readonly vote: VotingAppService;
  readonly result: VotingAppService;
  readonly worker: VotingAppService;
  readonly redis: VotingAppService;
  readonly db: VotingAppService;
  readonly frontendNetwork: INetwork;
  readonly backendNetwork: INetwork;
  /** Every network the roles join, each once. */
  readonly networks: INetwork[];
  /** The network on which result reaches db: the one the app's intent accepts db's DKR16 finding on. */
  readonly resultDbNetwork: INetwork;
  readonly dbData: Volume;
  /** The Swarm secret that holds the database password; none for containers, which get it as a file. */
  readonly dbPassword?: SwarmSecret;
}
