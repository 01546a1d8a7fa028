/**
 * ops/terraform/install-tofu.sh, which the main job runs under TERRAFORM_BINARY_NAME=tofu where tofu is missing: what
 * it does without building (the build itself, about 10 minutes, runs in CI's OpenTofu pass on a new machine).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const SCRIPT = path.resolve(__dirname, '..', '..', '..', 'ops', 'terraform', 'install-tofu.sh');
let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'install-tofu-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const install = (env: Record<string, string>) =>
  spawnSync('bash', [SCRIPT], { env: { PATH: `${dir}/bin:/usr/bin:/bin`, ...env }, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });

test('tofu already on PATH: nothing is built, its path is printed', () => {
  fs.mkdirSync(path.join(dir, 'bin'));
  fs.writeFileSync(path.join(dir, 'bin', 'tofu'), '#!/bin/sh\necho "OpenTofu v1.9.0"\n', { mode: 0o755 });
  const result = install({});
  expect(result.status).toBe(0);
  expect(result.stdout).toBe(`${dir}/bin/tofu\n`);
  expect(result.stderr).toBe(`install-tofu: tofu already installed: ${dir}/bin/tofu (OpenTofu v1.9.0)\n`);
});

test('no tofu and no Go toolchain: it says what to install', () => {
  const result = install({ GO: path.join(dir, 'no-go') });
  expect(result.status).toBe(1);
  expect(result.stderr).toBe(
    `install-tofu: OpenTofu is not installed and there is no Go toolchain to build it (${dir}/no-go); install Go 1.24 or newer, or put tofu on PATH\n`,
  );
});

test('no tofu and a folder it cannot write: it names TOFU_INSTALL_DIR', () => {
  fs.writeFileSync(path.join(dir, 'a-file'), '');
  fs.writeFileSync(path.join(dir, 'go'), '#!/bin/sh\necho "go version go1.26.8 linux/amd64"\n', { mode: 0o755 });
  const result = install({ GO: path.join(dir, 'go'), TOFU_INSTALL_DIR: path.join(dir, 'a-file', 'bin') });
  expect(result.status).toBe(1);
  expect(result.stderr).toBe(`install-tofu: cannot write to ${dir}/a-file/bin; set TOFU_INSTALL_DIR to a folder on PATH that you can write\n`);
});
