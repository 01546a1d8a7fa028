import { ContainerModel } from '../../analysis/model-types';
import { asArray } from '../../analysis/values';

/** `NET_ADMIN` for `cap_net_admin`, `CAP_NET_ADMIN` and `NET_ADMIN`. */
export function normalizeCapability(value: unknown): string {
  return String(value).toUpperCase().replace(/^CAP_/, '');
}

export function capabilities(c: ContainerModel, key: 'add' | 'drop'): string[] {
  return asArray(c.config.capabilities).flatMap((block) => asArray(block?.[key]).map(normalizeCapability));
}
