/**
 * The floor plan (.dependency-cruiser.js, `npm run lint:layers`) on a small repository of its own: each row lets its
 * folder import what docs/architecture.md says and nothing else, and a file in a folder with no row fails whether it
 * imports, is imported or stands alone. (`npm test` runs the same rules on this repository.)
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');

/** file -> source of a repository laid out like this one. */
const FILES: Record<string, string> = {
  'tsconfig.dev.json': '{ "compilerOptions": { "module": "commonjs", "strict": true } }',
  'jest.config.js': 'module.exports = {};',
  'lib/core/labels.ts': "export const STACK_LABEL = 'x';",
  'lib/core/index.ts': "export * from './labels';",
  'lib/core/too-high.ts': "import { Network } from '../network/network';\nexport const n = Network;",
  'lib/network/network.ts': "import { STACK_LABEL } from '../core/labels';\nexport class Network { label = STACK_LABEL; }",
  'lib/network/index.ts': "export * from './network';",
  'lib/index.ts': "export * from './core';\nexport * from './network';\nimport './core/labels';",
  'stacks/stack.ts': "import { Network } from '../lib';\nimport { job } from '../ops/job';\nexport const s = [Network, job];",
  'main.ts': "import { s } from './stacks/stack';\nimport { Network } from './lib';\nexport const m = [s, Network];",
  'ops/job.ts': "import { Network } from '../lib';\nexport const job = Network;",
  'ops/deep.ts': "import { STACK_LABEL } from '../lib/core/labels';\nexport const d = STACK_LABEL;",
  'ops/terraform/cli-config.ts': 'export const config = 1;',
  'bench/raw.ts': "import { STACK_LABEL } from '../lib/core';\nimport { config } from '../ops/terraform/cli-config';\nexport const r = [STACK_LABEL, config];",
  'bench/job.ts': "import { job } from '../ops/job';\nexport const b = job;",
  'tools/build.js': "const fs = require('fs');\nrequire('../lib');\nmodule.exports = fs;",
  '__tests__/any.test.ts': "import { d } from '../ops/deep';\nimport { c } from '../extra/imported';\nimport { STACK_LABEL } from '../lib/core/labels';\nexport const t = [d, c, STACK_LABEL];",
  'extra/imports.ts': "import * as fs from 'fs';\nexport const e = fs;",
  'extra/imported.ts': 'export const c = 1;',
  'extra/alone.ts': 'export const a = 1;',
};

let violations: string[];
beforeAll(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layer-rules-'));
  try {
    for (const [file, source] of Object.entries(FILES)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), `${source}\n`);
    }
    const depcruise = path.join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
    const result = spawnSync(process.execPath, [depcruise, '.', '--config', path.join(ROOT, '.dependency-cruiser.js'), '--output-type', 'json'], {
      cwd: dir,
      encoding: 'utf8',
    });
    const output = JSON.parse(result.stdout) as { summary: { violations: { rule: { name: string }; from: string; to: string }[] } };
    violations = output.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);

test('each row allows what the floor plan says, and a folder with no row fails every way a file can be in it', () => {
  expect(violations).toEqual(
    [
      // lib's layers import only the layers below them; the public entry only re-exports them.
      'row lib/core/: lib/core/too-high.ts -> lib/network/network.ts',
      'row lib/index.ts: lib/index.ts -> lib/core/labels.ts',
      'lib-index-only-reexports: lib/index.ts -> lib/core/labels.ts',
      // The app, the stacks and the operator's side go through the public entry; the bench may also take lib/core's
      // entry and ops/terraform, nothing else of ops.
      'row stacks/: stacks/stack.ts -> ops/job.ts',
      'row ops/: ops/deep.ts -> lib/core/labels.ts',
      'row bench/: bench/job.ts -> ops/job.ts',
      'row tools/: tools/build.js -> lib/index.ts',
      // A folder with no row.
      'no-row (imports): extra/imports.ts -> fs',
      'no-row (imported): __tests__/any.test.ts -> extra/imported.ts',
      'no-row (alone): extra/alone.ts -> extra/alone.ts',
    ].sort(),
  );
});
