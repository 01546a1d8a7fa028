import { EVERY_INTERFACE, HostBinding, hostPortsClash } from '../core/clashes';
import { Protocol } from '../container/ports';
import { PublishMode } from './service-mode';
import type { ServicePort } from './swarm-service-props';

/** What a service port binds on each node: every interface; undefined when Swarm picks the port (no `published`). */
export function hostBindingOfService(port: ServicePort): HostBinding | undefined {
  if (port.published === undefined) return undefined;
  return { port: port.published, protocol: port.protocol ?? Protocol.TCP, hostIp: EVERY_INTERFACE };
}

/** Two service ports clash when they publish the same port number and protocol (Swarm binds every interface). */
export function servicePortsClash(a: ServicePort, b: ServicePort): boolean {
  const [bindingA, bindingB] = [hostBindingOfService(a), hostBindingOfService(b)];
  return bindingA !== undefined && bindingB !== undefined && hostPortsClash(bindingA, bindingB);
}

/** `5000/tcp (host mode)`, the way messages name a published port. */
export function describeServicePort(port: ServicePort): string {
  return `${port.published ?? `(any) -> ${port.target}`}/${port.protocol ?? Protocol.TCP} (${port.mode ?? PublishMode.INGRESS} mode)`;
}
