import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.resolve(__dirname, '..');

describe('the package', () => {
  test('builds, and a consumer in another folder can require its root', () => {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', root], { cwd: root, stdio: 'pipe' });
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(fs.existsSync(path.join(root, pkg.types))).toBe(true);

    const consumer = fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-'));
    fs.mkdirSync(path.join(consumer, 'node_modules'));
    fs.symlinkSync(root, path.join(consumer, 'node_modules', pkg.name));
    const exported = execFileSync(
      process.execPath,
      ['-e', `console.log(Object.keys(require(${JSON.stringify(pkg.name)})).sort().join(','))`],
      { cwd: consumer, encoding: 'utf8' },
    ).trim().split(',');
    fs.rmSync(consumer, { recursive: true, force: true });
    expect(exported).toEqual(expect.arrayContaining(['Network', 'ServiceContainer', 'VotingApp', 'Healthcheck', 'RestartPolicy']));
  }, 60_000);
});
