import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { InMemorySessionStore } from '../store/inMemorySessionStore.js';
import { RedisSessionStore } from '../store/redisSessionStore.js';
import type { SessionStore } from '../store/sessionStore.js';
import { backendExchange, chargerExchange } from '../testing/harness.fixture.js';
import { createTranslator } from './translator.js';

/**
 * Property: a whole 1.6 transaction (start, meter values, stop) keeps its meaning through the proxy — ids map
 * both ways, seqNo counts from 0 without gaps, amounts and timestamps are unchanged.
 */

const redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 2 });
const prefix = `test:proxy-prop:${randomUUID()}:`;
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

const isoDate = fc.integer({ min: 946684800000, max: 2524608000000 }).map((ms) => new Date(ms).toISOString());
const reading = fc.oneof(fc.integer({ min: 0, max: 2_000_000_000 }), fc.double({ min: 0, max: 1e7, noNaN: true, noDefaultInfinity: true }));
const scenario = fc.record({
  connectorId: fc.integer({ min: 1, max: 8 }),
  idTag: fc.string({ minLength: 1, maxLength: 20 }),
  meterStart: fc.integer({ min: 0, max: 2_000_000_000 }),
  start: isoDate,
  samples: fc.array(fc.record({ timestamp: isoDate, values: fc.array(reading, { minLength: 1, maxLength: 3 }) }), { maxLength: 4 }),
  meterStop: fc.integer({ min: 0, max: 2_000_000_000 }),
  stop: isoDate,
  reason: fc.constantFrom('EmergencyStop', 'EVDisconnected', 'HardReset', 'Local', 'Other', 'PowerLoss', 'Reboot', 'Remote', 'SoftReset', 'UnlockCommand', 'DeAuthorized'),
});

type Tx = { eventType: string; triggerReason?: string; seqNo: number; timestamp: string; transactionInfo: { transactionId: string; stoppedReason?: string }; evse?: { id: number }; idToken?: { idToken: string }; meterValue?: Array<{ timestamp: string; sampledValue: Array<{ value: number }> }> };

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

async function runScenario(store: SessionStore, s: Scenario): Promise<void> {
  const t = createTranslator({ store });
  const identity = `CP-${randomUUID()}`;
  const backend = () => ({ idTokenInfo: { status: 'Accepted' } });
  const start = await chargerExchange(t, identity, 'StartTransaction', { connectorId: s.connectorId, idTag: s.idTag, meterStart: s.meterStart, timestamp: s.start }, backend);
  const started = start.calls[0]?.params as Tx;
  expect(started).toMatchObject({ eventType: 'Started', seqNo: 0, timestamp: s.start, evse: { id: s.connectorId }, idToken: { idToken: s.idTag } });
  expect(started.meterValue?.[0]?.sampledValue[0]?.value).toBe(s.meterStart);
  const id16 = (start.result as { transactionId: number }).transactionId;
  const id201 = started.transactionInfo.transactionId;
  expect(Number.isInteger(id16)).toBe(true);

  let seq = 1;
  for (const sample of s.samples) {
    const mv = await chargerExchange(t, identity, 'MeterValues', {
      connectorId: s.connectorId,
      transactionId: id16,
      meterValue: [{ timestamp: sample.timestamp, sampledValue: sample.values.map((v) => ({ value: String(v) })) }],
    }, () => ({}));
    const ev = mv.calls[0]?.params as Tx;
    expect(ev).toMatchObject({ eventType: 'Updated', seqNo: seq++, transactionInfo: { transactionId: id201 } });
    expect(ev.meterValue?.[0]?.timestamp).toBe(sample.timestamp);
    expect(ev.meterValue?.[0]?.sampledValue.map((x) => x.value)).toEqual(sample.values.map((v) => Number(String(v))));
  }

  // The backend's view of the id maps back to the charger's integer.
  const remoteStop = await backendExchange(t, identity, 'RequestStopTransaction', { transactionId: id201 }, () => ({ status: 'Accepted' }));
  expect(remoteStop.calls[0]?.params).toEqual({ transactionId: id16 });

  const stop = await chargerExchange(t, identity, 'StopTransaction', { transactionId: id16, meterStop: s.meterStop, timestamp: s.stop, reason: s.reason }, backend);
  const ended = stop.calls[0]?.params as Tx;
  expect(ended).toMatchObject({ eventType: 'Ended', seqNo: seq, timestamp: s.stop, transactionInfo: { transactionId: id201 } });
  const last = ended.meterValue?.at(-1);
  expect(last?.timestamp).toBe(s.stop);
  expect(last?.sampledValue[0]?.value).toBe(s.meterStop);
  const expectedReason = s.reason === 'HardReset' || s.reason === 'SoftReset' ? 'ImmediateReset' : s.reason === 'UnlockCommand' ? 'Remote' : s.reason;
  expect(ended.transactionInfo.stoppedReason).toBe(expectedReason);
  // Only a Reset.req (HardReset/SoftReset) is a ResetCommand; 1.6 Reboot is the charger rebooting by itself.
  expect(ended.triggerReason === 'ResetCommand').toBe(s.reason === 'HardReset' || s.reason === 'SoftReset');
}

describe('transaction round trip', () => {
  it('keeps ids, amounts and timestamps (in-memory store)', async () => {
    await fc.assert(fc.asyncProperty(scenario, (s) => runScenario(new InMemorySessionStore(), s)), { numRuns: 60 });
  });

  it('keeps ids, amounts and timestamps (Redis store)', async () => {
    await fc.assert(fc.asyncProperty(scenario, (s) => runScenario(new RedisSessionStore({ redis, keyPrefix: prefix }), s)), { numRuns: 15 });
  });
});
