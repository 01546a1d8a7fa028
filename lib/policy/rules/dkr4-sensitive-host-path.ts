import { PolicyLevel } from '../level';
import { IPolicyRule } from '../rule';
import { hostMounts, normalizePath } from './mounts';

const SENSITIVE = ['/etc', '/proc', '/sys', '/dev', '/boot', '/lib', '/usr'];

function isSensitive(path: string): boolean {
  const p = normalizePath(path);
  return p === '/' || SENSITIVE.some((s) => p === s || p.startsWith(`${s}/`));
}

/** DKR4: a writable mount of a system directory of the host lets the container change the host. */
export const DKR4_SENSITIVE_HOST_PATH: IPolicyRule = {
  id: 'DKR4',
  name: 'sensitive-host-path',
  level: PolicyLevel.ERROR,
  fix: 'mount it read-only (`read_only = true`), or mount a named volume or a dedicated host directory instead',
  evaluate: (c) =>
    hostMounts(c)
      .filter((m) => !m.readOnly && isSensitive(m.hostPath))
      .map((m) => ({ findingId: m.hostPath, problem: `the host path ${m.hostPath} is mounted read-write at ${m.containerPath}` })),
};
