import { IConstruct } from 'constructs';
import { TerraformStack } from 'cdktf';

/** The constructs of `scope`'s stack that come before `scope` in tree order. */
function constructsBefore(scope: IConstruct): IConstruct[] {
  const all = TerraformStack.of(scope).node.findAll();
  return all.slice(0, all.indexOf(scope));
}

/**
 * The first construct in `scope`'s stack, before `scope` in tree order, that matches `match`.
 * Cross-construct checks report a clash once, on the later of the two constructs.
 */
export function earlierInStack<T extends IConstruct>(scope: IConstruct, match: (c: IConstruct) => c is T): T | undefined {
  return constructsBefore(scope).find(match);
}

/**
 * Adds `validate` to `scope`'s stack once, however many constructs ask for it under the same `key`: a check
 * across the whole stack that walks it once, not once per construct. The key lives on the stack under a
 * `Symbol.for` name, so two copies of the library in one app share it.
 */
export function addStackValidationOnce(scope: IConstruct, key: string, validate: (stack: TerraformStack) => string[]): void {
  const stack = TerraformStack.of(scope);
  const registry = Symbol.for('cdktf-docker-networking.stack-validations');
  const added: Set<string> = ((stack as any)[registry] ??= new Set<string>());
  if (added.has(key)) return;
  added.add(key);
  stack.node.addValidation({ validate: () => validate(stack) });
}
