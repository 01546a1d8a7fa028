/**
 * The read without lines (js-yaml) gives what the read with lines (the yaml library) gives, key order included, or
 * leaves the file to it: on every compose file of the corpus and on YAML's corners.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseWithoutPositions } from '../../lib/compose/fast-parse';
import { readComposeFile } from '../../lib/compose/source';

const fail = (message: string): never => {
  throw new Error(message);
};

/** The read with lines (outside `withPositionsOnDemand`, reads keep them). */
function withLines(text: string): unknown {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fast-parse-')), 'docker-compose.yml');
  fs.writeFileSync(file, text);
  return readComposeFile(file, fail);
}

/** Equal values, and the same keys in the same order at every level. */
function expectSame(fast: unknown, slow: unknown): void {
  expect(fast).toStrictEqual(slow);
  const order = (v: unknown): unknown =>
    typeof v !== 'object' || v === null ? v : Array.isArray(v) ? v.map(order) : Object.entries(v).map(([k, e]) => [k, order(e)]);
  expect(order(fast)).toStrictEqual(order(slow));
}

const CORPUS = path.join(__dirname, 'corpus');
const corpusFiles = (fs.readdirSync(CORPUS, { recursive: true }) as string[]).filter((f) => /\.ya?ml$/.test(f)).sort();

test('the corpus has compose files to compare', () => {
  expect(corpusFiles.length).toBeGreaterThan(40);
});

test.each(corpusFiles)('corpus/%s reads the same, or has tags', (file) => {
  const text = fs.readFileSync(path.join(CORPUS, file), 'utf8');
  const fast = parseWithoutPositions(text);
  if (fast === undefined) expect(text).toMatch(/: !(reset|override)\b/);
  else expectSame(fast, withLines(text));
});

const corners: [string, string][] = [
  ['scalars of the core schema', 'a: ~\nb: null\nc: NULL\nd:\ne: true\nf: False\ng: TRUE\nh: yes\ni: off\nj: 12\nk: -3\nl: +7\nm: 0o17\nn: 0x1F\no: 1.5\np: .5\nq: 1.\nr: 1e3\ns: -2.5E-2\nt: .inf\nu: -.Inf\nv: .NaN\nw: 1_000\nx: 2001-12-14\ny: 12345678901234567890\nz: 0.50\n'],
  ['YAML 1.1 octal of plain integers, and what is not one', 'a: 0644\nb: "0644"\nc: 08\nd: 00\ne: 0\nf: 0755\n'],
  ['quoting and escapes', 'a: "x\\ty \\u00e9 \\x41 \\" \\\\"\nb: \'it\'\'s\'\nc: "12"\nd: \'true\'\ne: "a\n  b"\nf: a#b\ng: a # comment\nh: redis:7\ni: http://x.example:80/p?q=1\n'],
  ['block scalars', 'a: |\n  line 1\n  line 2\nb: >\n  folded\n  text\n\n  para\nc: |-\n  strip\nd: |+\n  keep\n\ne: >2\n    indented\n'],
  ['plain scalars over lines', 'a: one\n  two\n  three\nb: x\n'],
  ['core tags', 'a: !!str 12\nb: !!map {c: 1}\nc: !!seq [1]\nd: ! 12\n'],
  ['flow collections', 'a: [x, y, {z: 1, w: [2, 3]}]\nb: {}\nc: []\nd: {k: v, "q": \'r\'}\n'],
  ['keys that are not strings', '1: a\ntrue: b\n1.50: c\n~: d\n0x10: e\n'],
  ['anchors, aliases and merge keys', 'x-a: &a\n  restart: always\n  labels: {k: v}\nx-n: &n 5\nservices:\n  web:\n    <<: *a\n    restart: "no"\n    scale: *n\n  api:\n    labels: *a\n    <<: {image: nginx}\n'],
  ['sequences of mappings, nested', 'services:\n  web:\n    ports:\n      - target: 80\n        published: "8080"\n      -\n        target: 443\n    command:\n    - a\n    - - b\n      - c\n'],
  ['explicit keys, documents markers, comments', '# head\n---\n? a\n: b\nc: d # tail\n...\n'],
  ['CRLF line ends and a BOM', '\ufeffservices:\r\n  web:\r\n    image: nginx\r\n    command: "a\r\n      b"\r\n'],
  ['tabs inside values, unicode', 'a: "x\ty"\nb: héllo wörld ✓\nc: x\ty\n'],
];

test.each(corners)('%s read the same', (_name, text) => {
  const fast = parseWithoutPositions(text);
  expect(fast).toBeDefined();
  expectSame(fast, withLines(text));
});

const leftToTheReadWithLines: [string, string][] = [
  ['a syntax error', 'services:\n  web:\n    image: [nginx\n'],
  ['!reset', 'services:\n  web:\n    ports: !reset []\n'],
  ['!override', 'services:\n  web:\n    ports: !override ["80:80"]\n'],
  ['another core tag', 'a: !!int "12"\n'],
  ['a %YAML directive', '%YAML 1.1\n---\na: yes\n'],
  ['a merge key over a list', 'x: &x {a: 1}\ny: &y {b: 2}\nz:\n  <<: [*x, *y]\n'],
  ['a merge key over an alias of a list', 'x: &x [1]\nz:\n  <<: *x\n'],
  ['a merge key over null', 'z:\n  <<:\n  a: 1\n'],
  ['an alias inside itself', 'a: &a\n  b: *a\n'],
  ['a duplicate key', 'a: 1\na: 2\n'],
  ['a key duplicated after String()', '1: a\n"1": b\n'],
  ['an empty file', ''],
  ['a file of comments', '# nothing\n'],
  ['a list', '- a\n'],
  ['a scalar', 'a\n'],
  ['two documents', 'a: 1\n---\nb: 2\n'],
];

test.each(leftToTheReadWithLines)('%s is left to the read with lines', (_name, text) => {
  expect(parseWithoutPositions(text)).toBeUndefined();
});

test('an alias is a copy of its anchor, as with lines (values are changed in place afterwards)', () => {
  const fast = parseWithoutPositions('x: &x {a: [1]}\ny: *x\n')!;
  expect(fast.y).toStrictEqual(fast.x);
  expect(fast.y).not.toBe(fast.x);
  expect(fast.y.a).not.toBe(fast.x.a);
});
