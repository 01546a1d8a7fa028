import type { INetwork } from './network';

/** How a container joins one network (`docker network connect`). */
export interface ConnectOptions {
  /**
   * Extra names under which the container answers on this network only (`--alias`).
   * @default - only the container's name
   */
  readonly aliases?: string[];

  /**
   * A fixed IPv4 address; the network must have an IPv4 `subnet` that contains it.
   * @default - Docker assigns a free address
   */
  readonly ipv4Address?: string;

  /**
   * A fixed IPv6 address, e.g. `fd00:28::10`; the network must have an IPv6 `subnet` that contains it.
   * @default - on a network with IPv6, Docker assigns a free address
   */
  readonly ipv6Address?: string;
}

/** A container's attachment to one network. */
export interface NetworkAttachment extends ConnectOptions {
  readonly network: INetwork;
}
