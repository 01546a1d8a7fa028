import { ValidationError } from './errors';

/** An amount of memory, for container limits. */
export class Size {
  public static mebibytes(amount: number): Size {
    return new Size(amount, `${amount} MiB`);
  }

  public static gibibytes(amount: number): Size {
    return new Size(amount * 1024, `${amount} GiB`);
  }

  private constructor(private readonly mebibytes: number, private readonly description: string) {
    if (!Number.isInteger(mebibytes) || mebibytes <= 0) {
      throw new ValidationError(
        'Size',
        `${description} is not a positive whole number of mebibytes (the provider counts memory in MiB); use e.g. Size.mebibytes(512).`,
      );
    }
  }

  public toMebibytes(): number {
    return this.mebibytes;
  }

  public toString(): string {
    return this.description;
  }
}
