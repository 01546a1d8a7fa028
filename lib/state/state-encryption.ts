import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { hasBrand, registerConstruct } from '../core/brand';
import { ValidationError } from '../core/errors';
import { StatePassphrase } from './state-passphrase';

/** What the encryption does to a state and a plan that it reads and writes. */
export enum StateEncryptionMode {
  /** Writes encrypted and reads only what this key (or `previousKey`) encrypted: OpenTofu's `enforced` is on. */
  ENCRYPT = 'encrypt',
  /**
   * Writes encrypted, and also reads a state that is not encrypted yet (written before the encryption was on, or by
   * Terraform): the next apply writes it encrypted. OpenTofu's `enforced` is off, since it forbids the unencrypted
   * fallback; nothing is written unencrypted either way.
   */
  MIGRATE = 'migrate',
  /**
   * Writes unencrypted and reads what this key encrypted: the way back to Terraform, which cannot read an encrypted
   * state. After one apply (`tofu apply`, or `npm run deploy`) the state is plain again.
   */
  DECRYPT = 'decrypt',
}

/** A passphrase the state was encrypted with before, under the name it had. */
export interface StateEncryptionKey {
  /** The earlier passphrase. */
  readonly passphrase: StatePassphrase;
  /** The name it had (the `keyName` of the encryption then): OpenTofu finds the key's salt in the state under it. */
  readonly name: string;
}

export interface StateEncryptionProps {
  /** The passphrase: from a sensitive variable or a file, never a string in code. */
  readonly passphrase: StatePassphrase;

  /**
   * The key's name, which OpenTofu records in the encrypted state (`key_provider.pbkdf2.<name>`) with the key's salt.
   * Give a new passphrase a new name, and the old one as `previousKey` under its old name.
   * @default 'passphrase'
   */
  readonly keyName?: string;

  /**
   * Key rotation: the passphrase the state is encrypted with now, read as OpenTofu's `fallback`; the next apply
   * writes the state with `passphrase`. Remove it once every state of the stack was written again.
   * @default - only `passphrase` decrypts
   */
  readonly previousKey?: StateEncryptionKey;

  /**
   * Whether to write encrypted (and what else to read), or to write unencrypted again.
   * @default StateEncryptionMode.ENCRYPT
   */
  readonly mode?: StateEncryptionMode;
}

/** Where a stack keeps the path of its StateEncryption (shared by every copy of the library). */
const ONE_A_STACK = Symbol.for('cdktf-docker-networking.state-encryption');

/** How a name may look in OpenTofu's configuration (an HCL identifier). */
const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/**
 * Client-side encryption of the stack's state and plans by OpenTofu (its `encryption` block in the `terraform`
 * block: a `pbkdf2` key from a passphrase, `aes_gcm`), so that neither a state file nor a state backend (PostgreSQL)
 * holds the stack's secrets in clear text. OpenTofu 1.7 or newer (1.8 for the passphrase from a variable).
 *
 * Terraform has no state encryption and stops at the block ("No argument or block type is named "encryption""):
 * the synth is refused unless TERRAFORM_BINARY_NAME names OpenTofu (`tofu`), the variable cdktf runs the CLI by.
 * One a stack.
 */
export class StateEncryption extends Construct {
  /** True for a StateEncryption, also one from another copy of this library. */
  public static isStateEncryption(x: unknown): x is StateEncryption {
    return hasBrand(x, 'StateEncryption');
  }

  /** The stack whose state is encrypted. */
  public readonly stack: TerraformStack;

  /** The key's name in the state (`keyName`). */
  public readonly keyName: string;

  /** The mode. */
  public readonly mode: StateEncryptionMode;

  constructor(scope: Construct, id: string, props: StateEncryptionProps) {
    super(scope, id);
    registerConstruct(this, 'StateEncryption');
    this.stack = TerraformStack.of(this);
    this.keyName = props.keyName ?? 'passphrase';
    this.mode = props.mode ?? StateEncryptionMode.ENCRYPT;
    this.validate(props);

    const keys: Record<string, { passphrase: string }> = { [this.keyName]: { passphrase: props.passphrase.expression } };
    if (props.previousKey) keys[props.previousKey.name] = { passphrase: props.previousKey.passphrase.expression };
    const aesGcm = Object.fromEntries(Object.keys(keys).map((name) => [name, { keys: `\${key_provider.pbkdf2.${name}}` }]));
    const current = `method.aes_gcm.${this.keyName}`;
    const usage = (() => {
      switch (this.mode) {
        case StateEncryptionMode.MIGRATE:
          return { method: current, fallback: { method: 'method.unencrypted.unencrypted' } };
        case StateEncryptionMode.DECRYPT:
          return { method: 'method.unencrypted.unencrypted', fallback: { method: current } };
        default:
          return { method: current, enforced: true, ...(props.previousKey ? { fallback: { method: `method.aes_gcm.${props.previousKey.name}` } } : {}) };
      }
    })();
    this.stack.addOverride('terraform.encryption', {
      key_provider: { pbkdf2: keys },
      method: { aes_gcm: aesGcm, ...(this.mode === StateEncryptionMode.ENCRYPT ? {} : { unencrypted: { unencrypted: {} } }) },
      state: usage,
      plan: usage,
    });
  }

  private validate(props: StateEncryptionProps): void {
    for (const [what, value] of [
      ['passphrase', props.passphrase],
      ['previousKey.passphrase', props.previousKey?.passphrase],
    ] as const) {
      if (value !== undefined && !StatePassphrase.isStatePassphrase(value)) {
        throw new ValidationError(
          this,
          `the ${what} is ${typeof value === 'string' ? 'a string written in code' : 'not a StatePassphrase'}: it would be in cdk.tf.json, and in git. ` +
            'Use StatePassphrase.fromVariable(a sensitive TerraformVariable) or StatePassphrase.fromFile(path)',
        );
      }
    }
    const binary = process.env.TERRAFORM_BINARY_NAME || 'terraform';
    if (!binary.split('/').pop()!.startsWith('tofu')) {
      throw new ValidationError(
        this,
        `Terraform has no state encryption: it stops at OpenTofu's encryption block (No argument or block type is named "encryption"), ` +
          `and TERRAFORM_BINARY_NAME is ${process.env.TERRAFORM_BINARY_NAME ? `"${binary}"` : 'not set (terraform)'}. ` +
          'Run the stack with OpenTofu (TERRAFORM_BINARY_NAME=tofu), or remove the StateEncryption and keep the state where only its owners can read it',
      );
    }
    for (const name of [this.keyName, props.previousKey?.name]) {
      if (name !== undefined && !NAME.test(name)) {
        throw new ValidationError(this, `the key name "${name}" is not a name OpenTofu accepts: start with a letter or _, then letters, digits, _ or -`);
      }
    }
    if (props.previousKey && props.previousKey.name === this.keyName) {
      throw new ValidationError(
        this,
        `the previous key has the name of the new one ("${this.keyName}"): OpenTofu finds a key's salt in the state by its name. Give the new passphrase a new keyName`,
      );
    }
    if (props.previousKey && this.mode !== StateEncryptionMode.ENCRYPT) {
      throw new ValidationError(this, `a previousKey (key rotation) works in the mode ENCRYPT only, not ${this.mode.toUpperCase()}: OpenTofu reads one fallback`);
    }
    const existing = (this.stack as { [ONE_A_STACK]?: string })[ONE_A_STACK];
    if (existing !== undefined) throw new ValidationError(this, `the stack already has a StateEncryption (${existing}): one a stack`);
    Object.defineProperty(this.stack, ONE_A_STACK, { value: this.node.path });
  }
}
