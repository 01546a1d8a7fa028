import type { INetwork } from './network';

/** How a container joins one network (`docker network connect`). */
export interface ConnectOptions {
  /**
   * Extra names under which the container answers on this network only (`--alias`).
   * @default - only the container's name
   */
  readonly aliases?: string[];

  /**
   * A fixed IPv4 address; the network must have a `subnet` that contains it.
   * @default - Docker assigns a free address
   */
  readonly ipv4Address?: string;
}

/** A container's attachment to one network. */
export interface NetworkAttachment extends ConnectOptions {
  readonly network: INetwork;
}
