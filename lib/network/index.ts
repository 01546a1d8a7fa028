export * from './network';
export * from './network-driver';
export * from './attachment';
export type { Cidr } from './cidr';
