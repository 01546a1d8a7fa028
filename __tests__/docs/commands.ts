/**
 * The shell commands the docs show (every line of a ```sh or ```bash block in README.md and docs/*.md), and the
 * one way a test runs one as written: `documented('npm run review -- voting-app')` returns the text after checking
 * that a page shows exactly that command, so a test that runs it breaks when the page changes. commands.test.ts
 * checks that every command a page shows is run by a test, by .ci/, or is exempt with a reason.
 */
import { codeBlocks, markdownFiles, readMarkdown } from './markdown';

export const SHELL_LANGS = new Set(['sh', 'bash']);

export interface DocumentedCommand {
  readonly file: string;
  /** 1-based line in the file. */
  readonly line: number;
  /** The command without its trailing comment. */
  readonly text: string;
  /** The name of its block (`<!-- snippet: NAME -->`), if any. */
  readonly block?: string;
}

/** `cmd   # a comment` -> `cmd`: a `#` after whitespace, outside quotes, starts a comment. */
export function withoutComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i).trimEnd();
  }
  return line.trimEnd();
}

/** Every command line of every shell block, in page order. */
export function documentedCommands(): DocumentedCommand[] {
  return markdownFiles().flatMap((file) =>
    codeBlocks(file, readMarkdown(file))
      .filter((block) => SHELL_LANGS.has(block.lang))
      .flatMap((block) =>
        block.code
          .split('\n')
          .map((raw, i) => ({ file, line: block.line + 1 + i, text: withoutComment(raw).trim(), block: block.name }))
          .filter((command) => command.text !== ''),
      ),
  );
}

/** `text`, once it is checked to be a command the docs show exactly so; throws naming the pages otherwise. */
export function documented(text: string): string {
  if (!documentedCommands().some((command) => command.text === text)) {
    throw new Error(`no page shows the command \`${text}\` any more; run the command the docs show now (README.md, docs/*.md)`);
  }
  return text;
}
