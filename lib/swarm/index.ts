export * from './swarm-service';
export * from './swarm-service-props';
export * from './swarm-secret';
export * from './service-mode';
export * from './swarm-restart-policy';
export * from './update-policy';
export * from './placement';
export * from './orchestrator';
