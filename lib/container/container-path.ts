import { IConstruct } from 'constructs';
import { ValidationError, isKnown } from '../core/errors';

/** A path inside the container must be absolute; `example` shows the user the form. */
export function validateContainerPath(scope: IConstruct, what: string, path: string, example: string): void {
  if (isKnown(path) && !path.startsWith('/')) {
    throw new ValidationError(scope, `${what} "${path}" is not absolute; write it like "${example}".`);
  }
}
