/**
 * Deploy tier: real Docker engine, Terraform CLI and the kreuzwerker/docker provider from a filesystem mirror.
 * Slow and stateful, so one file at a time (--runInBand) with long timeouts. See docs/deploy-tier.md.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__/e2e'],
  testMatch: ['<rootDir>/__tests__/e2e/**/*.e2e.test.ts'],
  transform: { '^.+\\.tsx?$': ['ts-jest', { isolatedModules: true }] },
  globalSetup: '<rootDir>/__tests__/e2e/support/global-setup.ts',
  setupFilesAfterEnv: ['<rootDir>/__tests__/setup.ts'],
  testTimeout: 600_000,
  maxWorkers: 1,
  verbose: true,
};
