export * from './duration';
export * from './size';
export { ValidationError } from './errors';
export { STACK_LABEL } from './labels';
