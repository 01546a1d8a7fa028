/**
 * Reads the project's Markdown the way GitHub and the npm page render it: fenced code blocks (with the name an
 * HTML comment `<!-- snippet: NAME -->` on the line before the fence gives them), links outside code, heading
 * anchors, and tables. Shared by the docs tests and the consumer tier, which runs the README's commands.
 */
import * as fs from 'fs';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');

/** README.md and every docs/*.md (docs/api is generated and not checked here), as paths relative to the root. */
export function markdownFiles(): string[] {
  const docs = fs
    .readdirSync(path.join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs];
}

export function readMarkdown(file: string): string {
  return fs.readFileSync(path.join(ROOT, file), 'utf8');
}

export interface CodeBlock {
  readonly file: string;
  /** The info string's first word: `ts`, `sh`, ... (empty when the fence has none). */
  readonly lang: string;
  readonly code: string;
  /** 1-based line of the opening fence in the file; the code starts on the next line. */
  readonly line: number;
  /** From `<!-- snippet: NAME -->` on the last non-blank line before the fence. */
  readonly name?: string;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/;
const SNIPPET_NAME = /^<!--\s*snippet:\s*([\w-]+)\s*-->$/;

/** True for the line that closes a block opened with `fence`: at least as many of its characters, nothing else. */
function closes(line: string, fence: string): boolean {
  const trimmed = line.trim();
  return trimmed.startsWith(fence) && [...trimmed].every((c) => c === fence[0]);
}

/** The fenced code blocks of a Markdown text, in order. */
export function codeBlocks(file: string, text: string): CodeBlock[] {
  const lines = text.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, lang] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      if (closes(lines[j], fence)) break;
      body.push(lines[j].startsWith(indent) ? lines[j].slice(indent.length) : lines[j]);
    }
    if (j === lines.length) throw new Error(`${file}:${i + 1}: the code fence ${fence} is never closed`);
    let before = i - 1;
    while (before >= 0 && lines[before].trim() === '') before--;
    const name = before >= 0 ? SNIPPET_NAME.exec(lines[before].trim())?.[1] : undefined;
    blocks.push({ file, lang: lang.toLowerCase(), code: body.join('\n'), line: i + 1, name });
    i = j;
  }
  return blocks;
}

/** The one block named `name` (`<!-- snippet: name -->`) in a file; throws when there is none or more than one. */
export function namedBlock(file: string, name: string): CodeBlock {
  const found = codeBlocks(file, readMarkdown(file)).filter((b) => b.name === name);
  if (found.length !== 1) throw new Error(`${file}: expected one code block marked <!-- snippet: ${name} -->, found ${found.length}`);
  return found[0];
}

/** The text with every fenced code block blanked out (line numbers kept). */
function outsideFences(text: string): string {
  let fence: string | undefined;
  return text
    .split('\n')
    .map((line) => {
      if (fence) {
        if (closes(line, fence)) fence = undefined;
        return '';
      }
      const open = FENCE.exec(line);
      if (open) fence = open[2];
      return open ? '' : line;
    })
    .join('\n');
}

/** The text outside code: fenced blocks and inline code spans blanked out (line numbers kept). */
function prose(text: string): string {
  return outsideFences(text).replace(/(`+)[^`][\s\S]*?\1/g, (span) => span.replace(/[^\n]/g, ' '));
}

export interface Link {
  readonly target: string;
  readonly line: number;
}

/** Inline links and images `[text](target)`, autolinks `<https://...>` and reference definitions, outside code. */
export function links(text: string): Link[] {
  const found: Link[] = [];
  prose(text)
    .split('\n')
    .forEach((line, i) => {
      for (const m of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) found.push({ target: m[1], line: i + 1 });
      for (const m of line.matchAll(/<((?:https?|mailto):[^>\s]+)>/g)) found.push({ target: m[1], line: i + 1 });
      const definition = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/.exec(line);
      if (definition) found.push({ target: definition[1], line: i + 1 });
    });
  return found;
}

/** GitHub's anchor for a heading: rendered text, lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/[`*]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a page has: its headings' (with GitHub's -1, -2 for repeats) and explicit `<a id|name="...">`. */
export function anchors(text: string): Set<string> {
  const result = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of outsideFences(text).split('\n')) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const base = slug(heading[1]);
      const count = seen.get(base) ?? 0;
      seen.set(base, count + 1);
      result.add(count === 0 ? base : `${base}-${count}`);
    }
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) result.add(m[1]);
  }
  return result;
}

export interface TableRow {
  readonly line: number;
  readonly cells: number;
}

/** Each table (a header row followed by a `| --- |` delimiter row) with the cell count of its rows, outside code. */
export function tables(text: string): { header: TableRow; rows: TableRow[] }[] {
  const lines = text.split('\n');
  const blank = outsideFences(text).split('\n');
  const count = (line: string) => {
    // GitHub splits a row at every `|` not escaped as `\|`, also inside code spans.
    const cells = line.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '').split(/(?<!\\)\|/);
    return cells.length;
  };
  const found: { header: TableRow; rows: TableRow[] }[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    const isRow = (n: number) => blank[n].trim() !== '' && lines[n].includes('|');
    if (!isRow(i) || !/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(lines[i + 1])) continue;
    const header = { line: i + 1, cells: count(lines[i]) };
    const rows: TableRow[] = [{ line: i + 2, cells: count(lines[i + 1]) }];
    let j = i + 2;
    for (; j < lines.length && lines[j].trim() !== '' && lines[j].includes('|'); j++) rows.push({ line: j + 1, cells: count(lines[j]) });
    found.push({ header, rows });
    i = j;
  }
  return found;
}

/** The repository's GitHub address from package.json (`https://github.com/<owner>/<name>`). */
export function repositoryUrl(): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  return String(pkg.repository.url).replace(/^git\+/, '').replace(/\.git$/, '');
}
