import * as path from 'path';
import { LocalBackend, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { StateEncryption, StateEncryptionMode, StatePassphrase } from '../../lib';
import { newStack } from '../helpers';

const passphraseVariable = (stack: TerraformStack, id = 'state_passphrase') =>
  new TerraformVariable(stack, id, { type: 'string', sensitive: true });
const encryptionOf = (stack: TerraformStack) => JSON.parse(Testing.synth(stack)).terraform.encryption;

let binary: string | undefined;
beforeEach(() => {
  binary = process.env.TERRAFORM_BINARY_NAME;
  process.env.TERRAFORM_BINARY_NAME = 'tofu';
});
afterEach(() => {
  if (binary === undefined) delete process.env.TERRAFORM_BINARY_NAME;
  else process.env.TERRAFORM_BINARY_NAME = binary;
});

describe('StateEncryption', () => {
  test("encrypts state and plans with a pbkdf2 key from a sensitive variable and aes_gcm, enforced; the backend stays beside it", () => {
    const stack = newStack();
    new LocalBackend(stack, { path: '/p/terraform.test.tfstate' });
    const encryption = new StateEncryption(stack, 'encryption', { passphrase: StatePassphrase.fromVariable(passphraseVariable(stack)) });
    const terraform = JSON.parse(Testing.synth(stack)).terraform;
    const usage = { method: 'method.aes_gcm.passphrase', enforced: true };
    expect(terraform.encryption).toEqual({
      key_provider: { pbkdf2: { passphrase: { passphrase: '${var.state_passphrase}' } } },
      method: { aes_gcm: { passphrase: { keys: '${key_provider.pbkdf2.passphrase}' } } },
      state: usage,
      plan: usage,
    });
    expect(terraform.backend).toEqual({ local: { path: '/p/terraform.test.tfstate' } });
    expect(encryption.keyName).toBe('passphrase');
    expect(encryption.mode).toBe(StateEncryptionMode.ENCRYPT);
    expect(StateEncryption.isStateEncryption(encryption)).toBe(true);
    expect(StateEncryption.isStateEncryption(stack)).toBe(false);
  });

  test('the passphrase from a file: read by OpenTofu at run time, the path written absolute', () => {
    const stack = newStack();
    new StateEncryption(stack, 'encryption', { passphrase: StatePassphrase.fromFile('.secrets/state-passphrase') });
    const file = path.resolve('.secrets/state-passphrase');
    expect(encryptionOf(stack).key_provider.pbkdf2.passphrase).toEqual({ passphrase: `\${trimspace(file("${file}"))}` });
    expect(StatePassphrase.fromFile('/run/secrets/p').source).toBe('the file /run/secrets/p');
  });

  test('MIGRATE also reads an unencrypted state (enforced off); DECRYPT writes unencrypted and reads the encrypted one', () => {
    const migrate = newStack();
    new StateEncryption(migrate, 'encryption', { passphrase: StatePassphrase.fromVariable(passphraseVariable(migrate)), mode: StateEncryptionMode.MIGRATE });
    expect(encryptionOf(migrate)).toMatchObject({
      method: { aes_gcm: { passphrase: { keys: '${key_provider.pbkdf2.passphrase}' } }, unencrypted: { unencrypted: {} } },
      state: { method: 'method.aes_gcm.passphrase', fallback: { method: 'method.unencrypted.unencrypted' } },
      plan: { method: 'method.aes_gcm.passphrase', fallback: { method: 'method.unencrypted.unencrypted' } },
    });
    expect(encryptionOf(migrate).state.enforced).toBeUndefined();

    const decrypt = newStack();
    new StateEncryption(decrypt, 'encryption', { passphrase: StatePassphrase.fromVariable(passphraseVariable(decrypt)), mode: StateEncryptionMode.DECRYPT });
    expect(encryptionOf(decrypt).state).toEqual({ method: 'method.unencrypted.unencrypted', fallback: { method: 'method.aes_gcm.passphrase' } });
  });

  test('key rotation: the new passphrase under a new name, the previous one as the fallback under its old name', () => {
    const stack = newStack();
    new StateEncryption(stack, 'encryption', {
      passphrase: StatePassphrase.fromFile('/run/secrets/new'),
      keyName: 'passphrase_2',
      previousKey: { passphrase: StatePassphrase.fromVariable(passphraseVariable(stack)), name: 'passphrase' },
    });
    expect(encryptionOf(stack)).toEqual({
      key_provider: {
        pbkdf2: { passphrase_2: { passphrase: '${trimspace(file("/run/secrets/new"))}' }, passphrase: { passphrase: '${var.state_passphrase}' } },
      },
      method: { aes_gcm: { passphrase_2: { keys: '${key_provider.pbkdf2.passphrase_2}' }, passphrase: { keys: '${key_provider.pbkdf2.passphrase}' } } },
      state: { method: 'method.aes_gcm.passphrase_2', enforced: true, fallback: { method: 'method.aes_gcm.passphrase' } },
      plan: { method: 'method.aes_gcm.passphrase_2', enforced: true, fallback: { method: 'method.aes_gcm.passphrase' } },
    });
  });

  test('refused under Terraform, which stops at the block: the message says why and what to do', () => {
    for (const [value, said] of [
      [undefined, 'not set (terraform)'],
      ['/usr/local/bin/terraform', '"/usr/local/bin/terraform"'],
    ] as const) {
      if (value === undefined) delete process.env.TERRAFORM_BINARY_NAME;
      else process.env.TERRAFORM_BINARY_NAME = value;
      const stack = newStack();
      expect(() => new StateEncryption(stack, 'encryption', { passphrase: StatePassphrase.fromVariable(passphraseVariable(stack)) })).toThrow(
        `StateEncryption test/encryption: Terraform has no state encryption: it stops at OpenTofu's encryption block (No argument or block type is named "encryption"), ` +
          `and TERRAFORM_BINARY_NAME is ${said}. Run the stack with OpenTofu (TERRAFORM_BINARY_NAME=tofu), or remove the StateEncryption and keep the state where only its owners can read it`,
      );
    }
    process.env.TERRAFORM_BINARY_NAME = '/usr/local/bin/tofu';
    const stack = newStack();
    expect(() => new StateEncryption(stack, 'encryption', { passphrase: StatePassphrase.fromVariable(passphraseVariable(stack)) })).not.toThrow();
  });

  test('a passphrase written in code is refused at synth, without repeating it', () => {
    const stack = newStack();
    expect(() => new StateEncryption(stack, 'encryption', { passphrase: 'correct horse battery staple' as any })).toThrow(
      'StateEncryption test/encryption: the passphrase is a string written in code: it would be in cdk.tf.json, and in git. ' +
        'Use StatePassphrase.fromVariable(a sensitive TerraformVariable) or StatePassphrase.fromFile(path)',
    );
    expect(() =>
      new StateEncryption(stack, 'rotated', {
        passphrase: StatePassphrase.fromFile('/run/p'),
        keyName: 'next',
        previousKey: { passphrase: { expression: 'old' } as any, name: 'passphrase' },
      }),
    ).toThrow('StateEncryption test/rotated: the previousKey.passphrase is not a StatePassphrase: it would be in cdk.tf.json, and in git.');
  });

  test('a variable that is not sensitive, or that has a default (a passphrase in code), is refused', () => {
    const stack = newStack();
    expect(() => StatePassphrase.fromVariable(new TerraformVariable(stack, 'plain', { type: 'string' }))).toThrow(
      'StatePassphrase: the variable test/plain is not sensitive: OpenTofu would print the passphrase in plans. Declare it with sensitive: true',
    );
    expect(() => StatePassphrase.fromVariable(new TerraformVariable(stack, 'with_default', { type: 'string', sensitive: true, default: 'hunter2-hunter2-hunter2' }))).toThrow(
      'StatePassphrase: the variable test/with_default has a default value: that is a passphrase written in code (in cdk.tf.json, and in git). ' +
        'Remove the default and give the value at run time (TF_VAR_<name>), or use StatePassphrase.fromFile',
    );
    expect(() => StatePassphrase.fromFile(' ')).toThrow('StatePassphrase: fromFile needs the path of the file that holds the passphrase');
  });

  test('key names OpenTofu would refuse, a previous key under the new name, rotation outside ENCRYPT, two a stack: refused', () => {
    const stack = newStack();
    const passphrase = StatePassphrase.fromFile('/run/p');
    expect(() => new StateEncryption(stack, 'a', { passphrase, keyName: '2nd key' })).toThrow(
      'StateEncryption test/a: the key name "2nd key" is not a name OpenTofu accepts: start with a letter or _, then letters, digits, _ or -',
    );
    expect(() => new StateEncryption(stack, 'b', { passphrase, previousKey: { passphrase, name: 'passphrase' } })).toThrow(
      'StateEncryption test/b: the previous key has the name of the new one ("passphrase"): OpenTofu finds a key\'s salt in the state by its name. Give the new passphrase a new keyName',
    );
    expect(() => new StateEncryption(stack, 'c', { passphrase, keyName: 'k2', previousKey: { passphrase, name: 'k1' }, mode: StateEncryptionMode.DECRYPT })).toThrow(
      'StateEncryption test/c: a previousKey (key rotation) works in the mode ENCRYPT only, not DECRYPT: OpenTofu reads one fallback',
    );
    new StateEncryption(stack, 'first', { passphrase });
    expect(() => new StateEncryption(stack, 'second', { passphrase })).toThrow('StateEncryption test/second: the stack already has a StateEncryption (test/first): one a stack');
  });
});
