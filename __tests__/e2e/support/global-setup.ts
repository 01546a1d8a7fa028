/**
 * Runs once before the deploy tier: starts the engine as docs/deploy-tier.md says (`npm run engine:start`,
 * which does nothing where one answers, and fails where it cannot start one: the line below then says what is
 * missing), prints one loud line saying whether the tier can run here and why not, and compiles the app
 * (`npm run build`) that `cdktf` runs as `node dist/main.js`.
 */
import { documented } from '../../docs/commands';
import { PROJECT_ROOT } from './cdktf';
import { e2eRequired } from './deploy-tier';
import { assertSucceeded, run } from './process';
import { detectToolchain } from './toolchain';

export default async function globalSetup(): Promise<void> {
  const engine = await run('bash', ['-c', documented('npm run engine:start')], { cwd: PROJECT_ROOT, timeoutMs: 300_000 });
  if (engine.code !== 0) process.stderr.write(`deploy tier: npm run engine:start exited ${engine.code}: ${engine.output.trim().split('\n').pop()}\n`);
  const toolchain = detectToolchain();
  if (toolchain.missing.length > 0) {
    const verdict = e2eRequired() ? 'FAILS (required: CI=true or E2E_REQUIRED=1)' : 'SKIPPED';
    process.stderr.write(`\n!!! DEPLOY TIER ${verdict}: ${toolchain.missing.join('; ')}\n\n`);
    return;
  }
  process.stderr.write(
    `\ndeploy tier: Docker engine ${toolchain.docker}, ${toolchain.terraformBinary} ${toolchain.terraformVersion}, ` +
      `provider ${toolchain.providerPath}\n`,
  );
  assertSucceeded(await run('npm', ['run', '--silent', 'build'], { cwd: PROJECT_ROOT, timeoutMs: 300_000 }));
}
