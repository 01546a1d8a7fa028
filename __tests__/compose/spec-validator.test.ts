/**
 * The compose-spec schema's validator ships compiled: lib/compose/schema/compose-spec-validator.ts is ajv's standalone
 * code of the vendored schema, so that a synth loads it instead of compiling the schema (about 0.4 s). This test
 * compiles the schema again with the installed ajv and fails when the committed module differs;
 * `UPDATE_COMPOSE_VALIDATOR=1 npx jest spec-validator` writes it again (after a schema update or an ajv upgrade).
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import standalone from 'ajv/dist/standalone';
import spec from '../../lib/compose/schema/compose-spec.json';

const MODULE = path.join(__dirname, '..', '..', 'lib', 'compose', 'schema', 'compose-spec-validator.ts');

/** The module's text: ajv's standalone code of the schema, as ES module syntax, which tsc compiles unchecked. */
function validatorModule(): string {
  // The schema names its draft by an https URL ajv does not know; ajv's default is that draft (07).
  const { $schema: _draft, ...schema } = spec as Record<string, unknown>;
  const ajv = new Ajv({ allErrors: true, strict: false, code: { source: true, esm: true, lines: true } });
  const code = standalone(ajv, ajv.compile(schema));
  const version = (require('ajv/package.json') as { version: string }).version;
  return [
    '// @ts-nocheck',
    `// Generated: ajv ${version}'s standalone code of compose-spec.json (allErrors). Do not edit; after a schema update`,
    '// or an ajv upgrade, `UPDATE_COMPOSE_VALIDATOR=1 npx jest spec-validator` writes it again. It needs only ajv\'s',
    '// runtime helpers (ajv/dist/runtime/*), not its compiler.',
    code,
    '',
  ].join('\n');
}

test('the shipped validator is ajv\'s code of the vendored schema, with the installed ajv', () => {
  const expected = validatorModule();
  if (process.env.UPDATE_COMPOSE_VALIDATOR === '1') fs.writeFileSync(MODULE, expected);
  const committed = fs.readFileSync(MODULE, 'utf8');
  if (committed !== expected) {
    throw new Error(`${path.relative(process.cwd(), MODULE)} is stale: run UPDATE_COMPOSE_VALIDATOR=1 npx jest spec-validator and commit it.`);
  }
});

test('it requires nothing of ajv but its runtime helpers', () => {
  const required = [...fs.readFileSync(MODULE, 'utf8').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
  expect(required.length).toBeGreaterThan(0);
  expect(required.filter((r) => !r.startsWith('ajv/dist/runtime/'))).toEqual([]);
});
