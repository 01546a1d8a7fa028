import { PolicyLevel } from '../level';
import { IPolicyRule, RuleViolation } from '../rule';

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== 0 && value !== '0' && value !== '';
}

/** DKR8: a container without limits can starve the host and every other container of memory or CPU. */
export const DKR8_NO_RESOURCE_LIMITS: IPolicyRule = {
  id: 'DKR8',
  name: 'no-resource-limits',
  level: PolicyLevel.WARNING,
  fix: 'set `memoryLimit` and `cpuLimit` (provider: `memory`, and `cpu_quota` with `cpu_period`: `cpus` crashes provider 3.6.2)',
  evaluate: (c) => {
    const violations: RuleViolation[] = [];
    if (!isSet(c.config.memory)) violations.push({ findingId: 'memory', problem: 'the container has no memory limit' });
    if (!isSet(c.config.cpus) && !isSet(c.config.cpu_quota) && !isSet(c.config.cpu_set)) {
      violations.push({ findingId: 'cpu', problem: 'the container has no CPU limit' });
    }
    return violations;
  },
};
