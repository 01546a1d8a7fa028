import { IConstruct } from 'constructs';
import { ValidationError, isKnown } from '../core/errors';

/** The transport protocol of a published port. */
export enum Protocol {
  TCP = 'tcp',
  UDP = 'udp',
}

/** A container port published on the host (`docker run -p HOST_IP:EXTERNAL:INTERNAL/PROTOCOL`). */
export interface PortMapping {
  /** The port the process listens on inside the container. */
  readonly internal: number;

  /**
   * The port on the host.
   * @default - Docker picks a free host port
   */
  readonly external?: number;

  /**
   * The host address the port is published on.
   * @default '0.0.0.0' - every host interface, as `docker run -p` does
   */
  readonly hostIp?: string;

  /**
   * @default Protocol.TCP
   */
  readonly protocol?: Protocol;
}

export function validatePort(scope: IConstruct, field: string, port: number | undefined): void {
  if (port === undefined || !isKnown(port)) return;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ValidationError(scope, `${field} ${port} is not a port number; use a whole number from 1 to 65535.`);
  }
}

/** Checks both port numbers of a mapping. */
export function validatePortMapping(scope: IConstruct, port: PortMapping): void {
  validatePort(scope, 'internal port', port.internal);
  validatePort(scope, 'external port', port.external);
}

const ALL_INTERFACES = new Set([undefined, '0.0.0.0', '::', '']);

/** Two mappings clash when they bind the same host port and protocol on overlapping host addresses. */
export function portsClash(a: PortMapping, b: PortMapping): boolean {
  if (a.external === undefined || b.external === undefined) return false;
  if (!isKnown(a.external) || !isKnown(b.external) || !isKnown(a.hostIp) || !isKnown(b.hostIp)) return false;
  if (a.external !== b.external || (a.protocol ?? Protocol.TCP) !== (b.protocol ?? Protocol.TCP)) return false;
  return a.hostIp === b.hostIp || ALL_INTERFACES.has(a.hostIp) || ALL_INTERFACES.has(b.hostIp);
}

/** `127.0.0.1:5000/tcp`, the way messages name a host port. */
export function describePort(port: PortMapping): string {
  return `${port.hostIp ?? '0.0.0.0'}:${port.external}/${port.protocol ?? Protocol.TCP}`;
}
