import * as fs from 'fs';
import { Fn } from 'cdktf';
import { Healthcheck, HealthcheckOptions } from '../container/healthcheck';
import { Protocol } from '../container/ports';
import { RestartPolicy } from '../container/restart-policy';
import { Capability } from '../container/security';
import { Duration } from '../core/duration';
import { Size } from '../core/size';
import { NetworkDriver } from '../network/network-driver';
import { PlacementConstraint } from '../swarm/placement';
import { EndpointMode, PublishMode, ServiceMode, UpdateFailureAction, UpdateOrder } from '../swarm/service-mode';
import { SwarmRestartPolicy } from '../swarm/swarm-restart-policy';
import { UpdatePolicy } from '../swarm/update-policy';
import { readEnvFile } from './interpolation';
import { KEY_TABLES, KeyRule } from './keys';
import { ComposeModel } from './load';
import { Code, PlanValue, Ref, libraryCode, quote } from './plan-value';
import { ComposeValue, Fail, SourceLocation, describeLocation, displayPath, locationOf } from './source';
import { identifier, parseBytes, parseDuration, splitCommand } from './values';

/** What the plan needs besides the model. */
export interface PlanOptions {
  readonly swarm: boolean;
  /** The host address of a port that names none. */
  readonly hostIp: string;
}

/** A key the translation refuses: where, which, and why with what to do. */
export interface Refusal {
  readonly location?: SourceLocation;
  readonly key: string;
  readonly reason: string;
}

/** `  docker-compose.yml:12 services.web.blkio_config: <why and what to do>` */
export function describeRefusal(refusal: Refusal): string {
  return `  ${describeLocation(refusal.location)} ${refusal.key}: ${refusal.reason}`;
}

/** One setting made on a provider resource after construction (the constructs' escape hatch). */
export interface ResourceSetting {
  /** The compose key it comes from, for the comment in generated code. */
  readonly from: string;
  /** The path from the construct to the provider object: `resource`, `image`, `resource.taskSpec.containerSpec`. */
  readonly on: string;
  readonly attribute: string;
  /** Set through `put<Attribute>(value)` (blocks) rather than assigned. */
  readonly put: boolean;
  readonly value: PlanValue;
}

export type PlannedKind = 'Network' | 'Network.fromName' | 'Volume' | 'Volume.fromName' | 'SwarmSecret' | 'ServiceContainer' | 'SwarmService';

/** One construct to make: the same for `ComposeProject` (which makes it) and the converter (which writes it). */
export interface PlannedConstruct {
  /** `network:front-tier`, `service:vote`: what a `Ref` names. */
  readonly ref: string;
  readonly composeName: string;
  readonly kind: PlannedKind;
  readonly id: string;
  readonly variable: string;
  /** The props, or the name for `fromName`. */
  readonly props: PlanValue;
  readonly settings: ResourceSetting[];
}

export interface ComposePlan {
  readonly constructs: PlannedConstruct[];
  readonly refusals: Refusal[];
  /** Keys that make nothing on an engine, and compose semantics the provider only approximates. */
  readonly notes: string[];
  /** What may not work as written (a bind source missing on this machine, unset variables). */
  readonly warnings: string[];
}

const lib = libraryCode;

/**
 * Translates a loaded compose project into the constructs that make it: networks, volumes and secrets first, then
 * the services in the order of their dependencies. Keys the library does not translate are collected as refusals.
 */
export function planCompose(model: ComposeModel, options: PlanOptions, fail: Fail): ComposePlan {
  return new Planner(model, options, fail).plan();
}

class Planner {
  private readonly constructs: PlannedConstruct[] = [];
  private readonly refusals: Refusal[] = [];
  private readonly notes: string[] = [];
  private readonly warnings: string[] = [];
  private readonly orchestrator: 'containers' | 'swarm';
  private readonly variables = new Set<string>();
  private readonly ids = new Set<string>();
  /** Services some other service waits for: healthy, or exited. */
  private readonly waitedFor = new Map<string, 'service_healthy' | 'service_completed_successfully'>();

  constructor(
    private readonly model: ComposeModel,
    private readonly options: PlanOptions,
    private readonly fail: Fail,
  ) {
    this.orchestrator = options.swarm ? 'swarm' : 'containers';
  }

  public plan(): ComposePlan {
    const { model } = this;
    if (model.unsetVariables.length > 0) {
      this.warnings.push(`these variables are not set and default to a blank string: ${model.unsetVariables.join(', ')}`);
    }
    for (const [key, network] of Object.entries(model.networks)) this.network(key, network);
    for (const [key, volume] of Object.entries(model.volumes)) this.volume(key, volume);
    for (const [key, secret] of Object.entries(model.secrets)) this.secret(key, secret);
    for (const [key, config] of Object.entries(model.configs)) this.checkKeys('configs', key, config, KEY_TABLES.config);
    for (const [name, service] of Object.entries(model.services)) {
      for (const [dependency, options] of Object.entries<ComposeValue>(service.depends_on ?? {})) {
        if (options.condition !== 'service_started') this.waitedFor.set(dependency, options.condition);
        if (options.restart === true) {
          this.refuse(
            { location: locationOf(service.depends_on, dependency) ?? locationOf(service, 'depends_on'), key: `services.${name}.depends_on.${dependency}.restart` },
            `compose restarts ${name} when it updates ${dependency}; Terraform replaces only what changed, so remove restart: true`,
          );
        }
      }
    }
    for (const name of this.serviceOrder()) {
      if (this.options.swarm) this.swarmService(name, model.services[name]);
      else this.container(name, model.services[name]);
    }
    return { constructs: this.constructs, refusals: this.refusals, notes: this.notes, warnings: this.warnings };
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Networks, volumes, secrets

  private network(key: string, network: ComposeValue): void {
    this.checkKeys('networks', key, network, KEY_TABLES.network);
    const where = (sub: string) => this.where(network, sub, `networks.${key}.${sub}`);
    if (network.external) {
      this.add('network', key, 'Network.fromName', `${key}-network`, identifier(key, 'network') + 'Network', network.name ?? key);
      return;
    }
    if (network.enable_ipv4 === false) this.refuse(where('enable_ipv4'), 'the provider cannot turn IPv4 off; remove it');
    const ipam: ComposeValue = network.ipam ?? {};
    this.only(ipam, ['config', 'driver', 'options'], `networks.${key}.ipam`, network, 'ipam');
    if (ipam.driver !== undefined && ipam.driver !== 'default') this.refuse(where('ipam'), `the IPAM driver "${ipam.driver}" is not supported; remove it to use Docker's default`);
    if (ipam.options) this.refuse(where('ipam'), 'IPAM driver options are not supported; remove ipam.options');
    const configs: ComposeValue[] = ipam.config ?? [];
    if (configs.length > 1) this.refuse(where('ipam'), `${configs.length} ipam.config entries; the library's Network takes one subnet, so keep one`);
    const [config = {}] = configs;
    this.only(config, ['subnet', 'gateway', 'ip_range'], `networks.${key}.ipam.config[0]`, network, 'ipam');
    const ipv6Subnet = typeof config.subnet === 'string' && config.subnet.includes(':');
    if (network.enable_ipv6 === true && !ipv6Subnet) {
      this.refuse(where('enable_ipv6'), 'IPv6 needs an IPv6 subnet in ipam.config (the library turns IPv6 on from it); give one, or remove enable_ipv6');
    }
    // Bridge is the Network's default; Swarm networks are overlays unless the file says otherwise.
    const driver = network.driver ?? (this.options.swarm ? 'overlay' : undefined);
    this.add('network', key, 'Network', `${key}-network`, identifier(key, 'network') + 'Network', {
      name: network.name ?? `${this.model.name}_${key}`,
      driver: driver !== undefined ? driverCode(driver) : undefined,
      internal: network.internal || undefined,
      attachable: network.attachable || undefined,
      subnet: config.subnet,
      gateway: config.gateway,
      ipRange: config.ip_range,
      labels: network.labels ? stringMap(network.labels) : undefined,
      options: network.driver_opts ? stringMap(network.driver_opts) : undefined,
    });
  }

  private volume(key: string, volume: ComposeValue): void {
    this.checkKeys('volumes', key, volume, KEY_TABLES.volume);
    const variable = identifier(key, 'volume') + 'Volume';
    if (volume.external) {
      this.add('volume', key, 'Volume.fromName', `${key}-volume`, variable, volume.name ?? key);
      return;
    }
    const settings: ResourceSetting[] = [];
    if (volume.driver) settings.push(setting(`volumes.${key}.driver`, 'resource', 'driver', volume.driver));
    if (volume.driver_opts) settings.push(setting(`volumes.${key}.driver_opts`, 'resource', 'driverOpts', stringMap(volume.driver_opts)));
    this.add(
      'volume',
      key,
      'Volume',
      `${key}-volume`,
      variable,
      { name: volume.name ?? `${this.model.name}_${key}`, labels: volume.labels ? stringMap(volume.labels) : undefined },
      settings,
    );
  }

  private secret(key: string, secret: ComposeValue): void {
    this.checkKeys('secrets', key, secret, KEY_TABLES.secret);
    if (!this.options.swarm || secret.file === undefined) return;
    this.add('secret', key, 'SwarmSecret', `${key}-secret`, identifier(key, 'secret') + 'Secret', {
      name: secret.name ?? `${this.model.name}_${key}`,
      data: fileCode(secret.file),
      labels: secret.labels ? stringMap(secret.labels) : undefined,
    });
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Services as containers

  private container(name: string, service: ComposeValue): void {
    this.checkKeys('services', name, service, KEY_TABLES.service);
    const at = (key: string) => this.where(service, key, `services.${name}.${key}`);
    const settings: ResourceSetting[] = [];
    const set = (key: string, attribute: string, value: PlanValue, on = 'resource', put = false) =>
      settings.push({ from: `services.${name}.${key}`, on, attribute, put, value });
    const deploy: ComposeValue = service.deploy ?? {};
    this.containerDeploy(name, service, deploy);

    const image = service.image ?? `${this.model.name}-${name}`;
    if (service.build) this.build(name, service, set);
    if (service.platform) set('platform', 'platform', service.platform, 'image');
    if (service.pull_policy && !['missing', 'if_not_present', 'build'].includes(service.pull_policy)) {
      this.refuse(at('pull_policy'), `pull_policy ${service.pull_policy} is not what the provider does (it pulls a missing image only); remove it`);
    }

    const memory = this.memory(name, service, deploy);
    const cpus = this.cpus(name, service, deploy);
    if (cpus === undefined) {
      if (service.cpu_quota !== undefined) set('cpu_quota', 'cpuQuota', Number(service.cpu_quota));
      if (service.cpu_period !== undefined) set('cpu_period', 'cpuPeriod', Number(service.cpu_period));
    } else if (service.cpu_quota !== undefined || service.cpu_period !== undefined) {
      this.refuse(at(service.cpu_quota !== undefined ? 'cpu_quota' : 'cpu_period'), 'cpus sets the CPU quota already; keep one of the two');
    }
    if (service.memswap_limit !== undefined) {
      const swap = service.memswap_limit === -1 || service.memswap_limit === '-1' ? -1 : this.mebibytes(at('memswap_limit'), service.memswap_limit);
      if (swap !== undefined) set('memswap_limit', 'memorySwap', swap);
    }

    const networkMode = this.networkMode(name, service, set);
    const healthcheck = this.healthcheck(name, service, set);
    const waitedFor = this.waitedFor.get(name);
    if (waitedFor === 'service_healthy' && healthcheck === undefined) {
      this.refuse(
        at('healthcheck'),
        `another service waits for ${name} to be healthy (condition: service_healthy), and the provider waits only for a healthcheck written here; copy the image's HEALTHCHECK into healthcheck:, or use condition: service_started`,
      );
    }
    if (waitedFor === 'service_completed_successfully') {
      set('depends_on', 'attach', true);
      set('depends_on', 'mustRun', false);
      this.notes.push(
        `services.${name}: others wait for it to exit (service_completed_successfully); the provider waits for the exit (attach) but does not check the exit code`,
      );
    }

    const mounts: PlanValue[] = [];
    const tmpfs: Record<string, string> = {};
    const volumes = this.containerVolumes(name, service, mounts, tmpfs);
    this.secretsAndConfigs(name, service, mounts);
    for (const entry of service.tmpfs ?? []) {
      const [path, options = ''] = String(entry).split(/:(.*)/s);
      tmpfs[path] = options;
    }
    if (mounts.length > 0) set('volumes', 'mounts', mounts, 'resource', true);
    if (Object.keys(tmpfs).length > 0) set('tmpfs', 'tmpfs', tmpfs);

    const securityOptions = (service.security_opt ?? []).map(String);
    const noNewPrivileges = securityOptions.some((o: string) => /^no-new-privileges(:true)?$/.test(o));
    const files = Object.entries<ComposeValue>(this.model.configs)
      .filter(([key, config]) => config.content !== undefined && (service.configs ?? []).some((c: ComposeValue) => c.source === key))
      .map(([key, config]) => {
        const use = service.configs.find((c: ComposeValue) => c.source === key);
        return { path: use.target ?? `/${key}`, content: String(config.content) };
      });

    this.simpleContainerSettings(name, service, set);
    const props: Record<string, PlanValue> = {
      name: service.container_name ?? `${this.model.name}-${name}-1`,
      image,
      command: commandOf(service.command),
      entrypoint: commandOf(service.entrypoint),
      env: this.environment(name, service),
      ports: this.containerPorts(name, service),
      networks: networkMode === undefined ? this.attachments(name, service) : undefined,
      restartPolicy: this.restart(name, service, deploy),
      healthcheck,
      waitForHealthy: healthcheck !== undefined ? waitedFor === 'service_healthy' : undefined,
      stopSignal: service.stop_signal,
      memoryLimit: memory !== undefined ? lib(Size.mebibytes(memory), 'Size', `Size.mebibytes(${memory})`) : undefined,
      cpuLimit: cpus,
      labels: this.labels(service),
      dependsOn: this.dependencies(service, networkMode),
      volumes: volumes.length > 0 ? volumes : undefined,
      files: files.length > 0 ? files : undefined,
      readOnlyRootFilesystem: service.read_only || undefined,
      capabilities: this.capabilities(name, service),
      noNewPrivileges,
      user: service.user !== undefined ? String(service.user) : undefined,
      securityOptions: securityOptions.filter((o: string) => !/^no-new-privileges(:true)?$/.test(o)),
    };
    if ((props.securityOptions as string[]).length === 0) delete props.securityOptions;
    this.add('service', name, 'ServiceContainer', name, identifier(name, 'service'), props, settings);
  }

  /** Settings the constructs do not model, set on the provider's `docker_container` as compose sets them. */
  private simpleContainerSettings(name: string, service: ComposeValue, set: (key: string, attribute: string, value: PlanValue, on?: string, put?: boolean) => void): void {
    const at = (key: string) => this.where(service, key, `services.${name}.${key}`);
    const direct: [string, string, (v: any) => PlanValue][] = [
      ['hostname', 'hostname', String],
      ['domainname', 'domainname', String],
      ['working_dir', 'workingDir', String],
      ['init', 'init', Boolean],
      ['privileged', 'privileged', Boolean],
      ['pid', 'pidMode', String],
      ['userns_mode', 'usernsMode', String],
      ['runtime', 'runtime', String],
      ['tty', 'tty', Boolean],
      ['stdin_open', 'stdinOpen', Boolean],
      ['cgroup_parent', 'cgroupParent', String],
      ['cgroup', 'cgroupnsMode', String],
      ['cpu_shares', 'cpuShares', Number],
      ['cpuset', 'cpuSet', String],
      ['dns', 'dns', (v: unknown[]) => v.map(String)],
      ['dns_opt', 'dnsOpts', (v: unknown[]) => v.map(String)],
      ['dns_search', 'dnsSearch', (v: unknown[]) => v.map(String)],
      ['group_add', 'groupAdd', (v: unknown[]) => v.map(String)],
      ['sysctls', 'sysctls', stringMap],
      ['storage_opt', 'storageOpts', stringMap],
    ];
    for (const [key, attribute, convert] of direct) if (service[key] !== undefined) set(key, attribute, convert(service[key]));
    if (service.ipc !== undefined) set('ipc', 'ipcMode', this.serviceMode(String(service.ipc)));
    if (service.stop_grace_period !== undefined) {
      const ms = parseDuration(service.stop_grace_period);
      if (ms === undefined) this.refuse(at('stop_grace_period'), `"${service.stop_grace_period}" is not a duration; write e.g. 30s or 1m30s`);
      else set('stop_grace_period', 'stopTimeout', Math.ceil(ms / 1000));
    }
    if (service.shm_size !== undefined) {
      const mib = this.mebibytes(at('shm_size'), service.shm_size);
      if (mib !== undefined) set('shm_size', 'shmSize', mib);
    }
    if (service.logging) {
      this.only(service.logging, ['driver', 'options'], `services.${name}.logging`, service, 'logging');
      if (service.logging.driver) set('logging', 'logDriver', String(service.logging.driver));
      if (service.logging.options) set('logging', 'logOpts', stringMap(service.logging.options));
    }
    if (service.gpus !== undefined) {
      if (service.gpus === 'all') set('gpus', 'gpus', 'all');
      else this.refuse(at('gpus'), 'the provider takes `all` GPUs only; write gpus: all');
    }
    if (service.ulimits) {
      const ulimits = Object.entries<any>(service.ulimits).map(([limit, v]) =>
        typeof v === 'object' ? { name: limit, soft: Number(v.soft), hard: Number(v.hard) } : { name: limit, soft: Number(v), hard: Number(v) },
      );
      set('ulimits', 'ulimit', ulimits, 'resource', true);
    }
    if (service.extra_hosts) {
      set('extra_hosts', 'host', Object.entries<string>(service.extra_hosts).map(([host, ip]) => ({ host, ip: String(ip) })), 'resource', true);
    }
    if (service.devices) {
      const devices = service.devices.map((d: string | ComposeValue) => {
        if (typeof d === 'object') return { hostPath: String(d.source), containerPath: d.target, permissions: d.permissions };
        const [hostPath, containerPath, permissions] = String(d).split(':');
        return { hostPath, containerPath, permissions };
      });
      set('devices', 'devices', devices, 'resource', true);
    }
  }

  private build(name: string, service: ComposeValue, set: (key: string, attribute: string, value: PlanValue, on?: string, put?: boolean) => void): void {
    const build: ComposeValue = service.build;
    this.only(build, ['context', 'dockerfile', 'args', 'target', 'labels'], `services.${name}.build`, service, 'build');
    if (/^(https?|git):|\.git(#|$)/.test(String(build.context))) {
      this.refuse(this.where(service, 'build', `services.${name}.build.context`), 'a remote build context; clone it and give a local path');
    }
    set(
      'build',
      'buildAttribute',
      {
        context: pathCode(build.context),
        dockerfile: build.dockerfile,
        buildArgs: build.args ? stringMap(Object.fromEntries(Object.entries<any>(build.args).filter(([, v]) => v !== null))) : undefined,
        target: build.target,
        label: build.labels ? stringMap(build.labels) : undefined,
      },
      'image',
      true,
    );
  }

  private containerDeploy(name: string, service: ComposeValue, deploy: ComposeValue): void {
    this.only(deploy, ['resources', 'restart_policy', 'replicas', 'mode'], `services.${name}.deploy`, service, 'deploy', 'a Swarm setting; set `orchestrator: Orchestrator.SWARM`, or remove it (compose ignores it without Swarm)');
    const at = this.where(service, 'deploy', `services.${name}.deploy`);
    const replicas = deploy.replicas ?? service.scale;
    if (replicas !== undefined && Number(replicas) !== 1) {
      this.refuse(
        this.where(service, deploy.replicas !== undefined ? 'deploy' : 'scale', `services.${name}.${deploy.replicas !== undefined ? 'deploy.replicas' : 'scale'}`),
        `${replicas} replicas; the library makes one container a service: use 1, or \`orchestrator: Orchestrator.SWARM\``,
      );
    }
    if (deploy.mode !== undefined && deploy.mode !== 'replicated') this.refuse(at, `mode ${deploy.mode} is a Swarm mode; set \`orchestrator: Orchestrator.SWARM\`, or remove it`);
    const resources: ComposeValue = deploy.resources ?? {};
    this.only(resources, ['limits'], `services.${name}.deploy.resources`, service, 'deploy', 'the provider has no reservations on a container; remove them (Swarm has them)');
    this.only(resources.limits ?? {}, ['cpus', 'memory'], `services.${name}.deploy.resources.limits`, service, 'deploy', 'the provider cannot set it on a container; remove it');
    this.only(deploy.restart_policy ?? {}, ['condition', 'max_attempts'], `services.${name}.deploy.restart_policy`, service, 'deploy', 'Docker restarts a container without delay or window; remove it');
  }

  private memory(name: string, service: ComposeValue, deploy: ComposeValue): number | undefined {
    const values = [
      ['mem_limit', service.mem_limit],
      ['deploy', deploy.resources?.limits?.memory],
    ].filter(([, v]) => v !== undefined) as [string, string | number][];
    const mib = values.map(([key, v]) => this.mebibytes(this.where(service, key, `services.${name}.${key === 'deploy' ? 'deploy.resources.limits.memory' : key}`), v));
    if (mib.length === 2 && mib[0] !== mib[1]) {
      this.refuse(this.where(service, 'mem_limit', `services.${name}.mem_limit`), 'mem_limit and deploy.resources.limits.memory differ; keep one');
    }
    return mib[0];
  }

  private cpus(name: string, service: ComposeValue, deploy: ComposeValue): number | undefined {
    const values = [service.cpus, deploy.resources?.limits?.cpus].filter((v) => v !== undefined).map(Number);
    if (values.length === 2 && values[0] !== values[1]) {
      this.refuse(this.where(service, 'cpus', `services.${name}.cpus`), 'cpus and deploy.resources.limits.cpus differ; keep one');
    }
    // Compose reads 0 as "no limit".
    return values[0] === 0 ? undefined : values[0];
  }

  /** Whole mebibytes of a size, or a refusal naming it. */
  private mebibytes(where: Place, value: string | number): number | undefined {
    const bytes = parseBytes(value);
    if (bytes === undefined || bytes <= 0 || bytes % (1024 * 1024) !== 0) {
      this.refuse(where, `"${value}" is not a whole number of MiB, which the provider counts in; write e.g. 512m or 1g`);
      return undefined;
    }
    return bytes / (1024 * 1024);
  }

  private networkMode(name: string, service: ComposeValue, set: (key: string, attribute: string, value: PlanValue) => void): string | undefined {
    const mode = service.network_mode;
    if (mode === undefined) return undefined;
    if (service.networks) {
      this.refuse(this.where(service, 'network_mode', `services.${name}.network_mode`), 'network_mode and networks exclude each other; keep one');
    }
    const value = this.serviceMode(String(mode));
    set('network_mode', 'networkMode', value);
    return String(mode);
  }

  /** `service:db` -> `container:<db's container name>`, as compose resolves it. */
  private serviceMode(mode: string): string {
    const match = /^service:(.+)$/.exec(mode);
    if (!match) return mode;
    const target = this.model.services[match[1]];
    return `container:${target?.container_name ?? `${this.model.name}-${match[1]}-1`}`;
  }

  private healthcheck(name: string, service: ComposeValue, set?: (key: string, attribute: string, value: PlanValue, on?: string, put?: boolean) => void): Code | undefined {
    const check: ComposeValue | undefined = service.healthcheck;
    if (!check) return undefined;
    const at = this.where(service, 'healthcheck', `services.${name}.healthcheck`);
    this.only(check, ['test', 'interval', 'timeout', 'retries', 'start_period', 'disable'], `services.${name}.healthcheck`, service, 'healthcheck');
    const test = typeof check.test === 'string' ? ['CMD-SHELL', check.test] : (check.test as string[] | undefined)?.map(String);
    if (check.disable === true || test?.[0] === 'NONE') {
      if (set) set('healthcheck', 'healthcheck', { test: ['NONE'] }, 'resource', true);
      else this.refuse(at, 'disabling the image healthcheck is not supported on Swarm; remove it');
      return undefined;
    }
    if (!test || test.length < 2 || !['CMD', 'CMD-SHELL'].includes(test[0])) {
      this.refuse(at, 'a healthcheck needs its test (the provider cannot keep the image\'s and change its timing); write test: ["CMD", ...] or a shell string');
      return undefined;
    }
    const options: Record<string, PlanValue> = {};
    const values: HealthcheckOptions & Record<string, unknown> = {};
    for (const [key, field, fallback] of [
      ['interval', 'interval', 30_000],
      ['timeout', 'timeout', 30_000],
      ['start_period', 'startPeriod', 0],
    ] as const) {
      const ms = check[key] === undefined ? fallback : parseDuration(check[key]);
      // The library's start period is 0 too: left out.
      if (key === 'start_period' && ms === 0) continue;
      if (ms === undefined || !Number.isInteger(ms)) {
        this.refuse(at, `healthcheck.${key} "${check[key]}" is not a duration in whole milliseconds; write e.g. 10s`);
        continue;
      }
      const duration = durationCode(ms);
      options[field] = duration;
      (values as any)[field] = duration.value;
    }
    const retries = check.retries === undefined ? 3 : Number(check.retries);
    options.retries = retries;
    (values as any).retries = retries;
    const [kind, ...rest] = test;
    const printed = `{ ${Object.entries(options).map(([k, v]) => `${k}: ${v instanceof Code ? v.source : String(v)}`).join(', ')} }`;
    const imports = [{ from: 'library' as const, name: 'Healthcheck' }, { from: 'library' as const, name: 'Duration' }];
    if (kind === 'CMD') {
      return new Code(Healthcheck.command(rest, values), `Healthcheck.command([${rest.map(quote).join(', ')}], ${printed})`, imports);
    }
    return new Code(Healthcheck.shell(rest.join(' '), values), `Healthcheck.shell(${quote(rest.join(' '))}, ${printed})`, imports);
  }

  private environment(name: string, service: ComposeValue): Record<string, string> | undefined {
    const env: Record<string, string> = {};
    for (const file of service.env_file ?? []) {
      if (!fs.existsSync(file.path)) {
        if (file.required === false) continue;
        this.fail(`${describeLocation(locationOf(service, 'env_file'))}: services.${name}.env_file ${displayPath(file.path)} does not exist; create it, or mark it required: false.`);
      }
      Object.assign(env, readEnvFile(file.path, this.model.env, this.fail, file.format === 'raw'));
    }
    for (const [key, value] of Object.entries<string | null>(service.environment ?? {})) {
      if (value !== null) env[key] = value;
      else {
        const inherited = this.model.env.lookup(key);
        if (inherited !== undefined) env[key] = inherited;
        else delete env[key];
      }
    }
    return Object.keys(env).length > 0 ? env : undefined;
  }

  private labels(service: ComposeValue): Record<string, string> | undefined {
    const labels: Record<string, string> = {};
    for (const file of service.label_file ?? []) Object.assign(labels, readEnvFile(file, this.model.env, this.fail, true));
    Object.assign(labels, stringMap(service.labels ?? {}));
    return Object.keys(labels).length > 0 ? labels : undefined;
  }

  private containerPorts(name: string, service: ComposeValue): PlanValue[] | undefined {
    const ports: PlanValue[] = [];
    (service.ports ?? []).forEach((port: ComposeValue, i: number) => {
      const where = this.item(service, 'ports', i, `services.${name}.ports[${i}]`);
      this.only(port, ['target', 'published', 'host_ip', 'protocol', 'mode', 'name', 'app_protocol'], `services.${name}.ports[${i}]`, service, 'ports');
      const targets = range(port.target);
      const published = port.published === undefined || port.published === '' ? undefined : range(port.published);
      if (!targets || (port.published !== undefined && port.published !== '' && !published)) {
        this.refuse(where, `"${port.target}" or "${port.published}" is not a port or a range of ports; write e.g. 8080 or 8000-8001`);
        return;
      }
      if (published && published.length !== targets.length) {
        this.refuse(
          where,
          published.length > 1 && targets.length === 1
            ? 'a host port range for one container port lets Docker pick a port in the range, which the provider cannot (it publishes a given port or any); publish one port'
            : 'the host and container ranges differ in length; give ranges of the same length',
        );
        return;
      }
      const protocol = protocolCode(port.protocol);
      if (port.protocol !== undefined && protocol === undefined) {
        this.refuse(where, `protocol "${port.protocol}" is not tcp, udp or sctp`);
        return;
      }
      const hostIp = port.host_ip ?? this.options.hostIp;
      targets.forEach((target, j) => ports.push({ internal: target, external: published?.[j], hostIp, protocol }));
    });
    return ports.length > 0 ? ports : undefined;
  }

  private attachments(name: string, service: ComposeValue): PlanValue[] {
    const entries = Object.entries<ComposeValue | null>(service.networks ?? {}).map(([key, options]) => ({ key, options: options ?? {} }));
    // Compose connects the networks of higher priority first; among equals, by name.
    entries.sort((a, b) => (b.options.priority ?? 0) - (a.options.priority ?? 0) || a.key.localeCompare(b.key));
    return entries.map(({ key, options }) => {
      this.only(options, ['aliases', 'ipv4_address', 'ipv6_address', 'priority'], `services.${name}.networks.${key}`, service, 'networks');
      const aliases = [...new Set([name, ...(options.aliases ?? []).map(String)])];
      return { network: new Ref(`network:${key}`), aliases, ipv4Address: options.ipv4_address, ipv6Address: options.ipv6_address };
    });
  }

  private restart(name: string, service: ComposeValue, deploy: ComposeValue): Code {
    const policy: string = service.restart ?? fromDeployPolicy(deploy.restart_policy) ?? 'no';
    const match = /^(no|always|unless-stopped|on-failure)(?::(\d+))?$/.exec(policy);
    if (!match || (match[2] !== undefined && match[1] !== 'on-failure')) {
      this.refuse(this.where(service, 'restart', `services.${name}.restart`), `"${policy}" is not a restart policy; use no, always, unless-stopped or on-failure[:N]`);
      return lib(RestartPolicy.NO, 'RestartPolicy', 'RestartPolicy.NO');
    }
    if (match[1] === 'on-failure') {
      const retries = Number(match[2] ?? 0);
      return lib(RestartPolicy.onFailure(retries), 'RestartPolicy', `RestartPolicy.onFailure(${retries})`);
    }
    const constant = match[1] === 'unless-stopped' ? 'UNLESS_STOPPED' : match[1].toUpperCase();
    return lib((RestartPolicy as any)[constant], 'RestartPolicy', `RestartPolicy.${constant}`);
  }

  private dependencies(service: ComposeValue, networkMode: string | undefined): Ref[] | undefined {
    const names = new Set(Object.keys(service.depends_on ?? {}));
    for (const mode of [networkMode, service.ipc]) {
      const match = /^service:(.+)$/.exec(String(mode ?? ''));
      if (match) names.add(match[1]);
    }
    return names.size > 0 ? [...names].map((n) => new Ref(`service:${n}`)) : undefined;
  }

  private capabilities(name: string, service: ComposeValue): PlanValue {
    if (!service.cap_add && !service.cap_drop) return undefined;
    const codes = (key: 'cap_add' | 'cap_drop') =>
      (service[key] ?? []).flatMap((raw: string) => {
        const cap = String(raw).toUpperCase().replace(/^CAP_/, '');
        if (!(cap in Capability)) {
          this.refuse(this.where(service, key, `services.${name}.${key}`), `"${raw}" is not a Linux capability; write e.g. NET_ADMIN`);
          return [];
        }
        return [lib((Capability as any)[cap], 'Capability', `Capability.${cap}`)];
      });
    return { add: service.cap_add ? codes('cap_add') : undefined, drop: service.cap_drop ? codes('cap_drop') : undefined };
  }

  private containerVolumes(name: string, service: ComposeValue, mounts: PlanValue[], tmpfs: Record<string, string>): PlanValue[] {
    const volumes: PlanValue[] = [];
    (service.volumes ?? []).forEach((v: ComposeValue, i: number) => {
      const where = this.item(service, 'volumes', i, `services.${name}.volumes[${i}]`);
      this.only(v, ['type', 'source', 'target', 'read_only', 'bind', 'volume', 'tmpfs', 'consistency'], `services.${name}.volumes[${i}]`, service, 'volumes');
      if (v.type === 'volume') {
        if (v.volume && Object.keys(v.volume).length > 0) this.refuse(where, 'volume options (nocopy, subpath) are not supported; remove them');
        if (!v.source) {
          // An anonymous volume, as compose makes one: Docker names it, and removes it with the container.
          mounts.push({ type: 'volume', target: v.target, readOnly: v.read_only || undefined });
          return;
        }
        volumes.push({ volume: new Ref(`volume:${v.source}`), path: v.target, readOnly: v.read_only || undefined });
      } else if (v.type === 'bind') {
        const bind: ComposeValue = v.bind ?? {};
        this.only(bind, ['create_host_path', 'propagation'], `services.${name}.volumes[${i}].bind`, service, 'volumes');
        if (!fs.existsSync(v.source)) {
          this.warnings.push(
            `${describeLocation(where.location)}: services.${name}.volumes[${i}]: the bind source ${displayPath(v.source)} does not exist here; Docker's mount API does not create it (compose does), so create it on the engine's host`,
          );
        }
        mounts.push({
          type: 'bind',
          source: pathCode(v.source),
          target: v.target,
          readOnly: v.read_only || undefined,
          bindOptions: bind.propagation ? { propagation: bind.propagation } : undefined,
        });
      } else if (v.type === 'tmpfs') {
        const options = [
          v.tmpfs?.size !== undefined ? `size=${parseBytes(v.tmpfs.size) ?? v.tmpfs.size}` : undefined,
          v.tmpfs?.mode !== undefined ? `mode=${Number(v.tmpfs.mode).toString(8)}` : undefined,
        ].filter(Boolean);
        tmpfs[v.target] = options.join(',');
      } else {
        this.refuse(where, `a ${v.type} mount is not supported; use a named volume, a bind mount or tmpfs`);
      }
    });
    return volumes;
  }

  private secretsAndConfigs(name: string, service: ComposeValue, mounts: PlanValue[]): void {
    for (const [kind, dir] of [['secrets', '/run/secrets/'], ['configs', '/']] as const) {
      (service[kind] ?? []).forEach((use: ComposeValue, i: number) => {
        const defined: ComposeValue = (kind === 'secrets' ? this.model.secrets : this.model.configs)[use.source] ?? {};
        this.only(use, ['source', 'target'], `services.${name}.${kind}[${i}]`, service, kind, 'a bind-mounted file keeps its owner and mode; remove it, or use Orchestrator.SWARM');
        if (defined.file === undefined) return;
        const target = String(use.target ?? use.source);
        mounts.push({ type: 'bind', source: pathCode(defined.file), target: target.startsWith('/') ? target : `${dir}${target}`, readOnly: true });
      });
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Services on Swarm

  private swarmService(name: string, service: ComposeValue): void {
    this.checkKeys('services', name, service, KEY_TABLES.service);
    const at = (key: string) => this.where(service, key, `services.${name}.${key}`);
    const settings: ResourceSetting[] = [];
    const deploy: ComposeValue = service.deploy ?? {};
    this.only(deploy, ['mode', 'replicas', 'endpoint_mode', 'labels', 'placement', 'update_config', 'restart_policy', 'resources'], `services.${name}.deploy`, service, 'deploy');
    this.only(deploy.placement ?? {}, ['constraints'], `services.${name}.deploy.placement`, service, 'deploy');
    this.only(deploy.update_config ?? {}, ['parallelism', 'delay', 'order', 'failure_action', 'monitor'], `services.${name}.deploy.update_config`, service, 'deploy');
    this.only(deploy.resources ?? {}, ['limits', 'reservations'], `services.${name}.deploy.resources`, service, 'deploy');
    for (const part of ['limits', 'reservations']) {
      this.only(deploy.resources?.[part] ?? {}, ['cpus', 'memory'], `services.${name}.deploy.resources.${part}`, service, 'deploy');
    }
    if (service.image === undefined) this.refuse(at('image'), 'Swarm runs images from a registry: build and push it, then set image');

    const replicas = deploy.replicas ?? service.scale;
    const mode =
      deploy.mode === 'global'
        ? lib(ServiceMode.GLOBAL, 'ServiceMode', 'ServiceMode.GLOBAL')
        : replicas !== undefined
          ? lib(ServiceMode.replicated(Number(replicas)), 'ServiceMode', `ServiceMode.replicated(${Number(replicas)})`)
          : undefined;
    const resources = (part: 'limits' | 'reservations') => {
      const r: ComposeValue | undefined = deploy.resources?.[part];
      const memory = part === 'limits' ? (service.mem_limit ?? r?.memory) : r?.memory;
      const cpus = part === 'limits' ? (service.cpus ?? r?.cpus) : r?.cpus;
      if (memory === undefined && cpus === undefined) return undefined;
      const mib = memory !== undefined ? this.mebibytes(at('deploy'), memory) : undefined;
      return { memory: mib !== undefined ? lib(Size.mebibytes(mib), 'Size', `Size.mebibytes(${mib})`) : undefined, cpus: cpus !== undefined ? Number(cpus) : undefined };
    };
    if (service.labels) {
      settings.push({
        from: `services.${name}.labels`,
        on: 'resource.taskSpec.containerSpec',
        attribute: 'labels',
        put: true,
        value: Object.entries(this.labels(service) ?? {}).map(([label, value]) => ({ label, value })),
      });
    }
    if (service.depends_on) {
      settings.push({
        from: `services.${name}.depends_on`,
        on: 'resource',
        attribute: 'dependsOn',
        put: false,
        value: Object.keys(service.depends_on).map((d) => new Ref(`service:${d}`, 'resource', true)),
      });
    }
    const ports = (service.ports ?? []).flatMap((port: ComposeValue, i: number) => {
      const where = this.item(service, 'ports', i, `services.${name}.ports[${i}]`);
      if (port.host_ip !== undefined) this.refuse(where, 'a Swarm port has no host IP (Swarm publishes on every interface of a node); remove host_ip');
      const targets = range(port.target) ?? [];
      const published = port.published !== undefined && port.published !== '' ? range(port.published) : undefined;
      if (published && published.length !== targets.length) {
        this.refuse(where, 'the host and container ranges differ in length; give ranges of the same length');
        return [];
      }
      const publishMode = port.mode === 'host' ? lib(PublishMode.HOST, 'PublishMode', 'PublishMode.HOST') : undefined;
      return targets.map((target, j) => ({ target, published: published?.[j], mode: publishMode, protocol: protocolCode(port.protocol) }));
    });
    // A secret without a file is refused above (and, skipped, has no SwarmSecret to mount).
    const secrets = (service.secrets ?? []).filter((use: ComposeValue) => this.model.secrets[use.source]?.file !== undefined).map((use: ComposeValue) => ({
      secret: new Ref(`secret:${use.source}`),
      target: use.target !== undefined ? String(use.target) : undefined,
      mode: use.mode !== undefined ? Number(use.mode).toString(8).padStart(4, '0') : undefined,
      uid: use.uid !== undefined ? String(use.uid) : undefined,
      gid: use.gid !== undefined ? String(use.gid) : undefined,
    }));
    const volumes = (service.volumes ?? []).flatMap((v: ComposeValue, i: number) => {
      if (v.type === 'volume' && v.source) return [{ volume: new Ref(`volume:${v.source}`), path: v.target, readOnly: v.read_only || undefined }];
      this.refuse(this.item(service, 'volumes', i, `services.${name}.volumes[${i}]`), `${v.source ? `a ${v.type}` : 'an anonymous'} mount on Swarm needs its path on every node; use a named volume`);
      return [];
    });
    let stopGracePeriod: Code | undefined;
    if (service.stop_grace_period !== undefined) {
      const ms = parseDuration(service.stop_grace_period);
      if (ms === undefined || !Number.isInteger(ms)) this.refuse(at('stop_grace_period'), `"${service.stop_grace_period}" is not a duration; write e.g. 30s`);
      else stopGracePeriod = durationCode(ms);
    }
    const securityOptions = (service.security_opt ?? []).map(String);
    if (securityOptions.length > 0) this.refuse(at('security_opt'), 'a Swarm service takes no security options in the library; remove them');
    const props: Record<string, PlanValue> = {
      name: `${this.model.name}_${name}`,
      image: service.image ?? `${this.model.name}-${name}`,
      command: commandOf(service.entrypoint),
      args: commandOf(service.command),
      mode,
      endpointMode: deploy.endpoint_mode === 'dnsrr' ? lib(EndpointMode.DNSRR, 'EndpointMode', 'EndpointMode.DNSRR') : undefined,
      networks: Object.entries<ComposeValue | null>(service.networks ?? {}).map(([key, options]) => {
        this.only(options ?? {}, ['aliases'], `services.${name}.networks.${key}`, service, 'networks');
        return { network: new Ref(`network:${key}`), aliases: [...new Set([name, ...((options ?? {}).aliases ?? []).map(String)])] };
      }),
      ports: ports.length > 0 ? ports : undefined,
      env: this.environment(name, service),
      labels: deploy.labels ? stringMap(deploy.labels) : undefined,
      healthcheck: this.healthcheck(name, service),
      limits: resources('limits'),
      reservations: resources('reservations'),
      restartPolicy: this.swarmRestart(name, service, deploy),
      updatePolicy: this.updatePolicy(name, service, deploy.update_config),
      placement: deploy.placement?.constraints?.map((c: string) => lib(PlacementConstraint.of(c), 'PlacementConstraint', `PlacementConstraint.of(${quote(c)})`)),
      secrets: secrets.length > 0 ? secrets : undefined,
      volumes: volumes.length > 0 ? volumes : undefined,
      capabilities: this.capabilities(name, service),
      readOnlyRootFilesystem: service.read_only || undefined,
      user: service.user !== undefined ? String(service.user) : undefined,
      stopSignal: service.stop_signal,
      stopGracePeriod,
    };
    this.add('service', name, 'SwarmService', name, identifier(name, 'service'), props, settings);
  }

  private swarmRestart(name: string, service: ComposeValue, deploy: ComposeValue): Code | undefined {
    const policy: ComposeValue | undefined = deploy.restart_policy;
    if (!policy) {
      if (service.restart === undefined) return undefined;
      const [mode, count] = String(service.restart).split(':');
      if (mode === 'no') return lib(SwarmRestartPolicy.NONE, 'SwarmRestartPolicy', 'SwarmRestartPolicy.NONE');
      if (mode === 'on-failure') return lib(SwarmRestartPolicy.onFailure(Number(count ?? 0)), 'SwarmRestartPolicy', `SwarmRestartPolicy.onFailure(${Number(count ?? 0)})`);
      return lib(SwarmRestartPolicy.ANY, 'SwarmRestartPolicy', 'SwarmRestartPolicy.ANY');
    }
    const at = this.where(service, 'deploy', `services.${name}.deploy.restart_policy`);
    const options: Record<string, PlanValue> = {};
    for (const key of ['delay', 'window'] as const) {
      if (policy[key] === undefined) continue;
      const ms = parseDuration(policy[key]);
      if (ms === undefined || !Number.isInteger(ms)) this.refuse(at, `restart_policy.${key} "${policy[key]}" is not a duration; write e.g. 5s`);
      else options[key] = durationCode(ms);
    }
    const values = Object.fromEntries(Object.entries(options).map(([k, v]) => [k, (v as Code).value]));
    const printed = `{ ${Object.entries(options).map(([k, v]) => `${k}: ${(v as Code).source}`).join(', ')} }`;
    const imports = [{ from: 'library' as const, name: 'SwarmRestartPolicy' }, ...(Object.keys(options).length ? [{ from: 'library' as const, name: 'Duration' }] : [])];
    const condition = policy.condition ?? 'any';
    if (condition === 'none') return lib(SwarmRestartPolicy.NONE, 'SwarmRestartPolicy', 'SwarmRestartPolicy.NONE');
    if (condition === 'on-failure') {
      const attempts = Number(policy.max_attempts ?? 0);
      return new Code(SwarmRestartPolicy.onFailure(attempts, values), `SwarmRestartPolicy.onFailure(${attempts}${Object.keys(options).length ? `, ${printed}` : ''})`, imports);
    }
    if (policy.max_attempts !== undefined) this.refuse(at, 'max_attempts applies to condition on-failure; remove it, or set condition: on-failure');
    return Object.keys(options).length
      ? new Code(SwarmRestartPolicy.any(values), `SwarmRestartPolicy.any(${printed})`, imports)
      : lib(SwarmRestartPolicy.ANY, 'SwarmRestartPolicy', 'SwarmRestartPolicy.ANY');
  }

  private updatePolicy(name: string, service: ComposeValue, update: ComposeValue | undefined): Code | undefined {
    if (!update) return undefined;
    const at = this.where(service, 'deploy', `services.${name}.deploy.update_config`);
    const options: Record<string, Code | number> = {};
    if (update.parallelism !== undefined) options.parallelism = Number(update.parallelism);
    for (const key of ['delay', 'monitor'] as const) {
      if (update[key] === undefined) continue;
      const ms = parseDuration(update[key]);
      if (ms === undefined || !Number.isInteger(ms)) this.refuse(at, `update_config.${key} "${update[key]}" is not a duration; write e.g. 10s`);
      else options[key] = durationCode(ms);
    }
    if (update.order !== undefined) {
      const constant = update.order === 'start-first' ? 'START_FIRST' : 'STOP_FIRST';
      options.order = lib((UpdateOrder as any)[constant], 'UpdateOrder', `UpdateOrder.${constant}`);
    }
    if (update.failure_action !== undefined) {
      const constant = String(update.failure_action).toUpperCase();
      if (!(constant in UpdateFailureAction)) this.refuse(at, `failure_action "${update.failure_action}" is not pause, continue or rollback`);
      else options.failureAction = lib((UpdateFailureAction as any)[constant], 'UpdateFailureAction', `UpdateFailureAction.${constant}`);
    }
    const values = Object.fromEntries(Object.entries(options).map(([k, v]) => [k, v instanceof Code ? v.value : v]));
    const printed = `{ ${Object.entries(options).map(([k, v]) => `${k}: ${v instanceof Code ? v.source : v}`).join(', ')} }`;
    const imports = [{ from: 'library' as const, name: 'UpdatePolicy' }, ...Object.values(options).flatMap((v) => (v instanceof Code ? v.imports : []))];
    return new Code(UpdatePolicy.rolling(values), `UpdatePolicy.rolling(${printed})`, imports);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Shared

  /** Services in an order where each comes after the services it depends on (by name among equals). */
  private serviceOrder(): string[] {
    const services = this.model.services;
    const order: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (name: string, path: string[]) => {
      if (state.get(name) === 'done') return;
      if (state.get(name) === 'visiting') {
        this.fail(`${describeLocation(locationOf(services[name], 'depends_on'))}: services depend on each other in a cycle: ${[...path, name].join(' -> ')}; break it.`);
      }
      state.set(name, 'visiting');
      const service = services[name];
      const needs = [
        ...Object.keys(service.depends_on ?? {}),
        ...[service.network_mode, service.ipc].map((m) => /^service:(.+)$/.exec(String(m ?? ''))?.[1]).filter((n): n is string => n !== undefined),
      ];
      for (const dependency of needs) {
        if (!services[dependency]) this.fail(`${describeLocation(locationOf(service, 'network_mode'))}: services.${name} refers to service ${dependency}, which is not defined or not active.`);
        visit(dependency, [...path, name]);
      }
      state.set(name, 'done');
      order.push(name);
    };
    Object.keys(services).forEach((name) => visit(name, []));
    return order;
  }

  /** Refuses the keys of a service, network, volume, secret or config that the key table refuses; notes the noted. */
  private checkKeys(section: string, name: string, value: ComposeValue, table: Record<string, KeyRule>): void {
    for (const key of Object.keys(value)) {
      if (key.startsWith('x-')) continue;
      const handling = table[key]?.[this.orchestrator];
      if (!handling) continue;
      const place = `${section}.${name}.${key}`;
      if (handling.outcome === 'refused') this.refuse(this.where(value, key, place), handling.text);
      if (handling.outcome === 'noted' && !(key === 'enable_ipv4' && value[key] === false)) this.notes.push(`${place}: ${handling.text}; nothing to create`);
    }
  }

  /** Refuses every key of `value` but `allowed`, each at the line of `parentKey` in `parent`. */
  private only(value: ComposeValue, allowed: string[], place: string, parent: ComposeValue, parentKey: string, reason = 'the library does not translate it; remove it'): void {
    if (typeof value !== 'object' || value === null) return;
    for (const key of Object.keys(value)) {
      if (allowed.includes(key) || key.startsWith('x-')) continue;
      this.refuse({ location: locationOf(value, key) ?? locationOf(parent, parentKey), key: `${place}.${key}` }, reason);
    }
  }

  private where(container: ComposeValue, key: string, place: string): Place {
    return { location: locationOf(container, key), key: place };
  }

  private item(service: ComposeValue, key: string, index: number, place: string): Place {
    return { location: locationOf(service[key], index) ?? locationOf(service, key), key: place };
  }

  private refuse(place: Place, reason: string): void {
    this.refusals.push({ location: place.location, key: place.key, reason });
  }

  private add(kind: string, key: string, plannedKind: PlannedKind, id: string, variable: string, props: PlanValue, settings: ResourceSetting[] = []): void {
    if (this.ids.has(id)) this.fail(`two compose objects would get the construct id "${id}" (${kind} ${key}); rename one of them.`);
    this.ids.add(id);
    let unique = variable;
    for (let i = 2; this.variables.has(unique); i++) unique = `${variable}${i}`;
    this.variables.add(unique);
    this.constructs.push({ ref: `${kind}:${key}`, composeName: key, kind: plannedKind, id, variable: unique, props, settings });
  }
}

/** Where a refusal points: the line, and the key's place in the file. */
interface Place {
  readonly location?: SourceLocation;
  readonly key: string;
}

function setting(from: string, on: string, attribute: string, value: PlanValue, put = false): ResourceSetting {
  return { from, on, attribute, put, value };
}

/** A compose mapping or `KEY=VALUE` list as strings. */
function stringMap(value: ComposeValue | string[]): Record<string, string> {
  const entries = Array.isArray(value) ? value.map((entry) => String(entry).split(/=(.*)/s)) : Object.entries(value);
  return Object.fromEntries(entries.map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]));
}

function commandOf(command: unknown): string[] | undefined {
  if (command === undefined || command === null) return undefined;
  return Array.isArray(command) ? command.map(String) : splitCommand(String(command));
}

/** `8000-8002` -> [8000, 8001, 8002]; undefined when it is not a port or range. */
function range(value: unknown): number[] | undefined {
  const match = /^(\d+)(?:-(\d+))?$/.exec(String(value));
  if (!match) return undefined;
  const [from, to] = [Number(match[1]), Number(match[2] ?? match[1])];
  return to >= from ? Array.from({ length: to - from + 1 }, (_, i) => from + i) : undefined;
}

function protocolCode(protocol: string | undefined): Code | undefined {
  if (protocol === undefined) return undefined;
  const constant = String(protocol).toUpperCase();
  return constant in Protocol ? lib((Protocol as any)[constant], 'Protocol', `Protocol.${constant}`) : undefined;
}

function driverCode(driver: string): Code {
  const constant = String(driver).toUpperCase();
  if (['BRIDGE', 'OVERLAY', 'MACVLAN', 'IPVLAN'].includes(constant)) return lib((NetworkDriver as any)[constant], 'NetworkDriver', `NetworkDriver.${constant}`);
  return lib(NetworkDriver.of(driver), 'NetworkDriver', `NetworkDriver.of(${quote(driver)})`);
}

function durationCode(ms: number): Code {
  if (ms % 60_000 === 0 && ms > 0) return lib(Duration.minutes(ms / 60_000), 'Duration', `Duration.minutes(${ms / 60_000})`);
  if (ms % 1000 === 0) return lib(Duration.seconds(ms / 1000), 'Duration', `Duration.seconds(${ms / 1000})`);
  return lib(Duration.millis(ms), 'Duration', `Duration.millis(${ms})`);
}

function fromDeployPolicy(policy: ComposeValue | undefined): string | undefined {
  if (!policy) return undefined;
  const condition = policy.condition ?? 'any';
  if (condition === 'none') return 'no';
  if (condition === 'on-failure') return `on-failure${policy.max_attempts !== undefined ? `:${policy.max_attempts}` : ''}`;
  return 'always';
}

/**
 * An absolute path as compose resolved it, written in generated code relative to the working directory
 * (`path.resolve('vote')`), as `files` are: the converted stack runs from the same folder as the project did.
 */
function pathCode(absolute: string): Code {
  const shown = displayPath(absolute);
  const source = shown === absolute ? quote(absolute) : `path.resolve(${quote(shown)})`;
  return new Code(absolute, source, shown === absolute ? [] : [{ from: 'path', name: 'path' }]);
}

/** A file's content read by Terraform (`file()`), so it stays out of cdk.tf.json. */
function fileCode(absolute: string): Code {
  const p = pathCode(absolute);
  return new Code(Fn.file(absolute), `Fn.file(${p.source})`, [...p.imports, { from: 'cdktf', name: 'Fn' }]);
}
