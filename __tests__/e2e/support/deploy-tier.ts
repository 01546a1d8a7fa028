/**
 * The gate every deploy-tier test file goes through.
 *
 * Where the Docker engine, the Terraform CLI, the provider in its filesystem mirror or an image a suite needs is
 * missing, a suite never passes:
 * - required (env E2E_REQUIRED=1, or CI=true unless E2E_REQUIRED=0): the suite has one test, named after what is
 *   missing, and it fails;
 * - otherwise (a developer's machine): the suite has one skipped test, named after what is missing, so jest's
 *   summary reads "1 skipped" with the reason, never "passed".
 * The global setup prints one loud line per run that says the same.
 */
import { detectToolchain, Toolchain } from './toolchain';
import { imageExists } from './docker';

export interface DeployRequirements {
  /** Images that must already be on the engine, e.g. the ones `npm run images:local` builds. */
  readonly images?: string[];
  /**
   * Sets up what only this suite needs (e.g. installs from the npm registry), once the engine, the CLI, the provider
   * and the images are there; returns what it could not set up, each saying why. @default nothing more is needed
   */
  readonly provision?: () => string[];
}

export function e2eRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.E2E_REQUIRED === '1') return true;
  if (env.E2E_REQUIRED === '0') return false;
  return env.CI === 'true' || env.CI === '1';
}

/** What is missing for a suite: the toolchain's gaps, then images not on the engine. */
export function missingFor(toolchain: Toolchain, requirements: DeployRequirements = {}): string[] {
  const missing = [...toolchain.missing];
  if (toolchain.docker) {
    const images = (requirements.images ?? []).filter((image) => !imageExists(image));
    if (images.length > 0) missing.push(`images not on the engine: ${images.join(', ')} (build them with npm run images:local)`);
  }
  return missing;
}

/**
 * `describe` for the deploy tier: runs `body` when everything is there; otherwise one failing (required) or one
 * skipped (local) test whose name says what is missing.
 */
export function describeDeploy(name: string, requirements: DeployRequirements, body: (toolchain: Toolchain) => void): void {
  const toolchain = detectToolchain();
  let missing = missingFor(toolchain, requirements);
  if (missing.length === 0 && requirements.provision) missing = requirements.provision();
  if (missing.length === 0) {
    describe(name, () => body(toolchain));
    return;
  }
  const reason = missing.join('; ');
  describe(name, () => {
    if (e2eRequired()) {
      test(`deploy tier cannot run: ${reason}`, () => {
        throw new Error(
          `The deploy tier is required here (CI=true or E2E_REQUIRED=1) but cannot run: ${reason}. ` +
            'Set E2E_REQUIRED=0 to report it as skipped instead.',
        );
      });
    } else {
      test.skip(`SKIPPED, deploy tier cannot run: ${reason}`, () => undefined);
    }
  });
}
