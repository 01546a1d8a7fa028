/**
 * ops/state/state-document.ts: what the main job reads of a state before Terraform or OpenTofu does, so that a
 * checkout switches between the two both ways (the real switch is in the deploy tier: e2e/opentofu.e2e.test.ts).
 */
import { encryptedStateProblem, isEncryptedState, stateProviders, takeOverCommands } from '../../../ops/state/state-document';

const resource = (type: string, host: string) => ({
  mode: 'managed',
  type,
  name: 'a',
  provider: `provider["${host}/kreuzwerker/docker"]`,
  instances: [],
});
const state = (...resources: object[]) => JSON.stringify({ version: 4, terraform_version: '1.10.10', serial: 3, lineage: 'l', resources });
/** What OpenTofu's state encryption writes (tested against OpenTofu 1.10.10). */
const ENCRYPTED = JSON.stringify({ serial: 1, lineage: 'l', meta: { 'key_provider.pbkdf2.passphrase': 'eyJ9' }, encrypted_data: 'mAjf' });

test('an encrypted state is told apart from a state, an empty file and text that is no JSON', () => {
  expect(isEncryptedState(ENCRYPTED)).toBe(true);
  expect(isEncryptedState(state())).toBe(false);
  expect(isEncryptedState('')).toBe(false);
  expect(isEncryptedState('not json')).toBe(false);
});

test("the providers a state's resources name, once each", () => {
  const text = state(resource('docker_network', 'registry.opentofu.org'), resource('docker_container', 'registry.opentofu.org'));
  expect(stateProviders(text)).toEqual(['registry.opentofu.org/kreuzwerker/docker']);
  expect(stateProviders(ENCRYPTED)).toEqual([]);
  expect(stateProviders('')).toEqual([]);
});

test("Terraform takes a state OpenTofu wrote over with replace-provider; OpenTofu needs nothing to read Terraform's", () => {
  const byTofu = state(resource('docker_network', 'registry.opentofu.org'));
  expect(takeOverCommands(byTofu, 'Terraform')).toEqual([
    ['state', 'replace-provider', '-auto-approve', 'registry.opentofu.org/kreuzwerker/docker', 'registry.terraform.io/kreuzwerker/docker'],
  ]);
  expect(takeOverCommands(state(resource('docker_network', 'registry.terraform.io')), 'Terraform')).toEqual([]);
  expect(takeOverCommands(byTofu, 'OpenTofu')).toEqual([]);
  expect(takeOverCommands(state(resource('docker_network', 'registry.terraform.io')), 'OpenTofu')).toEqual([]);
});

test('an encrypted state: Terraform is told how to get it back, OpenTofu only where the stack does not encrypt', () => {
  expect(encryptedStateProblem('voting-app', 'Terraform', true)).toBe(
    'the state of stack voting-app is encrypted by OpenTofu (state encryption), and Terraform cannot read an encrypted state. ' +
      'Write it back unencrypted with OpenTofu first (npm run deploy with TERRAFORM_BINARY_NAME=tofu STATE_ENCRYPTION=decrypt, ' +
      'docs/opentofu.md), then run Terraform again',
  );
  expect(encryptedStateProblem('voting-app', 'OpenTofu', true)).toBeUndefined();
  expect(encryptedStateProblem('voting-app', 'OpenTofu', false)).toBe(
    'the state of stack voting-app is encrypted, but the stack has no encryption configuration (StateEncryption; ' +
      'STATE_ENCRYPTION=off for npm run deploy): OpenTofu cannot read it without the passphrase. Leave STATE_ENCRYPTION unset, ' +
      'or set it to decrypt to write the state back unencrypted',
  );
});
