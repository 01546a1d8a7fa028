/**
 * The voting app's topology, read from the JSON that `cdktf synth` writes for the `voting-app` stack through the
 * library's model (`DockerModel.fromDocument`), and turned into the two other ways of running it: a docker-compose
 * file and the tutorial's `docker network create` / `docker run` commands. Reading the synthesized stack keeps the
 * three methods on the same images, networks, aliases, ports, healthchecks, limits and security options.
 */
import * as path from 'path';
import { ContainerModel, DockerModel } from '../lib';

/** One container, in terms all three methods share. */
export interface Service {
  readonly name: string;
  readonly image: string;
  /** Network names in the stack's order, with the aliases on each. */
  readonly networks: { name: string; aliases: string[] }[];
  readonly ports: { internal: number; external: number; ip: string }[];
  readonly env: string[];
  /** Docker's healthcheck test, e.g. ['CMD', 'redis-cli', 'ping'] or ['CMD-SHELL', 'pg_isready ...']. */
  readonly healthcheck?: { test: string[]; interval: string; timeout: string; retries: number; startPeriod: string };
  readonly restart: string;
  readonly memoryMb?: number;
  readonly cpuPeriod?: number;
  readonly cpuQuota?: number;
  readonly capAdd: string[];
  readonly capDrop: string[];
  readonly readOnly: boolean;
  readonly tmpfs: Record<string, string>;
  readonly securityOpts: string[];
  readonly stopSignal?: string;
  /** Paths of files the stack uploads with the database password as content. */
  readonly passwordFiles: string[];
  /** Named volumes mounted into the container. */
  readonly volumes: { name: string; path: string; readOnly: boolean }[];
  /** Services created only after these (and after they are healthy, where they have a healthcheck). */
  readonly dependsOn: string[];
}

export interface Topology {
  /** In an order that respects dependsOn. */
  readonly services: Service[];
  readonly networks: string[];
  readonly volumes: string[];
}

/** Reads the containers, networks and volumes of a synthesized voting-app stack (cdk.tf.json). */
export function topologyFromStack(json: Record<string, any>): Topology {
  const model = DockerModel.fromDocument(json);
  const services = model.containers.map((c) => serviceOf(c, model));
  return {
    services: dependencyOrder(services),
    networks: model.networks.map((n) => n.name),
    volumes: model.volumes.map((v) => v.name),
  };
}

/** A container of the model in the three methods' terms; its settings come from `config`, the provider's terms. */
function serviceOf(c: ContainerModel, model: DockerModel): Service {
  if (c.kind !== 'container') throw new Error(`${c.name}: a Swarm service; the bench runs the voting app as containers`);
  if (c.image === undefined) throw new Error(`${c.name}: its image is known only at apply time`);
  const config = c.config;
  const passwordFiles = (config.upload ?? []).map((u: { file: string; content: string }) => {
    if (u.content !== '${var.db_password}') throw new Error(`${c.name}: only the password upload is supported, got ${u.file}`);
    return u.file;
  });
  const healthcheck = config.healthcheck;
  return {
    name: c.name,
    image: c.image,
    networks: c.networks.map((n) => ({ name: n.networkName, aliases: n.aliases })),
    ports: c.ports.map((p) => ({ internal: p.internal, external: p.external!, ip: p.ip ?? '0.0.0.0' })),
    env: config.env ?? [],
    healthcheck: healthcheck && {
      test: healthcheck.test,
      interval: healthcheck.interval,
      timeout: healthcheck.timeout,
      retries: healthcheck.retries,
      startPeriod: healthcheck.start_period,
    },
    restart: config.restart ?? 'no',
    memoryMb: config.memory,
    cpuPeriod: config.cpu_period,
    cpuQuota: config.cpu_quota,
    capAdd: config.capabilities?.add ?? [],
    capDrop: config.capabilities?.drop ?? [],
    readOnly: config.read_only ?? false,
    tmpfs: config.tmpfs ?? {},
    securityOpts: config.security_opts ?? [],
    stopSignal: config.stop_signal,
    passwordFiles,
    volumes: c.mounts
      .filter((m) => m.type === 'volume')
      .map((m) => {
        if (m.source === undefined) throw new Error(`${c.name}: the volume at ${m.target} is known only at apply time`);
        return { name: m.source, path: m.target, readOnly: m.readOnly };
      }),
    dependsOn: c.dependsOn.map((address) => {
      const name = model.workloadAt(address)?.name;
      if (!name) throw new Error(`${c.name}: depends on ${address}, which is not a container`);
      return name;
    }),
  };
}

function dependencyOrder(services: Service[]): Service[] {
  const done = new Set<string>();
  const ordered: Service[] = [];
  while (ordered.length < services.length) {
    const next = services.filter((s) => !done.has(s.name) && s.dependsOn.every((d) => done.has(d)));
    if (next.length === 0) throw new Error('dependency cycle among the containers');
    next.forEach((s) => (done.add(s.name), ordered.push(s)));
  }
  return ordered;
}

/** Labels that mark what the bench created, so that a failed run cleans up its own containers and nothing else. */
export const BENCH_LABEL = 'cdktf-docker-networking.bench';

/**
 * A docker-compose file (format 2.4, which Debian's docker-compose 1.29 reads and which has
 * `depends_on: condition: service_healthy`, so `up -d` starts vote, worker and result once redis and db are
 * healthy). JSON is valid YAML. The password file is bind-mounted read-only at the path the stack uploads it to.
 */
export function composeFile(topology: Topology, passwordFile: string): object {
  const services: Record<string, object> = {};
  for (const s of topology.services) {
    const healthy = new Set(topology.services.filter((d) => d.healthcheck).map((d) => d.name));
    services[s.name] = {
      image: s.image,
      container_name: s.name,
      restart: s.restart,
      labels: { [BENCH_LABEL]: 'compose' },
      networks: Object.fromEntries(s.networks.map((n) => [n.name, n.aliases.length > 0 ? { aliases: n.aliases } : {}])),
      ...(s.ports.length > 0 ? { ports: s.ports.map((p) => `${p.ip}:${p.external}:${p.internal}`) } : {}),
      ...(s.env.length > 0 ? { environment: s.env } : {}),
      ...(s.healthcheck
        ? {
            healthcheck: {
              test: s.healthcheck.test,
              interval: s.healthcheck.interval,
              timeout: s.healthcheck.timeout,
              retries: s.healthcheck.retries,
              start_period: s.healthcheck.startPeriod,
            },
          }
        : {}),
      ...(s.memoryMb !== undefined ? { mem_limit: `${s.memoryMb}m`, memswap_limit: `${s.memoryMb}m` } : {}),
      ...(s.cpuQuota !== undefined ? { cpu_period: s.cpuPeriod, cpu_quota: s.cpuQuota } : {}),
      ...(s.capAdd.length > 0 ? { cap_add: s.capAdd } : {}),
      ...(s.capDrop.length > 0 ? { cap_drop: s.capDrop } : {}),
      ...(s.readOnly ? { read_only: true } : {}),
      ...(Object.keys(s.tmpfs).length > 0 ? { tmpfs: Object.entries(s.tmpfs).map(([p, o]) => (o ? `${p}:${o}` : p)) } : {}),
      ...(s.securityOpts.length > 0 ? { security_opt: s.securityOpts } : {}),
      ...(s.stopSignal ? { stop_signal: s.stopSignal } : {}),
      ...(s.passwordFiles.length + s.volumes.length > 0
        ? {
            volumes: [
              ...s.volumes.map((v) => `${v.name}:${v.path}${v.readOnly ? ':ro' : ''}`),
              ...s.passwordFiles.map((f) => `${passwordFile}:${f}:ro`),
            ],
          }
        : {}),
      ...(s.dependsOn.length > 0
        ? {
            depends_on: Object.fromEntries(
              s.dependsOn.map((d) => [d, { condition: healthy.has(d) ? 'service_healthy' : 'service_started' }]),
            ),
          }
        : {}),
    };
  }
  return {
    version: '2.4',
    services,
    networks: Object.fromEntries(topology.networks.map((n) => [n, { name: n, labels: { [BENCH_LABEL]: 'compose' } }])),
    volumes: Object.fromEntries(topology.volumes.map((v) => [v, { name: v, labels: { [BENCH_LABEL]: 'compose' } }])),
  };
}

const q = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

/**
 * The tutorial's way, as a bash script: `docker network create` for each network, then `docker run -d` for each
 * container in dependency order, each on its last network with `docker network connect` for the others (the
 * tutorial's `docker network connect backend-network vote`). The tutorial never waits for health; to start
 * vote, worker and result only once redis and db answer, as compose and Terraform do, the script polls
 * `docker inspect` for "healthy" before running a container that depends on them (bounded: 150 s).
 * Healthchecks are given with `--health-cmd`, which always runs through the shell (CMD-SHELL).
 */
export function dockerRunScript(topology: Topology, passwordFile: string): string {
  const lines = [
    'set -euo pipefail',
    'wait_healthy() {',
    '  local c="$1" i status',
    '  for i in $(seq 1 1500); do',
    '    status="$(docker inspect --format "{{.State.Health.Status}}" "$c")"',
    '    [ "$status" = healthy ] && return 0',
    '    sleep 0.1',
    '  done',
    '  echo "$c did not become healthy within 150 s" >&2; return 1',
    '}',
  ];
  for (const network of topology.networks) lines.push(`docker network create --label ${BENCH_LABEL}=docker-run ${q(network)} >/dev/null`);
  for (const volume of topology.volumes) lines.push(`docker volume create --label ${BENCH_LABEL}=docker-run ${q(volume)} >/dev/null`);
  const healthy = new Set(topology.services.filter((s) => s.healthcheck).map((s) => s.name));
  const waited = new Set<string>();
  for (const s of topology.services) {
    for (const dep of s.dependsOn.filter((d) => healthy.has(d) && !waited.has(d))) {
      lines.push(`wait_healthy ${q(dep)}`);
      waited.add(dep);
    }
    const [first, ...others] = [...s.networks].reverse();
    const args: string[] = ['docker', 'run', '-d', '--name', q(s.name), '--label', `${BENCH_LABEL}=docker-run`, '--restart', q(s.restart)];
    if (first) {
      args.push('--network', q(first.name));
      for (const alias of first.aliases) args.push('--network-alias', q(alias));
    }
    for (const p of s.ports) args.push('-p', q(`${p.ip}:${p.external}:${p.internal}`));
    for (const e of s.env) args.push('-e', q(e));
    if (s.healthcheck) {
      const [kind, ...command] = s.healthcheck.test;
      const plain = (word: string) => /^[\w./:=-]+$/.test(word);
      const shell = kind === 'CMD-SHELL' || command.every(plain) ? command.join(' ') : command.map(q).join(' ');
      args.push('--health-cmd', q(shell), '--health-interval', s.healthcheck.interval, '--health-timeout', s.healthcheck.timeout);
      args.push('--health-retries', String(s.healthcheck.retries), '--health-start-period', s.healthcheck.startPeriod);
    }
    if (s.memoryMb !== undefined) args.push('--memory', `${s.memoryMb}m`, '--memory-swap', `${s.memoryMb}m`);
    if (s.cpuQuota !== undefined) args.push('--cpu-period', String(s.cpuPeriod), '--cpu-quota', String(s.cpuQuota));
    for (const c of s.capDrop) args.push('--cap-drop', q(c));
    for (const c of s.capAdd) args.push('--cap-add', q(c));
    if (s.readOnly) args.push('--read-only');
    for (const [p, o] of Object.entries(s.tmpfs)) args.push('--tmpfs', q(o ? `${p}:${o}` : p));
    for (const o of s.securityOpts) args.push('--security-opt', q(o));
    if (s.stopSignal) args.push('--stop-signal', q(s.stopSignal));
    for (const v of s.volumes) args.push('-v', q(`${v.name}:${v.path}${v.readOnly ? ':ro' : ''}`));
    for (const f of s.passwordFiles) args.push('-v', q(`${passwordFile}:${f}:ro`));
    args.push(q(s.image), '>/dev/null');
    lines.push(args.join(' '));
    for (const n of others) {
      lines.push(['docker', 'network', 'connect', ...n.aliases.flatMap((a) => ['--alias', q(a)]), q(n.name), q(s.name)].join(' '));
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The Swarm variant of the voting-app stack (`VOTING_APP_ORCHESTRATOR=swarm`) as a file for `docker stack deploy`,
 * in the form of upstream's docker-stack.yml (compose file format 3 with `deploy:` keys): the same images, overlay
 * networks, aliases, published ports and their mode, endpoint modes, replicas, placement, update order, restart
 * condition, limits, capabilities, healthchecks, the volume and the password as a Swarm secret (not the stop signal,
 * which the model does not carry for a service: upstream's file sets none). Networks, the volume
 * and the secret keep their names (`name:`), so the stack builds what the Terraform stack builds; only the services'
 * names carry the stack's namespace (`<stack>_vote`). JSON is valid YAML.
 */
export function stackFile(json: Record<string, any>, passwordFile: string): object {
  const model = DockerModel.fromDocument(json);
  const services: Record<string, object> = {};
  for (const c of model.containers) {
    if (c.kind !== 'service' || !c.swarm) throw new Error(`${c.name}: a container; the stack file holds Swarm services only`);
    if (c.image === undefined) throw new Error(`${c.name}: its image is known only at apply time`);
    const config = c.config;
    const swarm = c.swarm;
    const healthcheck = config.healthcheck;
    const volumes = c.mounts.filter((m) => m.type === 'volume');
    services[c.name] = {
      image: c.image,
      networks: Object.fromEntries(c.networks.map((n) => [n.networkName, n.aliases.length > 0 ? { aliases: n.aliases } : {}])),
      ...(config.env?.length ? { environment: config.env } : {}),
      ...(c.ports.length > 0
        ? { ports: c.ports.map((p) => ({ target: p.internal, published: p.external, protocol: p.protocol, mode: p.publishMode ?? 'ingress' })) }
        : {}),
      ...(swarm.secrets.length > 0
        ? { secrets: swarm.secrets.map((s) => ({ source: s.secretName, target: path.basename(s.fileName), mode: 0o444 })) }
        : {}),
      ...(volumes.length > 0 ? { volumes: volumes.map((v) => `${v.source}:${v.target}${v.readOnly ? ':ro' : ''}`) } : {}),
      ...(healthcheck
        ? {
            healthcheck: {
              test: healthcheck.test,
              interval: healthcheck.interval,
              timeout: healthcheck.timeout,
              retries: healthcheck.retries,
              start_period: healthcheck.start_period,
            },
          }
        : {}),
      ...(config.capabilities?.add?.length ? { cap_add: config.capabilities.add } : {}),
      ...(config.capabilities?.drop?.length ? { cap_drop: config.capabilities.drop } : {}),
      labels: { [BENCH_LABEL]: 'stack' },
      deploy: {
        mode: swarm.mode,
        ...(swarm.replicas !== undefined ? { replicas: swarm.replicas } : {}),
        endpoint_mode: swarm.endpointMode,
        ...(swarm.placement.constraints.length > 0 ? { placement: { constraints: swarm.placement.constraints } } : {}),
        update_config: { parallelism: swarm.updatePolicy.parallelism, order: swarm.updatePolicy.order },
        restart_policy: { condition: ({ always: 'any', no: 'none' } as Record<string, string>)[config.restart] ?? config.restart },
        ...(config.memory !== undefined || config.cpus !== undefined
          ? { resources: { limits: { ...(config.memory !== undefined ? { memory: `${config.memory}M` } : {}), ...(config.cpus !== undefined ? { cpus: String(config.cpus) } : {}) } } }
          : {}),
      },
    };
  }
  const labels = { [BENCH_LABEL]: 'stack' };
  return {
    version: '3.8',
    services,
    networks: Object.fromEntries(
      model.networks.map((n) => [n.name, { name: n.name, driver: n.driver ?? 'overlay', attachable: n.attachable, labels }]),
    ),
    volumes: Object.fromEntries(model.volumes.map((v) => [v.name, { name: v.name, labels }])),
    secrets: Object.fromEntries(model.secrets.map((s) => [s.name, { name: s.name, file: passwordFile, labels }])),
  };
}
