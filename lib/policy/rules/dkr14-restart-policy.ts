import { PolicyLevel } from '../level';
import { IPolicyRule } from '../rule';

/** DKR14: `no` leaves a crashed service down; `on-failure` without a maximum restarts a crash loop forever. */
export const DKR14_RESTART_POLICY: IPolicyRule = {
  id: 'DKR14',
  name: 'restart-policy',
  level: PolicyLevel.INFO,
  fix: 'use `RestartPolicy.UNLESS_STOPPED` (the default) or `RestartPolicy.onFailure(n)` with n > 0',
  evaluate: (c) => {
    const restart = c.config.restart ?? 'no';
    if (restart === 'no') return [{ problem: 'restart policy "no": the service stays down after a crash' }];
    if (restart === 'on-failure' && !(Number(c.config.max_retry_count) > 0)) {
      return [{ problem: 'restart policy "on-failure" without max_retry_count: a crash loop restarts forever' }];
    }
    return [];
  },
};
