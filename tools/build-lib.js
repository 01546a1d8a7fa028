// The package's build (npm's `prepare`: runs on `npm ci`, `npm pack` and in a git install): compiles lib/ into
// dist/lib, the only folder the package ships. dist/lib is emptied first so that a file moved or removed in lib/
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
