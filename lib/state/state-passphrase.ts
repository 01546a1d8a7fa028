import * as path from 'path';
import { Fn, TerraformVariable } from 'cdktf';
import { ValidationError } from '../core/errors';

/** Marks a `StatePassphrase` of any copy of the library (a literal string passed in its place is refused). */
const PASSPHRASE = Symbol.for('cdktf-docker-networking.state-passphrase');

/**
 * Where OpenTofu takes the passphrase of an encrypted state from: a sensitive Terraform variable (`TF_VAR_<name>` at
 * run time) or a file on the machine that runs OpenTofu. Never a string in code: it would be in `cdk.tf.json`, and
 * in git with it. OpenTofu's `pbkdf2` key provider needs 16 characters at least.
 */
export class StatePassphrase {
  /**
   * The value of `variable`, which must be declared `sensitive: true` and without a `default` (a default is a
   * passphrase in code).
   */
  public static fromVariable(variable: TerraformVariable): StatePassphrase {
    if (variable.sensitive !== true) {
      throw new ValidationError(
        'StatePassphrase',
        `the variable ${variable.node.path} is not sensitive: OpenTofu would print the passphrase in plans. Declare it with sensitive: true`,
      );
    }
    if (variable.default !== undefined) {
      throw new ValidationError(
        'StatePassphrase',
        `the variable ${variable.node.path} has a default value: that is a passphrase written in code (in cdk.tf.json, and in git). ` +
          'Remove the default and give the value at run time (TF_VAR_<name>), or use StatePassphrase.fromFile',
      );
    }
    return new StatePassphrase(variable.stringValue, `the variable ${variable.node.path}`);
  }

  /**
   * The content of `file` without surrounding white space, read by OpenTofu when it runs. A relative path is taken
   * from the folder the app is synthesized in (the project's), and written absolute.
   */
  public static fromFile(file: string): StatePassphrase {
    if (file.trim() === '') throw new ValidationError('StatePassphrase', 'fromFile needs the path of the file that holds the passphrase');
    const absolute = path.resolve(file);
    return new StatePassphrase(Fn.trimspace(Fn.file(absolute)), `the file ${absolute}`);
  }

  /** True for a `StatePassphrase`, also one made by another copy of this library. */
  public static isStatePassphrase(x: unknown): x is StatePassphrase {
    return typeof x === 'object' && x !== null && (x as { [PASSPHRASE]?: boolean })[PASSPHRASE] === true;
  }

  /** The expression OpenTofu evaluates for the passphrase (a reference, never the passphrase itself). */
  public readonly expression: string;

  /** Where the passphrase comes from, for messages: `the variable app/state_passphrase`, `the file /run/x`. */
  public readonly source: string;

  private constructor(expression: string, source: string) {
    this.expression = expression;
    this.source = source;
    Object.defineProperty(this, PASSPHRASE, { value: true });
  }
}
