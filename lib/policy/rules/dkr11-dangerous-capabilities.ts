import { PolicyLevel } from '../level';
import { IPolicyRule } from '../rule';
import { capabilities } from './capabilities';

/** Capabilities that amount to control over the host's kernel, network stack, processes or clock. */
export const DANGEROUS_CAPABILITIES = [
  'ALL',
  'SYS_ADMIN',
  'NET_ADMIN',
  'SYS_PTRACE',
  'SYS_MODULE',
  'SYS_RAWIO',
  'SYS_BOOT',
  'SYS_TIME',
  'DAC_READ_SEARCH',
  'MAC_ADMIN',
  'MAC_OVERRIDE',
  'BPF',
  'PERFMON',
];

/** DKR11: these capabilities each open a path out of the container (mounts, kernel modules, other processes). */
export const DKR11_DANGEROUS_CAPABILITIES: IPolicyRule = {
  id: 'DKR11',
  name: 'dangerous-capability',
  level: PolicyLevel.ERROR,
  fix: 'remove it from `capabilities.add`; run the task that needs it outside the service container',
  evaluate: (c) =>
    capabilities(c, 'add')
      .filter((cap) => DANGEROUS_CAPABILITIES.includes(cap))
      .map((cap) => ({ findingId: cap, problem: `the capability ${cap} is added` })),
};
