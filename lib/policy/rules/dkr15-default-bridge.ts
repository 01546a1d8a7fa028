import { PolicyLevel } from '../level';
import { IPolicyRule } from '../rule';

/** DKR15: the default bridge connects every such container on the engine, and names do not resolve there. */
export const DKR15_DEFAULT_BRIDGE: IPolicyRule = {
  id: 'DKR15',
  name: 'default-bridge',
  level: PolicyLevel.WARNING,
  // Containers only: a service's tasks never land on the default bridge.
  workloads: ['container'],
  fix: 'attach the container to a user-defined network (`networks` or `connect()`)',
  evaluate: (c) =>
    c.onDefaultBridge ? [{ problem: 'the container is on Docker\'s default bridge network' }] : [],
};
