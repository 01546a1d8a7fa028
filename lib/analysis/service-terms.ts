/** A `docker_service` read in a container's terms, for the rules, and what it is beyond a container. */
import { PlacementModel, PublishedPortModel, SwarmServiceModel, UpdatePolicyModel } from './model-types';
import { asArray, isLiteral, numberOrUndefined, referencedAddress } from './values';

const SWARM_RESTART: Record<string, string> = { any: 'always', none: 'no', 'on-failure': 'on-failure' };

/** A `docker_service`'s attributes in a `docker_container`'s terms (see `ContainerModel.config`). */
export function serviceAsContainer(service: Record<string, any>): Record<string, any> {
  const spec = service.task_spec ?? {};
  const container = spec.container_spec ?? {};
  const limits = spec.resources?.limits ?? {};
  const restart = spec.restart_policy;
  const env = container.env;
  return {
    name: service.name,
    image: container.image,
    command: container.command,
    user: container.user,
    read_only: container.read_only,
    capabilities:
      container.cap_add !== undefined || container.cap_drop !== undefined ? [{ add: container.cap_add, drop: container.cap_drop }] : undefined,
    mounts: container.mounts,
    env: env && typeof env === 'object' && !Array.isArray(env) ? Object.entries(env).map(([k, v]) => `${k}=${v}`) : env,
    healthcheck: container.healthcheck,
    labels: service.labels,
    memory: typeof limits.memory_bytes === 'number' ? limits.memory_bytes / (1024 * 1024) : limits.memory_bytes,
    cpus: typeof limits.nano_cpus === 'number' ? limits.nano_cpus / 1e9 : limits.nano_cpus,
    // Swarm's default condition is `any`.
    restart: restart === undefined ? 'always' : (SWARM_RESTART[String(restart.condition ?? 'any')] ?? String(restart.condition)),
    max_retry_count: restart?.max_attempts,
    ports: asArray(service.endpoint_spec?.ports).map((p) => ({
      internal: p.target_port,
      external: p.published_port,
      protocol: p.protocol,
      ip: '0.0.0.0',
    })),
  };
}

/** The ports a service publishes (`endpoint_spec.ports`): on every interface, through the mesh unless `host`. */
export function servicePorts(service: Record<string, any>): PublishedPortModel[] {
  return asArray(service.endpoint_spec?.ports).map((p) => ({
    internal: p.target_port,
    external: numberOrUndefined(p.published_port),
    ip: '0.0.0.0',
    protocol: p.protocol || 'tcp',
    publishMode: p.publish_mode || 'ingress',
  }));
}

/**
 * What a service is beyond a container, with Docker's defaults where the code sets nothing. `secretNames` gives the
 * Docker name of each `docker_secret` by address.
 */
export function swarmSpec(service: Record<string, any>, secretNames: ReadonlyMap<string, string>): SwarmServiceModel {
  const mode = service.mode ?? {};
  const global = mode.global === true;
  const spec = service.task_spec ?? {};
  const placement = spec.placement ?? {};
  return {
    mode: global ? 'global' : 'replicated',
    replicas: global ? undefined : mode.replicated === undefined ? 1 : numberOrUndefined(mode.replicated.replicas ?? 1),
    endpointMode: service.endpoint_spec?.mode || 'vip',
    updatePolicy: updatePolicy(service.update_config ?? {}),
    secrets: asArray(spec.container_spec?.secrets).map((s) => {
      const secretAddress = referencedAddress(s.secret_id) ?? referencedAddress(s.secret_name);
      const known = secretAddress ? secretNames.get(secretAddress) : undefined;
      const secretName = isLiteral(s.secret_name) ? s.secret_name : (known ?? String(s.secret_name ?? s.secret_id));
      return { secretAddress, secretName, fileName: String(s.file_name ?? `/run/secrets/${secretName}`) };
    }),
    placement: placementOf(placement),
  };
}

function updatePolicy(config: Record<string, any>): UpdatePolicyModel {
  return {
    parallelism: numberOrUndefined(config.parallelism) ?? 1,
    delay: config.delay || '0s',
    order: config.order || 'stop-first',
    failureAction: config.failure_action || 'pause',
    monitor: config.monitor || '5s',
    maxFailureRatio: config.max_failure_ratio || '0.0',
  };
}

function placementOf(placement: Record<string, any>): PlacementModel {
  return {
    constraints: asArray(placement.constraints).map(String),
    preferences: asArray(placement.prefs).map(String),
    maxReplicas: numberOrUndefined(placement.max_replicas) || undefined,
  };
}
