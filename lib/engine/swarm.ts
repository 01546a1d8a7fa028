import { Construct } from 'constructs';
import { hasBrand, registerConstruct } from '../core/brand';

/**
 * A Docker swarm whose nodes are engines of this stack (`new Engine(scope, id, { swarm, manager })`): what lets the
 * library tell that an overlay network created through one engine reaches a container on another, that a Swarm
 * secret of one engine serves a service of another, and that a port a Swarm service publishes is bound on every
 * node. It creates nothing: the swarm is made outside the stack (`docker swarm init`, then `docker swarm join` on
 * each node), and the stack trusts that the engines declared its nodes are.
 */
export class Swarm extends Construct {
  /** True for a Swarm, also one from another copy of this library. */
  public static isSwarm(x: unknown): x is Swarm {
    return hasBrand(x, 'Swarm');
  }

  constructor(scope: Construct, id: string) {
    super(scope, id);
    registerConstruct(this, 'Swarm');
  }
}
