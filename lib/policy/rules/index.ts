import { IPolicyRule } from '../rule';
import { DKR1_PRIVILEGED } from './dkr1-privileged';
import { DKR2_HOST_NAMESPACES } from './dkr2-host-namespaces';
import { DKR3_DOCKER_SOCKET } from './dkr3-docker-socket';
import { DKR4_SENSITIVE_HOST_PATH } from './dkr4-sensitive-host-path';
import { DKR5_PORT_ON_ALL_INTERFACES } from './dkr5-port-on-all-interfaces';
import { DKR6_UNPINNED_IMAGE } from './dkr6-unpinned-image';
import { DKR7_NO_HEALTHCHECK } from './dkr7-no-healthcheck';
import { DKR8_NO_RESOURCE_LIMITS } from './dkr8-no-resource-limits';
import { DKR9_WRITABLE_ROOT_FILESYSTEM } from './dkr9-writable-root-filesystem';
import { DKR10_CAPABILITIES_NOT_DROPPED } from './dkr10-capabilities-not-dropped';
import { DKR11_DANGEROUS_CAPABILITIES } from './dkr11-dangerous-capabilities';
import { DKR12_NO_NEW_PRIVILEGES } from './dkr12-no-new-privileges';
import { DKR13_SECRET_IN_ENVIRONMENT } from './dkr13-secret-in-environment';
import { DKR14_RESTART_POLICY } from './dkr14-restart-policy';
import { DKR15_DEFAULT_BRIDGE } from './dkr15-default-bridge';
import { DKR16_DATABASE_BESIDE_PUBLISHED_PORTS } from './dkr16-database-beside-published-ports';

export {
  DKR1_PRIVILEGED,
  DKR2_HOST_NAMESPACES,
  DKR3_DOCKER_SOCKET,
  DKR4_SENSITIVE_HOST_PATH,
  DKR5_PORT_ON_ALL_INTERFACES,
  DKR6_UNPINNED_IMAGE,
  DKR7_NO_HEALTHCHECK,
  DKR8_NO_RESOURCE_LIMITS,
  DKR9_WRITABLE_ROOT_FILESYSTEM,
  DKR10_CAPABILITIES_NOT_DROPPED,
  DKR11_DANGEROUS_CAPABILITIES,
  DKR12_NO_NEW_PRIVILEGES,
  DKR13_SECRET_IN_ENVIRONMENT,
  DKR14_RESTART_POLICY,
  DKR15_DEFAULT_BRIDGE,
  DKR16_DATABASE_BESIDE_PUBLISHED_PORTS,
};

/** Every rule of the Docker policy pack, in id order. */
export const DOCKER_POLICY_RULES: readonly IPolicyRule[] = [
  DKR1_PRIVILEGED,
  DKR2_HOST_NAMESPACES,
  DKR3_DOCKER_SOCKET,
  DKR4_SENSITIVE_HOST_PATH,
  DKR5_PORT_ON_ALL_INTERFACES,
  DKR6_UNPINNED_IMAGE,
  DKR7_NO_HEALTHCHECK,
  DKR8_NO_RESOURCE_LIMITS,
  DKR9_WRITABLE_ROOT_FILESYSTEM,
  DKR10_CAPABILITIES_NOT_DROPPED,
  DKR11_DANGEROUS_CAPABILITIES,
  DKR12_NO_NEW_PRIVILEGES,
  DKR13_SECRET_IN_ENVIRONMENT,
  DKR14_RESTART_POLICY,
  DKR15_DEFAULT_BRIDGE,
  DKR16_DATABASE_BESIDE_PUBLISHED_PORTS,
];
