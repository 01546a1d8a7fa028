import { ContainerModel } from '../../analysis/model-types';
import { asArray } from '../../analysis/values';

/** A host path bind-mounted into a container, from `volumes` or `mounts`. */
export interface HostMount {
  readonly hostPath: string;
  readonly containerPath: string;
  readonly readOnly: boolean;
}

/** Every host path the container mounts (volumes with host_path, mounts of type bind). */
export function hostMounts(c: ContainerModel): HostMount[] {
  const fromVolumes = asArray(c.config.volumes)
    .filter((v) => typeof v.host_path === 'string')
    .map((v) => ({ hostPath: v.host_path, containerPath: String(v.container_path), readOnly: v.read_only === true }));
  const fromMounts = asArray(c.config.mounts)
    .filter((m) => m.type === 'bind' && typeof m.source === 'string')
    .map((m) => ({ hostPath: m.source, containerPath: String(m.target), readOnly: m.read_only === true }));
  return [...fromVolumes, ...fromMounts];
}

/** `/var/run/` and `/var/run` alike. */
export function normalizePath(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}
