/**
 * Which programs a bash script runs on the host: the first word of every simple command, also inside `$( )`,
 * backticks and `<( )`, but not inside quoted strings (`sh -c "..."`, `chroot dir cmd` payloads and `docker exec`
 * arguments run in a container or chroot, not on the host). Comments and heredoc bodies are skipped; builtins,
 * keywords and the script's own functions are dropped by the caller. A lexer, not a full bash parser: good enough
 * for the project's scripts, and the test that uses it fails loudly on a command it does not know.
 */

/** Commands that run the command in their arguments (after their options): `nohup dockerd`, `setsid nohup x`. */
const WRAPPERS = new Set(['exec', 'nohup', 'setsid', 'env', 'sudo', 'time', 'command']);
/** Keywords after which a command follows. */
const COMMAND_KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '!', '{', '}', ';;']);

interface Context {
  /** The next word is a command name. */
  atCommand: boolean;
  /** `for x in ...` and `case x in`: words up to `do` / `in` are not commands. */
  skipUntil?: string;
  /** Inside `case ... in`: a word directly followed by `)` is a pattern. */
  inCase: boolean;
  /** The closing text of this context: `)` for `$( )`, `` ` `` for backticks, '' for the top level. */
  close: string;
}

export function shellCommands(source: string): { commands: string[]; functions: string[] } {
  const commands = new Set<string>();
  const functions = new Set<string>();
  const text = stripHeredocBodies(source);
  const stack: Context[] = [{ atCommand: true, inCase: false, close: '' }];
  let word = '';
  let wordIsLiteral = true;
  let pendingWrapper = false;

  const top = () => stack[stack.length - 1];
  const endWord = (next: string) => {
    const ctx = top();
    if (word === '') return;
    const w = word;
    word = '';
    const literal = wordIsLiteral;
    wordIsLiteral = true;
    if (ctx.skipUntil) {
      if (w === ctx.skipUntil) {
        if (w === 'in') ctx.inCase = true;
        ctx.atCommand = w === 'do';
        ctx.skipUntil = undefined;
      }
      return;
    }
    if (!ctx.atCommand) return;
    if (next === '(' && /^[\w-]+$/.test(w)) {
      functions.add(w); // name() {
      return;
    }
    if (ctx.inCase && next === ')') return; // a case pattern
    if (w === 'for' || w === 'select') return void (ctx.skipUntil = 'do');
    if (w === 'case') return void (ctx.skipUntil = 'in');
    if (w === 'esac') return void (ctx.inCase = false);
    if (COMMAND_KEYWORDS.has(w) || /^[A-Za-z_]\w*(\[[^\]]*\])?\+?=/.test(w) || /^\d*[<>]/.test(w)) return; // assignment, redirect
    if (pendingWrapper && w.startsWith('-')) return;
    if (!literal) {
      ctx.atCommand = false;
      return;
    }
    commands.add(w.includes('/') ? w.slice(w.lastIndexOf('/') + 1) : w);
    pendingWrapper = WRAPPERS.has(w);
    ctx.atCommand = pendingWrapper;
  };
  const commandBoundary = () => {
    top().atCommand = true;
    pendingWrapper = false;
  };

  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const ctx = top();
    if (c === '\\') {
      word += text.slice(i, i + 2);
      i++;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      wordIsLiteral = false;
      word += 'q';
      i = end < 0 ? text.length : end;
    } else if (c === '"') {
      // Only command substitutions inside double quotes run here: lex them, skip the rest.
      wordIsLiteral = false;
      word += 'q';
      let j = i + 1;
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\') j++;
        else if (text.startsWith('$(', j) && !text.startsWith('$((', j)) {
          const end = matchingParen(text, j + 1);
          shellCommands(text.slice(j + 2, end)).commands.forEach((cmd) => commands.add(cmd));
          j = end;
        }
        j++;
      }
      i = j;
    } else if (c === '#' && word === '') {
      const end = text.indexOf('\n', i);
      i = (end < 0 ? text.length : end) - 1;
    } else if (c === '(' && /^[A-Za-z_]\w*\+?=$/.test(word)) {
      // An array assignment, `a=(x y)` or `a+=(x)`: its items are not commands.
      i = matchingParen(text, i);
      wordIsLiteral = false;
      word += 'x';
    } else if (c === '&' && (text[i - 1] === '>' || text[i + 1] === '>')) {
      word += c; // >&2, &>file
    } else if (text.startsWith('$((', i)) {
      i = matchingParen(text, i + 1);
      wordIsLiteral = false;
      word += 'x';
    } else if (text.startsWith('${', i)) {
      i = text.indexOf('}', i);
      wordIsLiteral = false;
      word += 'x';
    } else if (text.startsWith('$(', i) || text.startsWith('<(', i)) {
      endWord('');
      stack.push({ atCommand: true, inCase: false, close: ')' });
      i++;
    } else if (c === '`') {
      if (ctx.close === '`') stack.pop();
      else stack.push({ atCommand: true, inCase: false, close: '`' });
    } else if (c === ')' && ctx.close === ')') {
      endWord(')');
      stack.pop();
    } else if (c === '$') {
      wordIsLiteral = false;
      word += c;
    } else if (/\s/.test(c) || c === ';' || c === '|' || c === '&' || c === '(' || c === ')') {
      endWord(c);
      if (c === '\n' || c === ';' || c === '|' || c === '&' || c === '(' || c === ')') commandBoundary();
    } else {
      word += c;
    }
  }
  endWord('\n');
  return { commands: [...commands].sort(), functions: [...functions].sort() };
}

/** The index of the `)` that closes the `(` at `open`, skipping quoted text. */
function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === "'") i = text.indexOf("'", i + 1);
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
    if (i < 0) break;
  }
  return text.length;
}

/** Removes the lines between `<<WORD` (or `<<'WORD'`, `<<-WORD`) and `WORD`. */
function stripHeredocBodies(source: string): string {
  const out: string[] = [];
  let terminator: string | undefined;
  for (const line of source.split('\n')) {
    if (terminator !== undefined) {
      if (line.trim() === terminator) terminator = undefined;
      continue;
    }
    out.push(line);
    const heredoc = /<<-?\s*['"]?(\w+)['"]?/.exec(line.replace(/<<</g, ''));
    if (heredoc) terminator = heredoc[1];
  }
  return out.join('\n');
}

/** Functions whose first argument is a program to run: child_process's and the harness's and bench's wrappers. */
const SPAWNERS = ['spawn', 'spawnSync', 'execFile', 'execFileSync', 'run', 'probe', 'sh', 'measure'];

/** Programs a TypeScript file spawns by name: `spawnSync('docker', [`, `run('npm', [`, `sh('docker-compose', [`. */
export function spawnedCommands(source: string): string[] {
  const call = new RegExp(`\\b(?:${SPAWNERS.join('|')})\\(\\s*'([\\w./-]+)',\\s*\\[`, 'g');
  const found = [...source.matchAll(call)].map((m) => m[1].replace(/^.*\//, ''));
  return [...new Set(found)].sort();
}
