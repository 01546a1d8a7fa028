/** The image of each of the voting app's services. */
export interface VotingAppImages {
  /** @default 'dockersamples/examplevotingapp_vote:before' */
  readonly vote?: string;
  /** @default 'dockersamples/examplevotingapp_result:before' */
  readonly result?: string;
  /** @default 'dockersamples/examplevotingapp_worker:latest' - upstream publishes no other tag */
  readonly worker?: string;
  /** @default 'redis:7.4-alpine' */
  readonly redis?: string;
  /** @default 'postgres:17-alpine' */
  readonly db?: string;
}

/** The maintained public images, as upstream's compose file uses them. */
export const PUBLIC_VOTING_APP_IMAGES: Required<VotingAppImages> = {
  vote: 'dockersamples/examplevotingapp_vote:before',
  result: 'dockersamples/examplevotingapp_result:before',
  worker: 'dockersamples/examplevotingapp_worker:latest',
  redis: 'redis:7.4-alpine',
  db: 'postgres:17-alpine',
};
