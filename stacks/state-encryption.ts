import { TerraformStack, TerraformVariable } from 'cdktf';
import { StateEncryption, StateEncryptionMode, StatePassphrase } from '../lib';

/**
 * `STATE_ENCRYPTION`: whether main.ts encrypts each stack's state and plans (OpenTofu only, docs/opentofu.md):
 * `on` (the default under OpenTofu: encrypts, and reads a state not encrypted yet once, so that a checkout deployed
 * with Terraform moves over), `off` (the default under Terraform, which has no state encryption), or `decrypt`
 * (writes the state back unencrypted: the way back to Terraform). The mode is undefined for `off`.
 */
export function stateEncryptionFromEnvironment(env: NodeJS.ProcessEnv = process.env): StateEncryptionMode | undefined {
  const opentofu = (env.TERRAFORM_BINARY_NAME ?? '').split('/').pop()!.startsWith('tofu');
  const choice = env.STATE_ENCRYPTION || (opentofu ? 'on' : 'off');
  switch (choice) {
    case 'on':
      return StateEncryptionMode.MIGRATE;
    case 'decrypt':
      return StateEncryptionMode.DECRYPT;
    case 'off':
      return undefined;
    default:
      throw new Error(`STATE_ENCRYPTION="${choice}" is not a choice; use "on" (the default under OpenTofu), "off" or "decrypt".`);
  }
}

/**
 * Encrypts `stack`'s state with the passphrase of its sensitive variable `state_passphrase`, which the main job sets
 * from .secrets/state-passphrase (TF_VAR_state_passphrase).
 */
export function encryptState(stack: TerraformStack, mode: StateEncryptionMode): StateEncryption {
  const variable = new TerraformVariable(stack, 'state_passphrase', {
    type: 'string',
    sensitive: true,
    description: "The passphrase of the state's encryption (OpenTofu); npm run deploy keeps it in .secrets/state-passphrase",
  });
  return new StateEncryption(stack, 'state-encryption', { passphrase: StatePassphrase.fromVariable(variable), mode });
}
