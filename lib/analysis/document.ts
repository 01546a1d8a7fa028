import { engineOfKey, type ObjectEntry } from './build-model';
import type { EngineModel } from './model-types';
import { asArray, isLiteral } from './values';

/** The provider configuration a document's object names no provider is on. */
export const DEFAULT_PROVIDER = 'docker';

/** The objects of a Terraform JSON document's `resource` and `data` blocks, in the document's order. */
export function entriesOfDocument(document: Record<string, any>): ObjectEntry[] {
  const entries: ObjectEntry[] = [];
  for (const [block, mode, prefix] of [['resource', 'managed', ''], ['data', 'data', 'data.']] as const) {
    for (const [type, byName] of Object.entries<Record<string, any>>(document[block] ?? {})) {
      for (const [name, values] of Object.entries<Record<string, any>>(byName ?? {})) {
        const provider = typeof values?.provider === 'string' ? values.provider : DEFAULT_PROVIDER;
        entries.push({ address: `${prefix}${type}.${name}`, mode, type, values: values ?? {}, provider });
      }
    }
  }
  return entries;
}

/** The docker provider configurations of a document (`provider.docker`, one block or a list), with their hosts. */
export function enginesOfDocument(document: Record<string, any>): EngineModel[] {
  return asArray(document.provider?.[DEFAULT_PROVIDER]).map((block: Record<string, any>) => {
    const engine = engineOfKey(typeof block?.alias === 'string' ? `${DEFAULT_PROVIDER}.${block.alias}` : DEFAULT_PROVIDER);
    return isLiteral(block?.host) ? { ...engine, host: block.host } : engine;
  });
}
