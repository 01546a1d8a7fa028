import { IConstruct } from 'constructs';
import { Engine } from '../engine/engine';
import { describeEngine, inOneSwarm } from '../engine/placement';
import { INetwork, Network } from './network';
import { NetworkDriver } from './network-driver';

/**
 * Why `workload` cannot join `network` from its engine, or undefined where it can: on the network's own engine, or
 * across engines over an overlay network of a swarm both engines are nodes of (attachable, for a standalone
 * container). A network read by name (`Network.fromName`) on another engine counts as an overlay network of that
 * swarm: it is found there only if it is one, which Docker checks at apply.
 * @param kind `container` (a standalone container) or `service`
 */
export function crossEngineProblem(workload: IConstruct, network: INetwork, kind: 'container' | 'service'): string | undefined {
  const [mine, theirs] = [Engine.of(workload), Engine.of(network)];
  if (mine === theirs) return undefined;
  const where = `is on ${describeEngine(mine)} and network ${network.node.path} on ${describeEngine(theirs)}`;
  const created = Network.isNetwork(network);
  if (created && network.driver.name !== NetworkDriver.OVERLAY.name) {
    return (
      `${where}; a ${network.driver.name} network is local to its engine, so nothing on another engine can join it. Create ` +
      `the ${kind} on the network's engine, or give it a network of its own engine; across engines, attach both to an ` +
      'attachable overlay network of a swarm whose nodes both engines are.'
    );
  }
  if (!inOneSwarm(mine, theirs)) {
    const defaultEngine = mine === undefined || theirs === undefined ? "; the stack's default engine is an Engine with `stackDefault: true`" : '';
    return (
      `${where}, and this stack does not declare the two engines nodes of one swarm; ` +
      (created
        ? 'an overlay network reaches the nodes of its own swarm only. '
        : "a network read by name is looked up on the reader's engine, and only an overlay network of its swarm is found from another. ") +
      `Declare both engines nodes of one Swarm (\`swarm\` on each Engine${defaultEngine}), or ` +
      (created ? `create the ${kind} on the network's engine.` : `read the network inside the ${kind}'s engine.`)
    );
  }
  if (created && kind === 'container' && !network.attachable) {
    return (
      `${where}: an overlay network that is not attachable, which only Swarm services join; a standalone container ` +
      'on another node cannot. Set `attachable: true` on the network.'
    );
  }
  return undefined;
}
