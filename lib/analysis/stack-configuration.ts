/** The stack's Docker objects as `cdk.tf.json` will hold them, resolved with as little of cdktf's resolver as it takes. */
import { IConstruct } from 'constructs';
import {
  DefaultTokenResolver,
  StringConcat,
  TerraformDataSource,
  TerraformProvider,
  TerraformResource,
  TerraformStack,
  Token,
  Tokenization,
} from 'cdktf';

/** The resource and data source types the model reads. */
const DOCKER_TYPES = new Set(['docker_container', 'docker_service', 'docker_network', 'docker_image', 'docker_volume', 'docker_secret']);
const RESOLVER = new DefaultTokenResolver(new StringConcat());
/**
 * A string that may hold a token: an encoded string, list or map token, or a number token written into a string
 * (`-1.8881545897087626e+289`, which cdktf's resolver looks for as any number with an exponent).
 */
const MAY_HOLD_TOKEN = /TfToken\[|[-|\d.+]e[-|\d.eE+]/;

/**
 * The `resource` and `data` blocks of the stack's Docker objects, and its docker provider configurations (the engines
 * they are on), as `cdk.tf.json` will hold them. Not
 * `stack.toTerraform()`, which resolves the whole stack twice over (each element, then the merged document) and
 * costs as much as writing `cdk.tf.json`: each Docker element is synthesized on its own, and only its values that
 * hold tokens go through cdktf's resolver. A stack with overrides of its own (`stack.addOverride`) is synthesized
 * whole, as those can reach into any element.
 */
export function dockerConfiguration(stack: TerraformStack): Record<string, any> {
  if (Object.keys((stack as any).rawOverrides ?? {}).length > 0) return stack.toTerraform();
  const tf: { resource: Record<string, any>; data: Record<string, any>; provider: Record<string, any[]> } = { resource: {}, data: {}, provider: {} };
  for (const element of stack.node.findAll()) {
    if (TerraformProvider.isTerraformProvider(element) && element.terraformResourceType === 'docker') {
      (tf.provider.docker ??= []).push(...resolveTokens(stack, element.toTerraform()).provider.docker);
      continue;
    }
    const isElement = TerraformResource.isTerraformResource(element) || TerraformDataSource.isTerraformDataSource(element);
    if (!isElement || !DOCKER_TYPES.has(element.terraformResourceType)) continue;
    const fragment = resolveTokens(stack, element.toTerraform());
    for (const block of ['resource', 'data'] as const) {
      for (const [type, byId] of Object.entries<Record<string, any>>(fragment[block] ?? {})) {
        Object.assign((tf[block][type] ??= {}), byId);
      }
    }
  }
  return tf;
}

/**
 * What cdktf's resolver makes of `value`, calling it only on the parts that hold tokens: it costs as much on a
 * literal as on a token, and a synthesized container is almost all literals.
 */
function resolveTokens(scope: IConstruct, value: any): any {
  const resolve = (x: unknown) => Tokenization.resolve(x, { scope, resolver: RESOLVER });
  if (value === undefined || value === null) return value;
  if (typeof value === 'string') return MAY_HOLD_TOKEN.test(value) ? resolve(value) : value;
  if (typeof value === 'number') return Token.isUnresolved(value) ? resolve(value) : value;
  if (typeof value !== 'object' || value instanceof Date) return value;
  if (Array.isArray(value)) {
    return Token.isUnresolved(value) ? resolve(value) : value.map((x) => resolveTokens(scope, x)).filter((x) => x !== undefined);
  }
  if (Tokenization.isResolvable(value)) return resolve(value);
  const result: Record<string, any> = {};
  for (const key of Object.keys(value)) {
    // Most attributes of a synthesized resource are unset.
    if (value[key] === undefined) continue;
    if (MAY_HOLD_TOKEN.test(key)) return resolve(value);
    const resolved = resolveTokens(scope, value[key]);
    if (resolved !== undefined) result[key] = resolved;
  }
  return result;
}
