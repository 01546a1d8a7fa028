export * from './docker-policy';
export * from './testing';
