/**
 * What happens to every key of the compose specification: translated into the library's constructs (or their
 * provider resources), refused at synth with what to do, or noted (a key that makes nothing on an engine, reported
 * in an info annotation). docs/compose.md shows this table; a test checks that it covers every property of the
 * vendored schema's service, network, volume, secret and config definitions, and that the page says the same.
 */
export type KeyOutcome = 'translated' | 'refused' | 'noted';

export interface KeyHandling {
  readonly outcome: KeyOutcome;
  /** For a translated key, what it becomes; for a refused one, why and what to do (ends the error's line). */
  readonly text: string;
}

/** How one key is handled with each orchestrator. */
export interface KeyRule {
  readonly containers: KeyHandling;
  readonly swarm: KeyHandling;
}

/** A handling that is also a rule: the same with either orchestrator. */
type Both = KeyHandling & KeyRule;
const handling = (outcome: KeyOutcome, text: string): Both => {
  const h = { outcome, text };
  return { ...h, containers: h, swarm: h };
};
const t = (text: string) => handling('translated', text);
const r = (text: string) => handling('refused', text);
const n = (text: string) => handling('noted', text);
const containersOnly = (text: string, swarm: string): KeyRule => ({ containers: t(text), swarm: r(swarm) });
const noProvider = (what: string): KeyRule => r(`the provider (kreuzwerker/docker 3.6.2) cannot set ${what}; remove it`);

export const SERVICE_KEYS: Record<string, KeyRule> = {
  annotations: noProvider('container annotations'),
  attach: n('only decides whose logs `docker compose up` prints'),
  blkio_config: noProvider('block-IO limits'),
  build: containersOnly(
    'the image is built by the provider (`docker_image` `build`: context, dockerfile, args, target, labels)',
    'Swarm runs images from a registry: build and push it, then set `image`',
  ),
  cap_add: t('`capabilities.add`'),
  cap_drop: t('`capabilities.drop`'),
  cgroup: containersOnly('`cgroupns_mode` on the container', 'not a Swarm service setting; remove it'),
  cgroup_parent: containersOnly('`cgroup_parent` on the container', 'not a Swarm service setting; remove it'),
  command: { containers: t('`command`'), swarm: t('`args`') },
  configs: containersOnly(
    'a `file` is bind-mounted read-only at the target (default `/<name>`), `content` written into the container',
    'the library has no Swarm config; mount the file as a secret, or remove it',
  ),
  container_name: containersOnly('`name` (the default is `<project>-<service>-1`)', 'Swarm names the tasks itself; remove it'),
  cpu_count: noProvider('a CPU count (Windows)'),
  cpu_percent: noProvider('a CPU percentage (Windows)'),
  cpu_period: containersOnly('`cpu_period` on the container (without `cpus`)', 'use deploy.resources.limits.cpus on Swarm'),
  cpu_quota: containersOnly('`cpu_quota` on the container (without `cpus`)', 'use deploy.resources.limits.cpus on Swarm'),
  cpu_rt_period: noProvider('real-time CPU periods'),
  cpu_rt_runtime: noProvider('real-time CPU runtimes'),
  cpu_shares: containersOnly('`cpu_shares` on the container', 'use deploy.resources on Swarm'),
  cpus: { containers: t('`cpuLimit`'), swarm: t('`limits.cpus`') },
  cpuset: containersOnly('`cpu_set` on the container', 'not a Swarm service setting; remove it'),
  credential_spec: noProvider('a credential spec (Windows)'),
  depends_on: {
    containers: t(
      '`dependsOn`: created after; `service_healthy` waits for the health of the dependency (`waitForHealthy`), `service_completed_successfully` waits for it to exit (`attach`)',
    ),
    swarm: t('creation order (`depends_on` of the service resource); Swarm itself starts services in any order'),
  },
  deploy: {
    containers: t('`resources.limits` (cpus, memory), `restart_policy`, `replicas: 1`; the Swarm-only parts are refused'),
    swarm: t('`mode`, `replicas`, `endpoint_mode`, `labels`, `placement.constraints`, `update_config`, `restart_policy`, `resources`'),
  },
  develop: n('only used by `docker compose watch`'),
  device_cgroup_rules: noProvider('device cgroup rules'),
  devices: containersOnly('`devices` on the container', 'Swarm services cannot map devices; remove it'),
  dns: containersOnly('`dns` on the container', 'not set by the library on Swarm; remove it'),
  dns_opt: containersOnly('`dns_opts` on the container', 'not set by the library on Swarm; remove it'),
  dns_search: containersOnly('`dns_search` on the container', 'not set by the library on Swarm; remove it'),
  domainname: containersOnly('`domainname` on the container', 'not set by the library on Swarm; remove it'),
  entrypoint: { containers: t('`entrypoint`'), swarm: t('`command`') },
  env_file: t('read at synth into `env` (before `environment`)'),
  environment: t('`env`; an entry without a value takes the variable from the interpolation environment'),
  expose: n('peers on a shared network reach every port of a container whether exposed or not, as with compose; the provider has no EXPOSE'),
  extends: t('merged at synth, with the compose-spec merge rules'),
  external_links: r('links are legacy; put both services on a network they share and use the service name'),
  extra_hosts: containersOnly('`host` entries on the container (/etc/hosts)', 'not set by the library on Swarm; remove it'),
  gpus: containersOnly('`gpus` on the container (`all` only)', 'not a Swarm service setting; remove it'),
  group_add: containersOnly('`group_add` on the container', 'not set by the library on Swarm; remove it'),
  healthcheck: {
    containers: t('`healthcheck` (compose defaults: interval 30s, timeout 30s, retries 3); `disable` sets the test NONE'),
    swarm: t('`healthcheck` (compose defaults: interval 30s, timeout 30s, retries 3)'),
  },
  hostname: containersOnly('`hostname` on the container', 'not set by the library on Swarm; remove it'),
  image: t('`image`'),
  init: containersOnly('`init` on the container', 'not set by the library on Swarm; remove it'),
  ipc: containersOnly('`ipc_mode` on the container (`service:x` becomes `container:<x>`)', 'not a Swarm service setting; remove it'),
  isolation: noProvider('an isolation technology (Windows)'),
  label_file: t('read at synth into `labels` (before `labels`)'),
  labels: { containers: t('`labels`'), swarm: t('the labels of the task containers') },
  links: r('links are legacy: services on a shared network find each other by service name; remove it, or add an alias under networks'),
  logging: containersOnly('`log_driver` and `log_opts` on the container', 'not set by the library on Swarm; remove it'),
  mac_address: noProvider('a MAC address'),
  mem_limit: { containers: t('`memoryLimit` (whole MiB)'), swarm: t('`limits.memory` (whole MiB)') },
  mem_reservation: noProvider('a memory reservation on a container (use deploy.resources.reservations on Swarm)'),
  mem_swappiness: noProvider('memory swappiness'),
  memswap_limit: containersOnly('`memory_swap` on the container (whole MiB, -1 for unlimited)', 'not a Swarm service setting; remove it'),
  models: r('AI models are a Docker Desktop feature, not an engine object; remove it'),
  network_mode: containersOnly('`network_mode` on the container (`service:x` becomes `container:<x>`)', 'Swarm services attach to networks only; use networks'),
  networks: {
    containers: t('an attachment to each network, with the service name as an alias (and `aliases`, `ipv4_address`, `ipv6_address`, by `priority`)'),
    swarm: t('an attachment to each overlay network, with the service name as an alias (and `aliases`)'),
  },
  oom_kill_disable: noProvider('the OOM killer'),
  oom_score_adj: noProvider('an OOM score'),
  pid: containersOnly('`pid_mode` on the container', 'not a Swarm service setting; remove it'),
  pids_limit: noProvider('a PID limit'),
  platform: containersOnly('`platform` of the image', 'not set by the library on Swarm; remove it'),
  ports: {
    containers: t('`ports`, one mapping a port of a range; no host IP means every interface (0.0.0.0), as in compose'),
    swarm: t('`ports` (ingress or host mode); a Swarm port has no host IP'),
  },
  post_start: noProvider('lifecycle hooks'),
  pre_stop: noProvider('lifecycle hooks'),
  privileged: containersOnly('`privileged` on the container', 'Swarm services cannot run privileged; remove it'),
  profiles: t('selects the services (`profiles`, else COMPOSE_PROFILES)'),
  provider: r('provider services run a plugin of the compose CLI; remove it'),
  pull_policy: containersOnly('`missing`, `if_not_present` and `build` (what the provider does); `always` and `never` are refused', 'not set by the library on Swarm; remove it'),
  pull_refresh_after: noProvider('a pull schedule'),
  read_only: t('`readOnlyRootFilesystem`'),
  restart: { containers: t('`restartPolicy` (compose default: `no`)'), swarm: t('`restartPolicy`, where deploy.restart_policy is not set') },
  runtime: containersOnly('`runtime` on the container', 'not a Swarm service setting; remove it'),
  scale: { containers: t('1 only (one container a service)'), swarm: t('`mode: ServiceMode.replicated(n)`') },
  secrets: {
    containers: t('a `file` secret is bind-mounted read-only at /run/secrets/<target>, as compose does'),
    swarm: t('a `SwarmSecret` mounted at /run/secrets/<target>, with `uid`, `gid`, `mode`'),
  },
  security_opt: t('`securityOptions`; `no-new-privileges` sets `noNewPrivileges`, which is otherwise off, as in compose'),
  shm_size: containersOnly('`shm_size` on the container (whole MiB)', 'not a Swarm service setting; remove it'),
  stdin_open: containersOnly('`stdin_open` on the container', 'not a Swarm service setting; remove it'),
  stop_grace_period: { containers: t('`stop_timeout` on the container (whole seconds)'), swarm: t('`stopGracePeriod`') },
  stop_signal: t('`stopSignal`'),
  storage_opt: containersOnly('`storage_opts` on the container', 'not a Swarm service setting; remove it'),
  sysctls: containersOnly('`sysctls` on the container', 'not set by the library on Swarm; remove it'),
  tmpfs: containersOnly('`tmpfs` on the container', 'not set by the library on Swarm; remove it'),
  tty: containersOnly('`tty` on the container', 'not a Swarm service setting; remove it'),
  ulimits: containersOnly('`ulimit` entries on the container', 'not set by the library on Swarm; remove it'),
  use_api_socket: r('the Docker socket in a container gives it the engine; remove it, or mount the socket explicitly if you must'),
  user: t('`user`'),
  userns_mode: containersOnly('`userns_mode` on the container', 'not a Swarm service setting; remove it'),
  uts: noProvider('the UTS namespace'),
  volumes: {
    containers: t('named volumes to `volumes`; bind mounts and anonymous volumes to `mounts` of the container; tmpfs to `tmpfs`'),
    swarm: t('named volumes to `volumes`; bind mounts and tmpfs are refused (a host path on every node)'),
  },
  volumes_from: noProvider('volumes of another container'),
  working_dir: containersOnly('`working_dir` on the container', 'not set by the library on Swarm; remove it'),
};

export const NETWORK_KEYS: Record<string, KeyRule> = {
  name: t('`name` (default `<project>_<key>`)'),
  driver: t('`driver` (default bridge, overlay with Swarm)'),
  driver_opts: t('`options`'),
  ipam: t('one `config` entry: `subnet`, `gateway`, `ip_range`; a second entry, `aux_addresses` and IPAM drivers are refused'),
  external: t('`Network.fromName` (the existing network, by `name` or key)'),
  internal: t('`internal`'),
  enable_ipv4: n('IPv4 is on; `false` is refused: the provider cannot turn it off'),
  enable_ipv6: t('on with an IPv6 `subnet` in ipam (the library turns IPv6 on from the subnet); without one it is refused'),
  attachable: t('`attachable`'),
  labels: t('`labels`'),
};

export const VOLUME_KEYS: Record<string, KeyRule> = {
  name: t('`name` (default `<project>_<key>`)'),
  driver: t('`driver` of the volume resource'),
  driver_opts: t('`driver_opts` of the volume resource'),
  external: t('`Volume.fromName` (the existing volume, by `name` or key)'),
  labels: t('`labels`'),
};

export const SECRET_KEYS: Record<string, KeyRule> = {
  name: { containers: t('not used: the file is mounted'), swarm: t('`name` (default `<project>_<key>`)') },
  file: { containers: t('bind-mounted read-only into each service that uses it'), swarm: t('`data`, read by Terraform (`file()`), so it stays out of cdk.tf.json') },
  environment: r('its value would be written into cdk.tf.json; put it in a file and use `file`'),
  external: { containers: r('an external secret lives in a swarm; use `file`'), swarm: r('the library cannot refer to an existing Swarm secret; create it with `file`') },
  labels: { containers: n('a mounted file has no labels'), swarm: t('`labels`') },
  driver: r('secret drivers are not supported; use `file`'),
  driver_opts: r('secret drivers are not supported; use `file`'),
  template_driver: r('templated secrets are not supported; use `file`'),
};

export const CONFIG_KEYS: Record<string, KeyRule> = {
  name: t('not used: the file is mounted'),
  content: t('written into each container that uses it (`files`)'),
  file: t('bind-mounted read-only into each container that uses it'),
  environment: r('put the value in a file and use `file`, or use `content`'),
  external: r('an external config lives in a swarm; use `file`'),
  labels: n('a mounted file has no labels'),
  template_driver: r('templated configs are not supported; use `file`'),
};

/** The top-level definitions whose keys the tables cover, by the name of the schema's definition. */
export const KEY_TABLES: Record<string, Record<string, KeyRule>> = {
  service: SERVICE_KEYS,
  network: NETWORK_KEYS,
  volume: VOLUME_KEYS,
  secret: SECRET_KEYS,
  config: CONFIG_KEYS,
};
