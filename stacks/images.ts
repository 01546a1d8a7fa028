import { PUBLIC_VOTING_APP_IMAGES, VotingAppImages } from '../lib';

/** The images both stacks run: the voting app's five roles plus a small toolbox (sh, ping, nslookup, wget, httpd). */
export interface StackImages extends Required<VotingAppImages> {
  readonly toolbox: string;
}

export const PUBLIC_IMAGES: StackImages = { ...PUBLIC_VOTING_APP_IMAGES, toolbox: 'busybox:1.37' };

/** Built from Debian packages by `npm run images:local`; no registry needed. */
export const LOCAL_IMAGES: StackImages = {
  vote: 'voting-app-local/vote:local',
  result: 'voting-app-local/result:local',
  worker: 'voting-app-local/worker:local',
  redis: 'voting-app-local/redis:local',
  db: 'voting-app-local/db:local',
  toolbox: 'voting-app-local/toolbox:local',
};

/** `VOTING_APP_IMAGES=local` selects the locally built images (the air-gapped path); anything else the public ones. */
export function imagesFromEnvironment(env: NodeJS.ProcessEnv = process.env): StackImages {
  const choice = env.VOTING_APP_IMAGES ?? 'public';
  if (choice === 'local') return LOCAL_IMAGES;
  if (choice === 'public') return PUBLIC_IMAGES;
  throw new Error(`VOTING_APP_IMAGES="${choice}" is not an image set; use "local" or "public" (the default).`);
}
