/**
 * The README ships in the npm package and is read on the npm page, where a relative link goes nowhere: every link
 * in README.md is absolute (or an anchor of the README itself), and a link to this repository
 * (`https://github.com/<owner>/<name>/blob/main/<path>`, from package.json's repository URL) names a path that
 * exists, with an anchor that exists when it points into a Markdown file. The docs/*.md are read on GitHub:
 * their relative links resolve to paths that exist and anchors that exist. Tables keep one cell count per row
 * (a `|` inside a code span splits a cell on GitHub: write `\|`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ROOT, anchors, codeBlocks, links, markdownFiles, readMarkdown, repositoryUrl, tables } from './markdown';

const REPO = repositoryUrl();
const BLOB = `${REPO}/blob/main/`;

/** What is wrong with a link into the repository (a path relative to the root, maybe with an anchor), or undefined. */
function checkRepoPath(target: string): string | undefined {
  const [file, anchor] = target.split('#');
  const full = path.join(ROOT, decodeURIComponent(file));
  if (!full.startsWith(ROOT) || !fs.existsSync(full)) return `${file} does not exist`;
  if (anchor !== undefined) {
    const text = fs.statSync(full).isFile() && file.endsWith('.md') ? fs.readFileSync(full, 'utf8') : undefined;
    if (text === undefined) return `#${anchor} points into ${file}, which is not a Markdown file`;
    if (!anchors(text).has(anchor)) return `${file} has no anchor #${anchor}`;
  }
  return undefined;
}

/** What is wrong with an absolute link: only links into this repository are checked further. */
function checkAbsolute(target: string): string | undefined {
  if (target.startsWith(BLOB)) return checkRepoPath(target.slice(BLOB.length));
  if (target.startsWith(`${REPO}/`) || target === REPO) {
    return `links into the repository take the form ${BLOB}<path>`;
  }
  return undefined;
}

describe('README.md, as the npm page shows it', () => {
  const text = readMarkdown('README.md');
  const own = anchors(text);

  test('every link is absolute or an anchor of the README, and what it names in this repository exists', () => {
    const problems = links(text).flatMap(({ target, line }) => {
      let problem: string | undefined;
      if (target.startsWith('#')) problem = own.has(target.slice(1)) ? undefined : `README.md has no anchor ${target}`;
      else if (/^(https?|mailto):/.test(target)) problem = checkAbsolute(target);
      else problem = `a relative link breaks on the npm page: write ${BLOB}${target.replace(/^\.\//, '')}`;
      return problem ? [`README.md:${line}: ${target}: ${problem}`] : [];
    });
    expect(problems).toEqual([]);
  });

  test('starts with the two commands that set everything up, unchanged', () => {
    const first = codeBlocks('README.md', text)[0];
    expect(first.lang).toBe('sh');
    expect(first.code).toBe(
      [
        'npm ci && VOTING_APP_IMAGES=local npm run deploy    # the main job: synthesize and deploy the voting app on the local Docker engine',
        'npm ci && npm test                                   # the tests (synth tier); npm run test:e2e runs the deploy tier',
      ].join('\n'),
    );
    // Only the title and a short description come before them.
    const before = text.slice(0, text.indexOf('```')).split('\n').filter((l) => l.trim() !== '');
    expect(before.length).toBeLessThanOrEqual(4);
  });

  test('stays short: well under 400 lines', () => {
    expect(text.split('\n').length).toBeLessThan(400);
  });
});

describe.each(markdownFiles().filter((f) => f !== 'README.md'))('%s', (file) => {
  const text = readMarkdown(file);
  const dir = path.dirname(file);

  test('every link resolves to a path and an anchor that exist', () => {
    const problems = links(text).flatMap(({ target, line }) => {
      let problem: string | undefined;
      if (target.startsWith('#')) problem = anchors(text).has(target.slice(1)) ? undefined : `no anchor ${target}`;
      else if (/^(https?|mailto):/.test(target)) problem = checkAbsolute(target);
      else problem = checkRepoPath(path.posix.join(dir, target));
      return problem ? [`${file}:${line}: ${target}: ${problem}`] : [];
    });
    expect(problems).toEqual([]);
  });
});

describe.each(markdownFiles())('tables in %s', (file) => {
  test('every row has as many cells as the header', () => {
    const problems = tables(readMarkdown(file)).flatMap(({ header, rows }) =>
      rows.filter((r) => r.cells !== header.cells).map((r) => `${file}:${r.line}: ${r.cells} cells, the header at line ${header.line} has ${header.cells}`),
    );
    expect(problems).toEqual([]);
  });
});

describe.each(markdownFiles())('code blocks in %s', (file) => {
  // A command in a block without a language would escape commands.test.ts, and a snippet the compile of
  // snippets.test.ts: every block says what it holds (`text` for output and pictures).
  test('every fence names its language', () => {
    const unnamed = codeBlocks(file, readMarkdown(file)).filter((b) => b.lang === '').map((b) => `${file}:${b.line}`);
    expect(unnamed).toEqual([]);
  });
});
