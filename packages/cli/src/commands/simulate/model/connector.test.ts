import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advance, drawnCurrent, newConnector, sessionEnergy, type ConnectorState } from './connector.js';

describe('connector model', () => {
  it('draws current only while charging, capped by the profile limit', () => {
    const c = newConnector(1, 32);
    expect(drawnCurrent(c)).toBe(0);
    expect(drawnCurrent({ ...c, status: 'Charging' })).toBe(32);
    expect(drawnCurrent({ ...c, status: 'Charging', limitA: 10 })).toBe(10);
  });

  it('accumulates energy and state of charge while charging', () => {
    const c = advance({ ...newConnector(1, 16), status: 'Charging', plugged: true, transactionId: 1 }, 3600);
    // 3 phases × 228 V × 16 A for one hour.
    expect(c.powerW).toBe(3 * 228 * 16);
    expect(c.energyWh).toBeCloseTo(3 * 228 * 16, 0);
    expect(c.socPercent).toBeGreaterThan(20);
    expect(sessionEnergy(c)).toBeCloseTo(c.energyWh, 1);
  });

  it('suspends on a full battery (SuspendedEV) and on a zero limit (SuspendedEVSE), resuming when lifted', () => {
    const full = advance({ ...newConnector(1), status: 'Charging', plugged: true, transactionId: 1, socPercent: 99.99 }, 3600);
    expect(full.status).toBe('SuspendedEV');
    expect(full.currentA).toBe(0);
    const zero = advance({ ...newConnector(1), status: 'Charging', plugged: true, transactionId: 1, limitA: 0 }, 60);
    expect(zero.status).toBe('SuspendedEVSE');
    expect(advance({ ...zero, limitA: 8 }, 60)).toMatchObject({ status: 'Charging', currentA: 8 });
  });

  it('never runs the meter backwards or exceeds the limit (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ seconds: fc.integer({ min: 0, max: 7200 }), limit: fc.option(fc.integer({ min: 0, max: 63 }), { nil: undefined }) }), { maxLength: 20 }),
        (steps) => {
          let c: ConnectorState = { ...newConnector(1, 32), status: 'Charging', plugged: true, transactionId: 1 };
          let state = advance(c, 0);
          for (const step of steps) {
            const before = state.energyWh;
            state = advance({ ...state, limitA: step.limit }, step.seconds);
            expect(state.energyWh).toBeGreaterThanOrEqual(before);
            expect(state.currentA).toBeLessThanOrEqual(Math.min(32, step.limit ?? 32));
            expect(state.socPercent).toBeLessThanOrEqual(100);
          }
          c = state;
          expect(c.energyWh).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});
