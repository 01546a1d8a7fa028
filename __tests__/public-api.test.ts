import * as path from 'path';
import * as ts from 'typescript';
import expected from './public-api.json';

/** Every name `lib/index.ts` exports, types included, as the TypeScript compiler sees them. */
function exportedNames(): string[] {
  const index = path.resolve(__dirname, '../lib/index.ts');
  const program = ts.createProgram([index], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, strict: true, skipLibCheck: true, noEmit: true });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(index)!)!;
  return checker.getExportsOfModule(module).map((s) => s.getName()).sort();
}

describe('public API at the package root', () => {
  // Removing or renaming a name breaks every user who imports it; adding one is a conscious change to this list.
  test('exports exactly the names in __tests__/public-api.json', () => {
    expect(exportedNames()).toEqual([...expected].sort());
  });
});
