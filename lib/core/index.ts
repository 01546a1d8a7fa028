export * from './duration';
export * from './size';
export { ValidationError } from './errors';
export { DockerNames } from './docker-names';
export { STACK_LABEL } from './labels';
