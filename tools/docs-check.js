// `npm run docs:check`: fails when docs/api (the API reference generated from lib/index.ts's doc comments by
// `npm run docs`) differs from what the current code generates, listing the files that differ.
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const committed = path.join(root, 'docs', 'api');
const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'api-docs-'));

function files(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true }).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort();
}

try {
  execFileSync(process.execPath, [path.join(path.dirname(require.resolve('typedoc/package.json')), 'bin', 'typedoc'), '--out', fresh, '--logLevel', 'Warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  const names = [...new Set([...files(committed), ...files(fresh)])].sort();
  const stale = names.filter((name) => {
    const a = path.join(committed, name);
    const b = path.join(fresh, name);
    return !fs.existsSync(a) || !fs.existsSync(b) || !fs.readFileSync(a).equals(fs.readFileSync(b));
  });
  if (stale.length > 0) {
    console.error(`docs/api is stale (${stale.join(', ')}): run \`npm run docs\` and commit docs/api.`);
    process.exitCode = 1;
  } else {
    console.log(`docs/api is current (${names.length} file${names.length === 1 ? '' : 's'}).`);
  }
} finally {
  fs.rmSync(fresh, { recursive: true, force: true });
}
