/**
 * No provider JSON is read outside the model (lib/analysis): everything else reads a `DockerModel`.
 *
 * The criterion, checked on the TypeScript syntax of every source file outside lib/analysis and the tests (comments
 * do not count): no string literal or identifier (a property name, a key, a variable) is
 * - a resource or data source type of the provider (`docker_container`, `docker_network`, ...: every
 *   `tfResourceType` of @cdktf/provider-docker), which is how code finds provider objects in a document, a plan or
 *   a state;
 * - a nested block of the provider's schema with a multi-word name (`networks_advanced`, `task_spec`,
 *   `endpoint_spec`, `ipam_config`, ...: read from the provider's generated classes), the structure the model
 *   translates; single-word blocks (`ports`, `healthcheck`) are also the keys of `ContainerModel.config`, the
 *   container-terms view the policy rules read;
 * - a key of a plan's values (`prior_state`, `planned_values`).
 * Construct code names the provider's classes and their camelCase props (`networksAdvanced`), never these; the
 * argument of cdktf's `interpolationForAttribute('ipam_config')` writes a reference for Terraform to resolve at
 * apply time and reads nothing, so it does not count. lib/compose reads compose files, whose specification shares
 * some words with the provider's schema (`restart_policy`, `update_config`): there, a key the vendored compose
 * schema defines is compose's own word.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { providerBlocks, providerTypes } from './provider-schema';

const ROOT = path.resolve(__dirname, '..', '..');
const SOURCES = ['lib', 'ops', 'bench', 'tools', 'stacks', 'main.ts'];
const MODEL = path.join('lib', 'analysis') + path.sep;

const COMPOSE = path.join('lib', 'compose') + path.sep;
/** Files that write compose files (the bench's stack file for docker stack deploy): compose's own words are theirs too. */
const WRITES_COMPOSE = [path.join('bench', 'topology.ts')];

/** Every property name the vendored compose specification defines. */
function composeKeys(): Set<string> {
  const keys = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'properties' && value && typeof value === 'object') Object.keys(value).forEach((k) => keys.add(k));
        walk(value);
      }
    }
  };
  walk(JSON.parse(fs.readFileSync(path.join(ROOT, 'lib', 'compose', 'schema', 'compose-spec.json'), 'utf8')));
  return keys;
}

function sourceFiles(): string[] {
  const walk = (entry: string): string[] => {
    const full = path.join(ROOT, entry);
    if (fs.statSync(full).isFile()) return entry.endsWith('.ts') && !entry.endsWith('.d.ts') ? [entry] : [];
    return fs.readdirSync(full).flatMap((child) => walk(path.join(entry, child)));
  };
  return SOURCES.flatMap(walk).filter((file) => !file.startsWith(MODEL));
}

/** `file:line name` of each string literal and identifier of `text` (the file `file`) in `forbidden`. */
function uses(file: string, forbidden: ReadonlySet<string>, text = fs.readFileSync(path.join(ROOT, file), 'utf8')): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (isInterpolationForAttribute(node)) return;
    const name = ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isIdentifier(node) ? node.text : undefined;
    if (name !== undefined && forbidden.has(name)) {
      found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${name}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** `x.interpolationForAttribute('...')`: a reference for Terraform to resolve, not a read. */
function isInterpolationForAttribute(node: ts.Node): boolean {
  return ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'interpolationForAttribute';
}

describe('provider JSON is read in lib/analysis only', () => {
  const types = providerTypes();
  const blocks = providerBlocks()
    .map((b) => b.name)
    .filter((name) => name.includes('_'));
  const forbidden = new Set([...types, ...blocks, 'prior_state', 'planned_values']);

  test('the criterion knows the provider', () => {
    expect(types).toEqual(expect.arrayContaining(['docker_container', 'docker_service', 'docker_network', 'docker_volume', 'docker_secret']));
    expect(blocks).toEqual(expect.arrayContaining(['networks_advanced', 'task_spec', 'container_spec', 'endpoint_spec', 'ipam_config']));
  });

  test('the scan finds a provider key where one is read', () => {
    const probe =
      "// docker_container in a comment does not count, nor does a reference: x.interpolationForAttribute('ipam_config')\n" +
      "export const x = (v: any) => v.networks_advanced ?? v['docker_network'] ?? v.interpolationForAttribute('ipam_config');\n";
    expect(uses('probe.ts', forbidden, probe)).toEqual(['probe.ts:2 networks_advanced', 'probe.ts:2 docker_network']);
  });

  test('no source file outside lib/analysis names a provider type, a multi-word block or a plan side', () => {
    const files = sourceFiles();
    expect(files).toEqual(expect.arrayContaining(['ops/review/review.ts', 'ops/main-job/reconcile.ts', 'bench/topology.ts', 'lib/policy/pack.ts']));
    const composeWords = composeKeys();
    const notCompose = new Set([...forbidden].filter((name) => !composeWords.has(name)));
    expect([...composeWords]).toEqual(expect.arrayContaining(['restart_policy', 'update_config', 'networks', 'depends_on']));
    expect(files.flatMap((file) => uses(file, file.startsWith(COMPOSE) || WRITES_COMPOSE.includes(file) ? notCompose : forbidden))).toEqual([]);
  });
});
