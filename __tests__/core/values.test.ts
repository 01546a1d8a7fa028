import { Duration, Size, ValidationError } from '../../lib';

describe('Duration', () => {
  test.each([
    [Duration.millis(0), '0s'],
    [Duration.millis(500), '500ms'],
    [Duration.seconds(5), '5s'],
    [Duration.millis(1500), '1.5s'],
    [Duration.seconds(60), '1m0s'],
    [Duration.seconds(90), '1m30s'],
    [Duration.minutes(60), '1h0m0s'],
    [Duration.seconds(3723), '1h2m3s'],
  ])('renders %p in Go notation as %p, the way Docker reports it back', (duration, text) => {
    expect(duration.toGoString()).toBe(text);
  });

  test('rounds seconds up for second-based provider attributes', () => {
    expect(Duration.millis(1500).toSeconds()).toBe(2);
  });

  test('rejects negative and sub-millisecond amounts', () => {
    expect(() => Duration.seconds(-1)).toThrow(ValidationError);
    expect(() => Duration.seconds(-1)).toThrow(
      'Duration: -1 seconds is not a whole, non-negative number of milliseconds; use a whole number of milliseconds >= 0, e.g. Duration.millis(1500).',
    );
    expect(() => Duration.millis(0.5)).toThrow('Duration: 0.5 milliseconds is not a whole, non-negative number of milliseconds;');
  });
});

describe('Size', () => {
  test('counts in mebibytes', () => {
    expect(Size.gibibytes(2).toMebibytes()).toBe(2048);
    expect(Size.mebibytes(256).toMebibytes()).toBe(256);
  });

  test('rejects amounts that are not positive whole mebibytes', () => {
    expect(() => Size.mebibytes(0)).toThrow(ValidationError);
    expect(() => Size.mebibytes(0)).toThrow(
      'Size: 0 MiB is not a positive whole number of mebibytes (the provider counts memory in MiB); use e.g. Size.mebibytes(512).',
    );
    expect(() => Size.gibibytes(0.0001)).toThrow('Size: 0.0001 GiB is not a positive whole number of mebibytes');
  });
});
