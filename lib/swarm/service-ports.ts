import { isKnown } from '../core/errors';
import { Protocol } from '../container/ports';
import { PublishMode } from './service-mode';
import type { ServicePort } from './swarm-service-props';

/** Two service ports clash when they publish the same port number and protocol (Swarm binds every interface). */
export function servicePortsClash(a: ServicePort, b: ServicePort): boolean {
  if (a.published === undefined || b.published === undefined || !isKnown(a.published) || !isKnown(b.published)) return false;
  return a.published === b.published && (a.protocol ?? Protocol.TCP) === (b.protocol ?? Protocol.TCP);
}

/** `5000/tcp (host mode)`, the way messages name a published port. */
export function describeServicePort(port: ServicePort): string {
  return `${port.published ?? `(any) -> ${port.target}`}/${port.protocol ?? Protocol.TCP} (${port.mode ?? PublishMode.INGRESS} mode)`;
}
