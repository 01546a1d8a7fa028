import { PolicyLevel } from '../level';
import { asArray } from '../../analysis/values';
import { IPolicyRule } from '../rule';

/** `no-new-privileges`, `no-new-privileges:true`, `no-new-privileges=true`. */
function setsNoNewPrivileges(option: unknown): boolean {
  const match = /^no-new-privileges(?:[:=](.*))?$/.exec(String(option).trim());
  return match !== null && (match[1] === undefined || match[1] === 'true');
}

/** DKR12: without it a process can gain privileges through a setuid binary or file capabilities. */
export const DKR12_NO_NEW_PRIVILEGES: IPolicyRule = {
  id: 'DKR12',
  name: 'no-new-privileges-missing',
  level: PolicyLevel.WARNING,
  // Containers only: a docker_service (provider 3.6.2, engine 20.10) has no security options to set.
  workloads: ['container'],
  fix: 'add `no-new-privileges:true` to security_opts (ServiceContainer sets it unless `noNewPrivileges: false`)',
  evaluate: (c) =>
    asArray(c.config.security_opts).some(setsNoNewPrivileges)
      ? []
      : [{ problem: 'security_opts lacks no-new-privileges' }],
};
