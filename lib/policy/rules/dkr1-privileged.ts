import { PolicyLevel } from '../level';
import { IPolicyRule } from '../rule';

/** DKR1: `privileged` gives the container every capability and every host device: root on the host. */
export const DKR1_PRIVILEGED: IPolicyRule = {
  id: 'DKR1',
  name: 'privileged',
  level: PolicyLevel.ERROR,
  // Containers only: a docker_service has no privileged mode.
  workloads: ['container'],
  fix: 'remove `privileged` and add only the capabilities or devices the service needs',
  evaluate: (c) => (c.config.privileged === true ? [{ problem: 'the container runs privileged' }] : []),
};
