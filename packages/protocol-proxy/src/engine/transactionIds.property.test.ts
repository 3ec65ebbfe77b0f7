import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InMemorySessionStore } from '../store/inMemorySessionStore.js';
import { chargerExchange } from '../testing/harness.fixture.js';
import { transactionIdFloor } from './charger/transactions.js';
import { createTranslator } from './translator.js';

/**
 * Property: 1.6 transaction ids handed to a charger never repeat, also across proxy restarts with the
 * in-memory store (which forgets its counter): a charger may still hold a live transaction from before the
 * restart and stop it later. Ids are seeded from the clock and stay within a signed 32-bit integer.
 */

const INT32_MAX = 2 ** 31 - 1;

describe('1.6 transaction ids', () => {
  it('never repeat across restarts of a proxy with the in-memory store', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2090, 0, 1) }),
        // One entry per StartTransaction: seconds since the previous one (≥ 1: a transaction takes time) and
        // whether the proxy restarted just before it.
        fc.array(fc.record({ gapMs: fc.integer({ min: 1000, max: 90 * 86_400_000 }), restart: fc.boolean() }), { minLength: 1, maxLength: 25 }),
        async (startMs, starts) => {
          let clock = startMs;
          const make = () => createTranslator({ store: new InMemorySessionStore(), now: () => new Date(clock) });
          let t = make();
          const ids: number[] = [];
          for (const { gapMs, restart } of starts) {
            clock += gapMs;
            if (restart) t = make();
            const ex = await chargerExchange(t, 'CP1', 'StartTransaction', { connectorId: 1, idTag: 'TAG', meterStart: 0, timestamp: new Date(clock).toISOString() }, () => ({ idTokenInfo: { status: 'Accepted' } }));
            ids.push((ex.result as { transactionId: number }).transactionId);
          }
          expect(new Set(ids).size).toBe(ids.length);
          for (const id of ids) expect(Number.isInteger(id) && id >= 1 && id <= INT32_MAX).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('a restarted proxy does not hand out 1 again while the charger still holds transaction 1', async () => {
    const at = new Date('2026-12-03T12:00:00.000Z');
    const before = createTranslator({ store: new InMemorySessionStore(), now: () => at });
    const first = await chargerExchange(before, 'CP1', 'StartTransaction', { connectorId: 1, idTag: 'A', meterStart: 0, timestamp: at.toISOString() }, () => ({}));
    const later = new Date(at.getTime() + 5000);
    const after = createTranslator({ store: new InMemorySessionStore(), now: () => later });
    const second = await chargerExchange(after, 'CP1', 'StartTransaction', { connectorId: 2, idTag: 'B', meterStart: 0, timestamp: later.toISOString() }, () => ({}));
    const [a, b] = [first, second].map((ex) => (ex.result as { transactionId: number }).transactionId);
    expect(a).toBe(transactionIdFloor(at));
    expect(b).toBeGreaterThan(a as number);
  });

  it('stays within a signed 32-bit integer until 2092', () => {
    expect(transactionIdFloor(new Date('2092-01-01T00:00:00Z'))).toBeLessThanOrEqual(INT32_MAX);
    expect(transactionIdFloor(new Date('2020-01-01T00:00:00Z'))).toBe(1);
  });
});
