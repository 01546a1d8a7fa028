import type { ObjectEntry } from './build-model';

/** The objects of a Terraform JSON document's `resource` and `data` blocks, in the document's order. */
export function entriesOfDocument(document: Record<string, any>): ObjectEntry[] {
  const entries: ObjectEntry[] = [];
  for (const [block, mode, prefix] of [['resource', 'managed', ''], ['data', 'data', 'data.']] as const) {
    for (const [type, byName] of Object.entries<Record<string, any>>(document[block] ?? {})) {
      for (const [name, values] of Object.entries<Record<string, any>>(byName ?? {})) {
        entries.push({ address: `${prefix}${type}.${name}`, mode, type, values: values ?? {} });
      }
    }
  }
  return entries;
}
