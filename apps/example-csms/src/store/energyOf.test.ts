import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { energyOf } from './transactionRepository.js';

describe('energyOf', () => {
  it('is never negative and is the difference of the readings otherwise', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e9, noNaN: true }), fc.double({ min: 0, max: 1e9, noNaN: true }), (start, end) => {
        const energy = energyOf(start, end);
        expect(energy).toBeGreaterThanOrEqual(0);
        if (end >= start) expect(Math.abs(energy - (end - start))).toBeLessThan(0.001 + 1e-9 * end);
      }),
    );
    expect(energyOf(null, 5)).toBe(0);
  });
});
