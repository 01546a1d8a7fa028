/**
 * Consumer tier: packs the library and installs it into fresh cdktf projects in a temp folder (a few minutes, needs
 * the npm registry or a warm npm cache). Run by .ci/run after the synth tier; see __tests__/consumer/.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__/consumer'],
  testMatch: ['<rootDir>/__tests__/consumer/**/*.test.ts'],
  transform: { '^.+\\.tsx?$': 'ts-jest' },
  maxWorkers: 1,
  verbose: true,
};
