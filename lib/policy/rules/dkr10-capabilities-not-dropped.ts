import { PolicyLevel } from '../level';
import { IPolicyRule } from '../rule';
import { capabilities } from './capabilities';

/** DKR10: Docker's default set (CHOWN, DAC_OVERRIDE, SETUID, NET_RAW, ...) is more than most services use. */
export const DKR10_CAPABILITIES_NOT_DROPPED: IPolicyRule = {
  id: 'DKR10',
  name: 'capabilities-not-dropped',
  level: PolicyLevel.WARNING,
  fix: 'drop them all and add back what the service needs: `capabilities: { drop: [Capability.ALL], add: [...] }`',
  evaluate: (c) =>
    capabilities(c, 'drop').includes('ALL')
      ? []
      : [{ problem: 'the container keeps Docker\'s default capabilities (no `drop: ALL`)' }],
};
