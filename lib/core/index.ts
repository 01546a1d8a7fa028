export * from './duration';
export * from './size';
export { ValidationError } from './errors';
