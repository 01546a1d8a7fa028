export { Engine } from './engine';
export type { EngineProps } from './engine';
export * from './engine-host';
export * from './swarm';
