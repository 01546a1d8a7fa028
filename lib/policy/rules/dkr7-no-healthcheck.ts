import { PolicyLevel } from '../level';
import { asArray } from '../../analysis/values';
import { IPolicyRule } from '../rule';

/** DKR7: without a healthcheck Docker counts a hung service as running, and dependants cannot wait for it. */
export const DKR7_NO_HEALTHCHECK: IPolicyRule = {
  id: 'DKR7',
  name: 'no-healthcheck',
  level: PolicyLevel.INFO,
  fix: 'set `healthcheck` to a command that proves the service answers, e.g. `Healthcheck.command([\'redis-cli\', \'ping\'])` for redis',
  evaluate: (c) => {
    const test = asArray(c.config.healthcheck?.test);
    return test.length === 0 || test[0] === 'NONE' ? [{ problem: 'the container has no healthcheck' }] : [];
  },
};
