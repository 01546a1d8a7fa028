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
   * The host address the port is published on. Use '0.0.0.0' to serve other machines, as `docker run -p` does
   * by default.
   * @default '127.0.0.1' - this host only: a published port is not exposed to the network by accident
   */
  readonly hostIp?: string;

  /**
   * @default Protocol.TCP
   */
  readonly protocol?: Protocol;
}

/** Where a port is published when `hostIp` is not given: loopback, unlike `docker run -p`. */
export const DEFAULT_HOST_IP = '127.0.0.1';

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
  return `${port.hostIp ?? DEFAULT_HOST_IP}:${port.external}/${port.protocol ?? Protocol.TCP}`;
}
