import { IConstruct } from 'constructs';
import { ValidationError, isKnown } from '../core/errors';
import { HostBinding, hostPortsClash } from '../core/clashes';
import { parseIpAddress } from '../core/ip-address';

/** The transport protocol of a published port. */
export enum Protocol {
  TCP = 'tcp',
  UDP = 'udp',
  SCTP = 'sctp',
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
   * The host address the port is published on: an IPv4 or IPv6 address, not a host name. Use '0.0.0.0' (or '::')
   * to serve other machines, as `docker run -p` does by default.
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

/** Docker publishes TCP, UDP and SCTP ports; anything else (a misspelling, `'TCP'`) fails at apply. */
export function validateProtocol(scope: IConstruct, port: number, protocol: Protocol | undefined): void {
  if (protocol === undefined || !isKnown(protocol) || Object.values(Protocol).includes(protocol)) return;
  throw new ValidationError(
    scope,
    `port ${port} has protocol "${protocol}", which Docker does not publish; use Protocol.TCP, Protocol.UDP or Protocol.SCTP.`,
  );
}

/** Checks both port numbers, the host address and the protocol of a mapping. */
export function validatePortMapping(scope: IConstruct, port: PortMapping): void {
  validatePort(scope, 'internal port', port.internal);
  validatePort(scope, 'external port', port.external);
  validateProtocol(scope, port.internal, port.protocol);
  const hostIp = port.hostIp;
  // An empty hostIp is Docker's "every interface", as the provider reads it.
  if (hostIp !== undefined && hostIp !== '' && isKnown(hostIp) && parseIpAddress(hostIp) === undefined) {
    throw new ValidationError(
      scope,
      `hostIp "${hostIp}" is not an IP address, and Docker publishes ports on IP addresses only; write "127.0.0.1" for ` +
        'this host only, "0.0.0.0" (or "::") for every interface, or another address of this host.',
    );
  }
}

/** What a mapping binds on the host; undefined when Docker picks the host port (no `external`). */
export function hostBindingOf(port: PortMapping): HostBinding | undefined {
  if (port.external === undefined) return undefined;
  return { port: port.external, protocol: port.protocol ?? Protocol.TCP, hostIp: port.hostIp ?? DEFAULT_HOST_IP };
}

/** Two mappings clash when they bind the same host port and protocol on overlapping host addresses. */
export function portsClash(a: PortMapping, b: PortMapping): boolean {
  const [bindingA, bindingB] = [hostBindingOf(a), hostBindingOf(b)];
  return bindingA !== undefined && bindingB !== undefined && hostPortsClash(bindingA, bindingB);
}

/** `127.0.0.1:5000/tcp` or `[::1]:5000/tcp`, the way messages name a host port. */
export function describePort(port: PortMapping): string {
  const hostIp = port.hostIp ?? DEFAULT_HOST_IP;
  return `${hostIp.includes(':') ? `[${hostIp}]` : hostIp}:${port.external}/${port.protocol ?? Protocol.TCP}`;
}
