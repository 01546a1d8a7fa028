/** Swarm helpers for the deploy tier: the engine's swarm state, services, tasks and IPVS. */
import * as fs from 'fs';
import { docker, dockerOk } from './docker';

/** `inactive`, `active`, `pending`, `error` or `locked`: `docker info`'s Swarm.LocalNodeState. */
export function swarmState(): string {
  return dockerOk(['info', '--format', '{{.Swarm.LocalNodeState}}']);
}

export function isSwarmManager(): boolean {
  return dockerOk(['info', '--format', '{{.Swarm.ControlAvailable}}']) === 'true';
}

/**
 * Whether this kernel has IPVS (the `ip_vs` module), which Swarm's service virtual IPs and the ingress routing mesh
 * need. Read from /sys/module and /proc/modules: no module is loaded to find out.
 */
export function hasIpvs(): boolean {
  if (fs.existsSync('/sys/module/ip_vs') || fs.existsSync('/proc/net/ip_vs')) return true;
  try {
    return /^ip_vs\s/m.test(fs.readFileSync('/proc/modules', 'utf8'));
  } catch {
    return false;
  }
}

export function serviceExists(name: string): boolean {
  return docker(['service', 'inspect', '--format', '{{.ID}}', name]).code === 0;
}

export function secretExists(name: string): boolean {
  return docker(['secret', 'inspect', '--format', '{{.ID}}', name]).code === 0;
}

/** The service's spec version: it changes whenever the service is updated. */
export function serviceVersion(name: string): number {
  return Number(dockerOk(['service', 'inspect', '--format', '{{.Version.Index}}', name]));
}

/** The current state of each task of the service (`Running 5 seconds ago`, `Shutdown 1 second ago`, ...). */
export function taskStates(service: string): string[] {
  const result = docker(['service', 'ps', service, '--format', '{{.CurrentState}}'], 10_000);
  return result.code === 0 ? result.stdout.split('\n').filter(Boolean) : [];
}

/** How many tasks of the service are running right now. */
export function runningTasks(service: string): number {
  return taskStates(service).filter((state) => state.startsWith('Running')).length;
}

/** The ids of the running containers of the service's tasks on this engine. */
export function taskContainers(service: string): string[] {
  return dockerOk(['ps', '--filter', `label=com.docker.swarm.service.name=${service}`, '--format', '{{.ID}}'])
    .split('\n')
    .filter(Boolean);
}

/** A task container's address on one network. */
export function taskIp(container: string, network: string): string {
  const ip = dockerOk(['inspect', '--format', `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`, container]);
  if (!ip) throw new Error(`task container ${container} has no address on ${network}`);
  return ip;
}
