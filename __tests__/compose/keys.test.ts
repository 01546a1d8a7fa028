/**
 * Nothing of the compose specification is dropped by accident: every property of the vendored schema's service,
 * network, volume, secret and config definitions has a row in lib/compose/keys.ts and in the table of
 * docs/compose.md, and the page says what the code does. `UPDATE_KEY_TABLE=1 npx jest compose/keys` rewrites the
 * page's table from keys.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { KEY_TABLES } from '../../lib/compose/keys';
import { COMPOSE_SPEC_SCHEMA } from '../../lib/compose/schema';
import { keyTableMarkdown, keyTableRows } from './key-table';

const PAGE = path.join(__dirname, '..', '..', 'docs', 'compose.md');
if (process.env.UPDATE_KEY_TABLE === '1') {
  const text = fs.readFileSync(PAGE, 'utf8');
  const start = text.indexOf('| definition | key |');
  const end = text.indexOf('\n\n', start);
  fs.writeFileSync(PAGE, `${text.slice(0, start)}${keyTableMarkdown(KEY_TABLES)}${end < 0 ? '\n' : text.slice(end)}`);
}
const page = fs.readFileSync(PAGE, 'utf8');
const pageRows = page
  .slice(page.indexOf('\n## Every key')).split('\n').filter((line) => /^\| (service|network|volume|secret|config) \| `/.test(line));

describe.each(Object.keys(KEY_TABLES))('the schema definition %s', (definition) => {
  const properties = Object.keys(COMPOSE_SPEC_SCHEMA.definitions[definition].properties);

  test('has every property in the key table of lib/compose/keys.ts, and no key the schema lacks', () => {
    expect(Object.keys(KEY_TABLES[definition]).sort()).toEqual(properties.sort());
  });

  test('has every property in the table of docs/compose.md', () => {
    const documented = pageRows.filter((row) => row.startsWith(`| ${definition} |`)).map((row) => /`([^`]+)`/.exec(row)![1]);
    expect(documented.sort()).toEqual(properties.sort());
  });
});

test('docs/compose.md says for each key what lib/compose/keys.ts does, in the same words', () => {
  expect(pageRows).toEqual(keyTableRows(KEY_TABLES));
});

test('every refused key says what to do', () => {
  const handlings = Object.values(KEY_TABLES).flatMap((table) => Object.values(table).flatMap((rule) => [rule.containers, rule.swarm]));
  expect(handlings.filter((h) => h.outcome === 'refused' && !/(remove|use|set|put|clone|build|mount|create|write)\b/.test(h.text))).toEqual([]);
});
