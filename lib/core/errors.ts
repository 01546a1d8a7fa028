import { IConstruct } from 'constructs';
import { Token } from 'cdktf';

/**
 * An error in the library's input, thrown at synth before anything is applied. The message starts with what
 * was wrong (a construct's kind and path, or a value class such as `Duration`), then names the value and the fix.
 */
export class ValidationError extends Error {
  /**
   * @param subject the construct whose input is wrong, or the name of the value class (`'Duration'`)
   * @param message what is wrong, with the value received and the fix
   */
  constructor(subject: IConstruct | string, message: string) {
    super(`${typeof subject === 'string' ? subject : constructLabel(subject)}: ${message}`);
    this.name = 'ValidationError';
  }
}

/** `ServiceContainer network-basics/redis`: the construct's kind and path, the way error messages name it. */
export function constructLabel(scope: IConstruct): string {
  return `${scope.constructor.name} ${scope.node.path}`;
}

/** True when the value is known at synth time (not a token resolved at apply time). */
export function isKnown(value: unknown): boolean {
  return !Token.isUnresolved(value);
}
