import { DockerPolicy } from '../checks/docker-policy';
import type { INetwork } from '../network/network';
import { Reachability } from '../reachability/reachability';
import { PUBLIC_VOTING_APP_IMAGES } from './images';
import { Segmentation } from './segmentation';
import type { IContainerConstruct } from '../analysis/model';
import { Orchestrator } from '../swarm/orchestrator';

/** What the app's declared intent is about: its five services, its backend network and its layout. */
export interface VotingAppServices {
  readonly vote: IContainerConstruct;
  readonly result: IContainerConstruct;
  readonly worker: IContainerConstruct;
  readonly redis: IContainerConstruct;
  readonly db: IContainerConstruct;
  readonly backendNetwork: INetwork;
  readonly segmentation: Segmentation;
  readonly orchestrator: Orchestrator;
}

/** Policy findings each role really needs, with the reason (docs/policy.md lists them). */
export function suppressAcceptedFindings(app: VotingAppServices, workerImage: string, resultDb: INetwork): void {
  const asRoot =
    "the image's entrypoint starts as root to prepare its data directory and then switches to its own user " +
    '(su-exec, gosu or setpriv), which needs CHOWN, SETUID and SETGID and, depending on the image, ' +
    'DAC_OVERRIDE and FOWNER from the default set';
  const strict = app.segmentation === Segmentation.STRICT;
  DockerPolicy.suppress(app.redis, [
    { id: 'DKR10', reason: asRoot },
    {
      id: 'DKR16',
      appliesTo: [app.backendNetwork.name],
      reason: strict
        ? 'vote queues the votes in redis; this network joins vote and redis only'
        : 'vote queues the votes in redis; in the shared backend layout result can reach redis too (Segmentation.STRICT removes that)',
    },
  ]);
  DockerPolicy.suppress(app.db, [
    { id: 'DKR10', reason: asRoot },
    {
      id: 'DKR16',
      appliesTo: [resultDb.name],
      reason: strict
        ? 'result reads the tally from db; this network joins result and db only'
        : 'result reads the tally from db; in the shared backend layout vote can reach db too (Segmentation.STRICT removes that)',
    },
  ]);
  if (app.orchestrator === Orchestrator.SWARM) {
    const everyInterface = 'Swarm publishes a port on every interface of a node and has no host address option; keep it off untrusted interfaces with a firewall';
    DockerPolicy.suppress(app.vote, [{ id: 'DKR5', reason: everyInterface }]);
    DockerPolicy.suppress(app.result, [{ id: 'DKR5', reason: everyInterface }]);
  }
  if (workerImage === PUBLIC_VOTING_APP_IMAGES.worker) {
    DockerPolicy.suppress(app.worker, [
      {
        id: 'DKR6',
        appliesTo: [workerImage],
        reason: 'upstream publishes the worker image only as latest; pin a digest through images.worker to freeze it',
      },
    ]);
  }
}

/**
 * The flows the app needs, for the reachability check; in the shared backend layout also the ones its two
 * networks allow without need, as tolerated (the report lists them as excess).
 */
export function declareFlows(app: VotingAppServices): void {
  const reach = Reachability.of(app.vote);
  reach.allow(app.vote, app.redis).allow(app.worker, app.redis).allow(app.worker, app.db).allow(app.result, app.db);
  if (app.segmentation === Segmentation.STRICT) return;
  const why = 'the shared backend layout (upstream) puts all five services on one backend network; Segmentation.STRICT separates them';
  reach
    .tolerate(app.vote, app.result, 'vote and result share the frontend network they publish from, and the backend')
    .tolerate(app.vote, app.worker, why)
    .tolerate(app.vote, app.db, why)
    .tolerate(app.result, app.worker, why)
    .tolerate(app.result, app.redis, why)
    .tolerate(app.redis, app.db, why);
}
