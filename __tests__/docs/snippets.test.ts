/**
 * Every TypeScript snippet of README.md and docs/*.md (a ```ts or ```typescript block) is a whole program: it
 * compiles as written, with its own imports and no name it does not define, under the repository's tsconfig.json
 * (strict, unused names are errors). `cdktf-docker-networking` is mapped to lib/index.ts, so the snippets are
 * checked against today's API. One ts.Program holds all of them (each its own module), which keeps this to a few
 * seconds.
 *
 * A snippet that constructs an `App` and calls `app.synth()` is also run: transpiled and evaluated here, with
 * `require('cdktf-docker-networking')` answered by lib/ (compiled by ts-jest), synthesizing into a temp
 * CDKTF_OUTDIR. It must not throw (a failed validation, a failing policy finding, a construct id that collides
 * with one cdktf adds), and every policy report it writes has no failing finding. The README's first stack,
 * marked `<!-- snippet: first-stack -->` on the line before its fence, must apply the policy pack and pass it.
 *
 * A snippet written as a jest test (it calls `test(...)` at its top level) is evaluated while this file collects
 * its tests, so its tests run here, under the snippet's name.
 *
 * There are no fragments: a snippet never continues an earlier one. Code that is not meant to compile takes
 * another fence (```text). `<!-- snippet: NAME -->` only names a block (for this test and the consumer tier).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { DockerPolicy, FindingStatus, PolicyReportData } from '../../lib';
import { CodeBlock, ROOT, codeBlocks, markdownFiles, readMarkdown } from './markdown';

const LIBRARY = 'cdktf-docker-networking';

interface Snippet extends CodeBlock {
  /** The virtual file name the program knows it by. */
  readonly fileName: string;
}

const snippets: Snippet[] = markdownFiles().flatMap((file) =>
  codeBlocks(file, readMarkdown(file))
    .filter((b) => b.lang === 'ts' || b.lang === 'typescript')
    .map((b) => ({ ...b, fileName: path.join(ROOT, '.snippets', `${b.file.replace(/[/.]/g, '_')}_L${b.line}.ts`) })),
);

const label = (s: CodeBlock) => `${s.file}:${s.line}${s.name ? ` (${s.name})` : ''}`;
const isRunnable = (s: CodeBlock) => /\bnew App\(/.test(s.code) && /\bapp\.synth\(\)/.test(s.code);
const isJestTest = (s: CodeBlock) => /^(test|it)\(/m.test(s.code);

/** One program for all snippets, with the repository's compiler options and the library mapped to lib/. */
function compileAll(): Map<string, string[]> {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  })!;
  const options: ts.CompilerOptions = {
    ...parsed.options,
    noEmit: true,
    declaration: false,
    incremental: false,
    baseUrl: ROOT,
    paths: { [LIBRARY]: ['lib/index.ts'] },
  };
  const byName = new Map(snippets.map((s) => [s.fileName, s]));
  const host = ts.createCompilerHost(options, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    const snippet = byName.get(fileName);
    return snippet ? ts.createSourceFile(fileName, snippet.code, languageVersion, true) : getSourceFile.call(host, fileName, languageVersion, ...rest);
  };
  host.fileExists = (fileName) => byName.has(fileName) || fileExists.call(host, fileName);
  host.readFile = (fileName) => byName.get(fileName)?.code ?? readFile.call(host, fileName);

  const program = ts.createProgram([...byName.keys()], options, host);
  const global = program.getGlobalDiagnostics().map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  if (global.length > 0) throw new Error(global.join('\n'));
  return new Map(
    snippets.map((s) => {
      const source = program.getSourceFile(s.fileName)!;
      const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
      return [
        s.fileName,
        diagnostics.map((d) => {
          const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
          return `${s.file}:${s.line + 1 + line}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
        }),
      ];
    }),
  );
}

/** Evaluates a snippet as a CommonJS module, its import of the library answered by lib/. */
function evaluate(snippet: Snippet): void {
  const js = ts.transpileModule(snippet.code, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    fileName: snippet.fileName,
  }).outputText;
  const requireFor = (id: string): unknown => (id === LIBRARY ? require('../../lib') : require(id));
  const module = { exports: {} };
  new Function('require', 'module', 'exports', '__filename', '__dirname', js)(requireFor, module, module.exports, snippet.fileName, ROOT);
}

/** Runs a snippet that synthesizes an App, into `outdir`, as `cdktf synth` would (error annotations throw). */
function run(snippet: Snippet, outdir: string): void {
  const saved = { outdir: process.env.CDKTF_OUTDIR, cont: process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS };
  process.env.CDKTF_OUTDIR = outdir;
  delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
  try {
    evaluate(snippet);
  } finally {
    restore('CDKTF_OUTDIR', saved.outdir);
    restore('CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS', saved.cont);
  }
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

/** The policy reports (policy-report.json) a synth wrote, by stack. */
function policyReports(outdir: string): Map<string, PolicyReportData> {
  const stacks = path.join(outdir, 'stacks');
  const reports = new Map<string, PolicyReportData>();
  for (const stack of fs.existsSync(stacks) ? fs.readdirSync(stacks) : []) {
    const file = path.join(stacks, stack, 'policy-report.json');
    if (fs.existsSync(file)) reports.set(stack, JSON.parse(fs.readFileSync(file, 'utf8')));
  }
  return reports;
}

let diagnostics: Map<string, string[]>;
let work: string;

beforeAll(() => {
  diagnostics = compileAll();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-snippets-'));
}, 60_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('the README and the docs have TypeScript snippets, one of them the first stack', () => {
  expect(snippets.filter((s) => s.file === 'README.md').length).toBeGreaterThan(3);
  expect(snippets.filter((s) => s.name === 'first-stack').map((s) => s.file)).toEqual(['README.md']);
});

describe.each(snippets.map((s) => [label(s), s] as const))('%s', (_, snippet) => {
  test('compiles as written, with its imports', () => {
    expect(diagnostics.get(snippet.fileName)).toEqual([]);
    expect(snippet.code).toMatch(/^import /m);
  });

  if (isRunnable(snippet)) {
    test('synthesizes, and whatever policy report it writes has no failing finding', () => {
      const outdir = fs.mkdtempSync(path.join(work, 'out-'));
      run(snippet, outdir);
      expect(fs.existsSync(path.join(outdir, 'manifest.json'))).toBe(true);
      const reports = policyReports(outdir);
      for (const [stack, report] of reports) {
        expect([stack, report.findings.filter((f) => f.status === FindingStatus.FAILED)]).toEqual([stack, []]);
      }
      if (snippet.name === 'first-stack') {
        // It applies the pack to its one stack: every rule ran.
        expect([...reports.values()].map((r) => r.rules.length)).toEqual([DockerPolicy.RULES.length]);
      }
    });
  }

  if (isJestTest(snippet)) {
    describe('its own tests', () => evaluate(snippet));
  }
});
