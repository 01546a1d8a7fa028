export * from './duration';
export * from './size';
export { ValidationError } from './errors';
export { DockerNames } from './docker-names';
export { REPLACE_ON_CHANGE_LABEL, STACK_LABEL } from './labels';
