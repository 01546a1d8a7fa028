// The public API. One folder a concept; see docs/architecture.md for what each may import.
export * from './core';
export * from './engine';
export * from './network';
export * from './container';
export * from './swarm';
export * from './compose';
export * from './voting-app';
export * from './analysis';
export * from './policy';
export * from './reachability';
export * from './checks';
export * from './state';
