import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { InMemorySessionStore } from '../store/inMemorySessionStore.js';
import { RedisSessionStore } from '../store/redisSessionStore.js';
import type { SessionStore } from '../store/sessionStore.js';
import { callError, chargerExchange, type Peer } from '../testing/harness.fixture.js';
import { createTranslator } from './translator.js';

/**
 * Properties of TransactionEvent Ended: a 1.6 charger repeats StopTransaction until it gets an answer (§4.10),
 * and may carry the final register reading in transactionData itself. The backend must see what a 2.0.1
 * station sends: one Ended per transaction (a repeat only with the same seqNo, and none once it was accepted),
 * and the final reading once.
 */

const redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 2 });
const prefix = `test:proxy-stop:${randomUUID()}:`;
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

const NOW = '2025-03-01T10:00:00.000Z';
type Ended = { eventType: string; seqNo: number; transactionInfo: { transactionId: string }; meterValue: Array<{ sampledValue: Array<{ value: number; context?: string; measurand?: string; phase?: string }> }> };

const STORES: Array<[string, () => SessionStore, number]> = [
  ['in-memory store', () => new InMemorySessionStore(), 100],
  ['Redis store', () => new RedisSessionStore({ redis, keyPrefix: prefix }), 15],
];

describe.each(STORES)('StopTransaction retries (%s)', (_name, makeStore, numRuns) => {
  it('never produce a second Ended: a retry before the backend accepted it keeps the seqNo, after it none is sent', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Per attempt: did the backend accept the Ended (true) or answer with a CALLERROR / not at all (false)?
        fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.constantFrom('Local', 'Remote', 'EVDisconnected', 'PowerLoss', undefined),
        async (answers, meterUpdates, meterStop, reason) => {
          const t = createTranslator({ store: makeStore(), now: () => new Date(NOW) });
          const identity = `CP-${randomUUID()}`;
          const start = await chargerExchange(t, identity, 'StartTransaction', { connectorId: 1, idTag: 'TAG', meterStart: 0, timestamp: NOW }, () => ({ idTokenInfo: { status: 'Accepted' } }));
          const transactionId = (start.result as { transactionId: number }).transactionId;
          for (let i = 0; i < meterUpdates; i++) {
            await chargerExchange(t, identity, 'MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: NOW, sampledValue: [{ value: String(i) }] }] }, () => ({}));
          }
          const stop = { transactionId, meterStop, timestamp: NOW, ...(reason && { reason }) };
          const sent: Ended[] = [];
          let accepted = false;
          for (const accept of answers) {
            const backend: Peer = (call) => {
              sent.push(call.params as Ended);
              return accept ? { idTokenInfo: { status: 'Accepted' } } : callError('InternalError', 'lost');
            };
            const ex = await chargerExchange(t, identity, 'StopTransaction', stop, backend);
            if (accepted) {
              expect(ex.calls).toEqual([]);
              expect(ex.result).toEqual({ idTagInfo: { status: 'Accepted' } });
            }
            accepted ||= accept;
          }
          const ended = sent.filter((e) => e.eventType === 'Ended');
          expect(ended.length).toBeGreaterThan(0);
          expect(new Set(ended.map((e) => e.seqNo))).toEqual(new Set([1 + meterUpdates]));
          // Every Ended sent is the same message (a 2.0.1 station's retry), and none follows an accepted one.
          for (const e of ended) expect(e).toEqual(ended[0]);
          const firstAccepted = answers.indexOf(true);
          expect(ended.length).toBe(firstAccepted < 0 ? answers.length : firstAccepted + 1);
        },
      ),
      { numRuns },
    );
  });

  it('a later, different StopTransaction for an accepted stop is answered without an Ended', async () => {
    const t = createTranslator({ store: new InMemorySessionStore(), now: () => new Date(NOW) });
    const start = await chargerExchange(t, 'CP1', 'StartTransaction', { connectorId: 1, idTag: 'TAG', meterStart: 0, timestamp: NOW }, () => ({ idTokenInfo: { status: 'Accepted' } }));
    const transactionId = (start.result as { transactionId: number }).transactionId;
    await chargerExchange(t, 'CP1', 'StopTransaction', { transactionId, meterStop: 5, timestamp: NOW }, () => ({ idTokenInfo: { status: 'Blocked' } }));
    const late = await chargerExchange(t, 'CP1', 'StopTransaction', { transactionId, meterStop: 6, timestamp: '2025-03-01T10:00:01.000Z' }, () => ({}));
    expect(late.calls).toEqual([]);
    expect(late.result).toEqual({ idTagInfo: { status: 'Blocked' } });
    expect(late.notes.join()).toContain('already ended');
  });
});

const context = fc.constantFrom('Transaction.End', 'Sample.Periodic', 'Sample.Clock', 'Transaction.Begin', undefined);
const sample = fc.record(
  {
    value: fc.integer({ min: 0, max: 1_000_000 }).map(String),
    context,
    measurand: fc.constantFrom('Energy.Active.Import.Register', 'Power.Active.Import', 'Current.Import', undefined),
    phase: fc.constantFrom('L1', undefined),
  },
  { requiredKeys: ['value'] },
);
const transactionData = fc.array(fc.record({ timestamp: fc.constant(NOW), sampledValue: fc.array(sample, { minLength: 1, maxLength: 4 }) }), { maxLength: 3 });

describe('the final meter reading', () => {
  it('is added to the Ended event only when transactionData does not already carry it', async () => {
    await fc.assert(
      fc.asyncProperty(transactionData, fc.integer({ min: 0, max: 1_000_000 }), async (data, meterStop) => {
        // fast-check's record leaves optional keys out or sets them to undefined; 1.6 payloads have no undefined.
        const clean = data.map((mv) => ({ ...mv, sampledValue: mv.sampledValue.map((s) => Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined))) }));
        const t = createTranslator({ store: new InMemorySessionStore(), now: () => new Date(NOW) });
        const start = await chargerExchange(t, 'CP1', 'StartTransaction', { connectorId: 1, idTag: 'TAG', meterStart: 0, timestamp: NOW }, () => ({ idTokenInfo: { status: 'Accepted' } }));
        const transactionId = (start.result as { transactionId: number }).transactionId;
        const ex = await chargerExchange(t, 'CP1', 'StopTransaction', { transactionId, meterStop, timestamp: NOW, transactionData: clean }, () => ({}));
        const ended = ex.calls[0]?.params as Ended;
        const finals = ended.meterValue.flatMap((mv) => mv.sampledValue).filter(
          (s) => s.context === 'Transaction.End' && (s.measurand ?? 'Energy.Active.Import.Register') === 'Energy.Active.Import.Register' && s.phase === undefined,
        );
        const inData = clean.flatMap((mv) => mv.sampledValue).filter(
          (s) => s['context'] === 'Transaction.End' && (s['measurand'] ?? 'Energy.Active.Import.Register') === 'Energy.Active.Import.Register' && s['phase'] === undefined,
        ).length;
        // The charger's own samples pass as sent; meterStop is added only when it sent none.
        expect(finals).toHaveLength(Math.max(1, inData));
        if (inData === 0) expect(finals[0]?.value).toBe(meterStop);
      }),
      { numRuns: 150 },
    );
  });
});
