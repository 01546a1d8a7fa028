/** What the tests know of the provider's schema, read from its generated classes (@cdktf/provider-docker). */
import * as fs from 'fs';
import * as path from 'path';

const PROVIDER = path.dirname(require.resolve('@cdktf/provider-docker/package.json'));

/** The generated module of each of `names` (`container`, `data-docker-network`), by default all of them. */
function providerModules(names?: readonly string[]): string[] {
  const lib = path.join(PROVIDER, 'lib');
  return (names ?? fs.readdirSync(lib)).map((entry) => path.join(lib, entry, 'index.js')).filter((file) => fs.existsSync(file));
}

/** Every resource and data source type of the provider. */
export function providerTypes(): string[] {
  const types = providerModules().flatMap((file) => [...fs.readFileSync(file, 'utf8').matchAll(/\.tfResourceType = "(docker_[a-z_]+)"/g)].map((m) => m[1]));
  return [...new Set(types)];
}

/**
 * The nested blocks of the provider's schema: each generated `...ToTerraform` writes them with a function of its own,
 * through `cdktf.listMapper` where the block holds a list; `single` where it holds at most one element everywhere.
 * `modules`: the generated modules to read (`container`, `data-docker-network`), by default all.
 */
export function providerBlocks(modules?: readonly string[]): { name: string; single: boolean }[] {
  const blocks = new Map<string, boolean>();
  for (const file of providerModules(modules)) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/^\s+([a-z_]+): (cdktf\.listMapper\()?[a-zA-Z]+ToTerraform\b/gm)) {
      blocks.set(m[1], (blocks.get(m[1]) ?? true) && m[2] === undefined);
    }
  }
  return [...blocks].map(([name, single]) => ({ name, single }));
}
