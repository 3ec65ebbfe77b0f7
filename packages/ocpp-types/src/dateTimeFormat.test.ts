import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// The hand-written format module the generated validators require, against ajv-formats' reference.
const requireHere = createRequire(import.meta.url);
const ours = (requireHere('../runtime/formats.cjs') as Record<string, (s: string) => boolean>)['date-time']!;
const reference = (requireHere('ajv-formats/dist/formats') as { fullFormats: Record<string, { validate: (s: string) => boolean }> }).fullFormats['date-time']!.validate;

const digits = (n: number, max: number): fc.Arbitrary<string> => fc.integer({ min: 0, max }).map((v) => String(v).padStart(n, '0'));
const piece = <T>(values: readonly T[]): fc.Arbitrary<T> => fc.constantFrom(...values);

/** Strings shaped like date-times, with every part pushed to and past its limits. */
const dateTimeLike = fc
  .tuple(
    fc.oneof(digits(4, 9999), piece(['2000', '1900', '2024', '2100', '0000', '123', '20a4'])),
    piece(['-', '/', '']),
    digits(2, 19),
    piece(['-']),
    fc.oneof(digits(2, 39), piece(['29', '30', '31', '1', 'x1'])),
    piece(['T', 't', ' ', '\n', '\t', '\u00a0', '\u2003', '\ufeff', '\u3000', 'x', '_', 'TT', '']),
    fc.oneof(digits(2, 29), piece(['23', '24', '00', '-1', '2'])),
    piece([':', ':', '.']),
    fc.oneof(digits(2, 69), piece(['59', '60', '00'])),
    piece([':']),
    fc.oneof(digits(2, 69), piece(['59', '60', '61', '5'])),
    piece(['', '', '.', '.5', '.123456789', '.9', '.x', '..5']),
    piece(['Z', 'z', '', '+00:00', '-00:00', '+01:00', '-01:00', '+0530', '+05', '-23:59', '+24:00', '-00:60', '+05:', '+1:00', 'ZZ', 'Z ', '+01:00Z', '+01:0', '+01::00', '-0100', '+2359']),
    piece(['', '', '', ' ', 'x', '\n', '0']),
  )
  .map((parts) => parts.join(''));

/** Valid-looking strings with one character replaced, inserted or removed. */
const mutated = fc
  .tuple(fc.constantFrom('2026-01-01T00:00:00.000Z', '2024-02-29T23:59:60+00:00', '1999-12-31 23:59:60-01:00', '2026-06-30T12:30:45+0530'), fc.nat(30), fc.nat(0xffff), fc.constantFrom('replace', 'insert', 'remove'))
  .map(([s, at, code, op]) => {
    const i = at % (s.length + 1);
    const c = String.fromCharCode(code % 3 === 0 ? code : 32 + (code % 96));
    if (op === 'replace') return s.slice(0, i) + c + s.slice(i + 1);
    if (op === 'insert') return s.slice(0, i) + c + s.slice(i);
    return s.slice(0, i) + s.slice(i + 1);
  });

describe('date-time format used by the generated validators', () => {
  it('accepts exactly what ajv-formats accepts (shaped, mutated and arbitrary strings)', () => {
    fc.assert(
      fc.property(fc.oneof(dateTimeLike, mutated, fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 30 })), (s) => {
        expect(ours(s)).toBe(reference(s));
      }),
      { numRuns: 20_000 },
    );
  });

  it('decides the classic cases', () => {
    const cases: Array<[string, boolean]> = [
      ['2026-01-01T00:00:00Z', true],
      ['2026-01-01T00:00:00.123+01:00', true],
      ['2024-02-29T12:00:00Z', true],
      ['2023-02-29T12:00:00Z', false],
      ['1900-02-29T12:00:00Z', false],
      ['2000-02-29T12:00:00Z', true],
      ['2026-01-01T00:00:00', false],
      ['2026-01-01 00:00:00z', true],
      ['1998-12-31T23:59:60Z', true],
      ['1998-12-31T23:59:60.5Z', true],
      ['1998-12-31T22:59:60Z', false],
      ['1998-12-31T15:59:60-08:00', true],
      ['2026-13-01T00:00:00Z', false],
      ['2026-01-01T24:00:00Z', false],
    ];
    for (const [s, valid] of cases) {
      expect(ours(s), s).toBe(valid);
      expect(reference(s), s).toBe(valid);
    }
  });
});
