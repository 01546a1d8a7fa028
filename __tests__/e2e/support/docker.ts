/** Docker helpers for the deploy tier: what the engine says, and what a container sees from inside. */
import { spawnSync } from 'child_process';

export interface DockerResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `docker <args>`, bounded in time; never throws. */
export function docker(args: string[], timeoutMs = 30_000, input?: Buffer | string): DockerResult {
  const result = spawnSync('docker', args, { encoding: 'utf8', timeout: timeoutMs, input, maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout ?? '', stderr: (result.stderr ?? '') + (result.error ? String(result.error) : '') };
}

/** `docker <args>`; throws with docker's message when it fails. */
export function dockerOk(args: string[], timeoutMs = 30_000): string {
  const result = docker(args, timeoutMs);
  if (result.code !== 0) throw new Error(`docker ${args.join(' ')} failed (${result.code}): ${result.stderr.trim()}`);
  return result.stdout.trim();
}

export function imageExists(ref: string): boolean {
  return docker(['image', 'inspect', '--format', '{{.Id}}', ref]).code === 0;
}

export function imageId(ref: string): string | undefined {
  const result = docker(['image', 'inspect', '--format', '{{.Id}}', ref]);
  return result.code === 0 ? result.stdout.trim() : undefined;
}

export function containerExists(name: string): boolean {
  return docker(['container', 'inspect', '--format', '{{.Id}}', name]).code === 0;
}

export function networkExists(name: string): boolean {
  return docker(['network', 'inspect', '--format', '{{.Id}}', name]).code === 0;
}

/** Names of the containers whose name starts with `prefix` (running or not). */
export function containersNamed(prefix: string): string[] {
  return dockerOk(['ps', '-a', '--filter', `name=^${prefix}`, '--format', '{{.Names}}']).split('\n').filter(Boolean);
}

/** Names of the networks whose name starts with `prefix`. */
export function networksNamed(prefix: string): string[] {
  return dockerOk(['network', 'ls', '--filter', `name=^${prefix}`, '--format', '{{.Name}}']).split('\n').filter(Boolean);
}

export interface NetworkInfo {
  readonly Name: string;
  readonly Id: string;
  readonly Driver: string;
  readonly Internal: boolean;
  readonly Attachable: boolean;
  readonly Labels: Record<string, string> | null;
  readonly IPAM: { Config: { Subnet?: string; Gateway?: string; IPRange?: string }[] | null };
  readonly Containers: Record<string, { Name: string; IPv4Address: string }> | null;
}

export function inspectNetwork(name: string): NetworkInfo {
  return (JSON.parse(dockerOk(['network', 'inspect', name])) as NetworkInfo[])[0];
}

/** The parts of `docker container inspect` the suites read. */
export interface ContainerInfo {
  readonly Id: string;
  readonly Name: string;
  readonly Created: string;
  readonly RestartCount: number;
  readonly State: {
    Running: boolean;
    Status: string;
    Pid: number;
    StartedAt: string;
    Health?: { Status: string; FailingStreak: number };
  };
  readonly Config: {
    Image: string;
    Labels: Record<string, string> | null;
    Healthcheck?: { Test: string[]; Interval: number; Timeout: number; Retries: number };
  };
  readonly HostConfig: { RestartPolicy: { Name: string }; CpuQuota: number; CpuPeriod: number; NanoCpus: number };
  readonly Image: string;
  readonly NetworkSettings: {
    Networks: Record<string, { Aliases: string[] | null; IPAddress: string; NetworkID: string }>;
  };
}

export function inspectContainer(name: string): ContainerInfo {
  return (JSON.parse(dockerOk(['container', 'inspect', name])) as ContainerInfo[])[0];
}

/** The networks a container is attached to, sorted, e.g. `['basics-network', 'frontend-network2']`. */
export function containerNetworks(name: string): string[] {
  return Object.keys(inspectContainer(name).NetworkSettings.Networks).sort();
}

/** The aliases a container answers to on one network (Docker also lists its short id there). */
export function containerAliases(name: string, network: string): string[] {
  return inspectContainer(name).NetworkSettings.Networks[network]?.Aliases ?? [];
}

export function containerIp(name: string, network: string): string {
  const ip = inspectContainer(name).NetworkSettings.Networks[network]?.IPAddress;
  if (!ip) throw new Error(`container ${name} has no address on network ${network}`);
  return ip;
}

/** `docker exec <container> <command...>`, bounded in time; never throws. */
export function exec(container: string, command: string[], timeoutMs = 20_000): DockerResult {
  return docker(['exec', container, ...command], timeoutMs);
}

/** The nameserver lines of a container's /etc/resolv.conf. */
export function nameservers(container: string): string[] {
  return exec(container, ['cat', '/etc/resolv.conf'])
    .stdout.split('\n')
    .filter((line) => line.startsWith('nameserver'))
    .map((line) => line.split(/\s+/)[1]);
}

/**
 * The IPv4 addresses `name` resolves to from inside `container` through its resolver (Docker's embedded DNS on a
 * user network), or `[]` when it does not resolve. Uses busybox `nslookup`.
 */
export function resolve(container: string, name: string): string[] {
  const result = exec(container, ['nslookup', '-type=a', name]);
  if (result.code !== 0) return [];
  // busybox prints the server first ("Server: 127.0.0.11", "Address: 127.0.0.11:53"), then the answers.
  const answers = result.stdout.split(/\n\s*\n/).slice(1).join('\n');
  return [...answers.matchAll(/Address(?:\s+\d+)?:\s*(\d+\.\d+\.\d+\.\d+)(?!:)/g)].map((m) => m[1]);
}

/** Whether one ICMP echo from `container` to `target` (name or address) is answered within a second. */
export function pings(container: string, target: string): boolean {
  return exec(container, ['ping', '-c', '1', '-W', '1', target]).code === 0;
}

/**
 * The body `wget` gets from `url` inside `container`, or undefined when the request fails (3 s timeout).
 * Bounded with busybox `timeout`, not `wget -T`: Debian's static busybox wget crashes (SIGSEGV, exit 139) with -T.
 */
export function wget(container: string, url: string): string | undefined {
  const result = exec(container, ['timeout', '3', 'wget', '-q', '-O', '-', url]);
  return result.code === 0 ? result.stdout : undefined;
}

/**
 * Removes containers and networks left by an earlier run that was killed or whose apply crashed half way (the
 * state then misses what was created), so that a deploy does not fail on "already exists". Says what it removed.
 */
export function removeLeftovers(names: { containers: string[]; networks: string[] }): void {
  const containers = names.containers.filter(containerExists);
  if (containers.length > 0) docker(['rm', '-f', ...containers], 60_000);
  const networks = names.networks.filter(networkExists);
  for (const network of networks) docker(['network', 'rm', network]);
  if (containers.length + networks.length > 0) {
    process.stderr.write(`deploy tier: removed leftovers of an earlier run: ${[...containers, ...networks].join(', ')}\n`);
  }
}

/**
 * The image the busybox-based suites run: Debian's busybox-static in an otherwise empty image, built by
 * `npm run images:local` (images/toolbox/), so the host needs no busybox of its own.
 */
export const TOOLBOX_IMAGE = 'voting-app-local/toolbox:local';
