import { PolicyLevel } from '../level';
import { IPolicyRule, RuleViolation } from '../rule';

const MODES: [attribute: string, kind: string][] = [
  ['network_mode', 'network'],
  ['pid_mode', 'pid'],
  ['ipc_mode', 'ipc'],
  ['userns_mode', 'userns'],
];

/** DKR2: sharing the host's network, PID, IPC or user namespace removes the isolation that namespace gives. */
export const DKR2_HOST_NAMESPACES: IPolicyRule = {
  id: 'DKR2',
  name: 'host-namespace',
  level: PolicyLevel.ERROR,
  // Containers only: a docker_service has no host namespace modes.
  workloads: ['container'],
  fix: 'leave network_mode, pid_mode, ipc_mode and userns_mode unset; attach user-defined networks and publish ports instead',
  evaluate: (c) =>
    MODES.filter(([attribute]) => c.config[attribute] === 'host').map(
      ([attribute, kind]): RuleViolation => ({ findingId: kind, problem: `${attribute} is "host": the container shares the host's ${kind} namespace` }),
    ),
};
