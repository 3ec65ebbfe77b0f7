import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF, resolveBackoff, type JitterMode } from './backoff.js';

describe('backoff', () => {
  it('defaults: 1 s initial, factor 2, 60 s cap, full jitter, unlimited attempts', () => {
    expect(resolveBackoff()).toEqual({ initialMs: 1000, maxMs: 60_000, factor: 2, jitter: 'full', maxAttempts: Infinity });
    expect(DEFAULT_BACKOFF.jitter).toBe('full');
  });

  it('without jitter doubles up to the cap', () => {
    const o = resolveBackoff({ jitter: 'none' });
    expect([0, 1, 2, 3, 4, 5, 6, 7, 100, 5000].map((a) => backoffDelay(a, undefined, o, 0.5))).toEqual([
      1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000, 60000,
    ]);
  });

  it('full jitter spans [0, exp]; equal jitter spans [exp/2, exp]', () => {
    const full = resolveBackoff({ jitter: 'full' });
    expect(backoffDelay(2, undefined, full, 0)).toBe(0);
    expect(backoffDelay(2, undefined, full, 0.5)).toBe(2000);
    expect(backoffDelay(2, undefined, full, 0.999999)).toBe(4000);
    const equal = resolveBackoff({ jitter: 'equal' });
    expect(backoffDelay(2, undefined, equal, 0)).toBe(2000);
    expect(backoffDelay(2, undefined, equal, 0.999999)).toBe(4000);
  });

  it('decorrelated jitter grows from the previous delay and stays in [initial, cap]', () => {
    const o = resolveBackoff({ jitter: 'decorrelated', initialMs: 100, maxMs: 10_000 });
    expect(backoffDelay(0, undefined, o, 0)).toBe(100);
    expect(backoffDelay(0, undefined, o, 0.999999)).toBe(300);
    expect(backoffDelay(5, 2000, o, 0.999999)).toBe(6000);
    expect(backoffDelay(5, 9000, o, 0.999999)).toBe(10_000);
  });

  it('an initial wait of 0 stays 0 however many attempts failed', () => {
    const o = resolveBackoff({ initialMs: 0, jitter: 'none' });
    expect(backoffDelay(100_000, undefined, o, 0.5)).toBe(0);
  });

  it('rejects invalid options', () => {
    expect(() => resolveBackoff({ initialMs: -1 })).toThrow(RangeError);
    expect(() => resolveBackoff({ initialMs: 10, maxMs: 5 })).toThrow(RangeError);
    expect(() => resolveBackoff({ factor: 0.5 })).toThrow(RangeError);
    expect(() => resolveBackoff({ jitter: 'sometimes' as JitterMode })).toThrow(RangeError);
    expect(() => resolveBackoff({ maxAttempts: 0 })).toThrow(RangeError);
  });

  it('every delay is an integer within [0, maxMs] and never exceeds the un-jittered exponential', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 120_000 }),
        fc.double({ min: 1, max: 10, noNaN: true }),
        fc.constantFrom<JitterMode>('none', 'full', 'equal', 'decorrelated'),
        fc.nat({ max: 10_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.option(fc.integer({ min: 0, max: 200_000 }), { nil: undefined }),
        (initialMs, extra, factor, jitter, attempt, random, previous) => {
          const o = resolveBackoff({ initialMs, maxMs: initialMs + extra, factor, jitter });
          const d = backoffDelay(attempt, previous, o, random);
          expect(Number.isInteger(d)).toBe(true);
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(o.maxMs);
          if (jitter !== 'decorrelated') {
            const exp = initialMs === 0 ? 0 : Math.min(o.maxMs, initialMs * Math.pow(factor, attempt));
            expect(d).toBeLessThanOrEqual(Math.round(exp));
          } else {
            expect(d).toBeGreaterThanOrEqual(Math.min(initialMs, o.maxMs));
          }
        },
      ),
    );
  });

  it('without jitter the sequence is non-decreasing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.double({ min: 1, max: 4, noNaN: true }), (initialMs, factor) => {
        const o = resolveBackoff({ initialMs, maxMs: 60_000, factor, jitter: 'none' });
        let last = 0;
        for (let a = 0; a < 40; a++) {
          const d = backoffDelay(a, undefined, o, 0);
          expect(d).toBeGreaterThanOrEqual(last);
          last = d;
        }
      }),
    );
  });
});
