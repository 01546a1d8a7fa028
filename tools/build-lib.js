// The package's build (npm's `prepare`: runs on `npm ci`, `npm pack` and in a git install): compiles lib/ into
// dist/lib, the only folder the package ships, and copies the vendored compose-spec schema's folder (the schema and
// its generated validator, compose-spec-validator.ts, tsc emits itself, as compose imports them; the schema's
// licence, notice and provenance are copied here). dist/lib is emptied first so that a file moved or removed in lib/
// leaves no stale module in the tarball.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
fs.rmSync(path.join(root, 'dist', 'lib'), { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], {
  cwd: root,
  stdio: 'inherit',
});
const schema = path.join('lib', 'compose', 'schema');
for (const file of fs.readdirSync(path.join(root, schema)).filter((f) => !f.endsWith('.ts'))) {
  fs.copyFileSync(path.join(root, schema, file), path.join(root, 'dist', schema, file));
}
