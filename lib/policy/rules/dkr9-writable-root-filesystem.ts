import { PolicyLevel } from '../level';
import { IPolicyRule } from '../rule';

/** DKR9: a writable root filesystem lets an intruder change the service's own binaries and configuration. */
export const DKR9_WRITABLE_ROOT_FILESYSTEM: IPolicyRule = {
  id: 'DKR9',
  name: 'writable-root-filesystem',
  level: PolicyLevel.INFO,
  fix: 'set `readOnlyRootFilesystem: true` and give scratch directories with `tmpfs` (Docker cannot copy `files` into a read-only root)',
  evaluate: (c) => (c.config.read_only === true ? [] : [{ problem: 'the root filesystem is writable' }]),
};
