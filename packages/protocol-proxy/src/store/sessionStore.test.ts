import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { InMemorySessionStore } from './inMemorySessionStore.js';
import { RedisSessionStore } from './redisSessionStore.js';
import type { SessionStore, TransactionRecord } from './sessionStore.js';

const redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: false, maxRetriesPerRequest: 2 });
const prefixes: string[] = [];
afterAll(async () => {
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
  }
  await redis.quit();
});

function redisStore(maxEndedTransactions?: number, maxIdTokens?: number): RedisSessionStore {
  const keyPrefix = `test:proxy:${randomUUID()}:`;
  prefixes.push(keyPrefix);
  return new RedisSessionStore({ redis, keyPrefix, maxEndedTransactions, maxIdTokens });
}

const tx = (id16: number, over: Partial<TransactionRecord> = {}): TransactionRecord => ({ id16, id201: `t-${id16}`, evseId: 1, idTag: 'A', ended: false, ...over });

const stores: Array<[string, (max?: number, maxIdTokens?: number) => SessionStore]> = [
  ['InMemorySessionStore', (max, maxIdTokens) => new InMemorySessionStore({ maxEndedTransactions: max, maxIdTokens })],
  ['RedisSessionStore', redisStore],
];

describe.each(stores)('%s', (_name, make) => {
  it('increments counters per charger, starting at 1, without lost updates', async () => {
    const store = make();
    const values = await Promise.all(Array.from({ length: 50 }, () => store.increment('CP1', 'tx16')));
    expect([...values].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await store.increment('CP2', 'tx16')).toBe(1);
  });

  it('maps transactions both ways and tracks the active one per EVSE', async () => {
    const store = make();
    await store.saveTransaction('CP1', tx(7, { chargingState: 'Charging', remoteStartId: 9 }));
    expect(await store.getTransactionBy16('CP1', 7)).toEqual(tx(7, { chargingState: 'Charging', remoteStartId: 9 }));
    expect((await store.getTransactionBy201('CP1', 't-7'))?.id16).toBe(7);
    expect((await store.getActiveTransaction('CP1', 1))?.id201).toBe('t-7');
    expect(await store.getTransactionBy16('CP2', 7)).toBeUndefined();
    await store.saveTransaction('CP1', tx(7, { ended: true }));
    expect(await store.getActiveTransaction('CP1', 1)).toBeUndefined();
    expect((await store.getTransactionBy16('CP1', 7))?.ended).toBe(true);
  });

  it('forgets the oldest ended transactions beyond the bound', async () => {
    const store = make(2);
    for (const id of [1, 2, 3]) {
      await store.saveTransaction('CP1', tx(id));
      await store.saveTransaction('CP1', tx(id, { ended: true }));
    }
    expect(await store.getTransactionBy16('CP1', 1)).toBeUndefined();
    expect(await store.getTransactionBy201('CP1', 't-1')).toBeUndefined();
    expect((await store.getTransactionBy16('CP1', 3))?.ended).toBe(true);
  });

  it('hands a remote start to exactly one taker, matching idTag and EVSE, skipping expired ones', async () => {
    const store = make();
    await store.addRemoteStart('CP1', { remoteStartId: 1, idTag: 'A', evseId: 2, expiresAt: 1000 });
    await store.addRemoteStart('CP1', { remoteStartId: 2, idTag: 'A', expiresAt: 5000 });
    await store.addRemoteStart('CP1', { remoteStartId: 3, idTag: 'B', expiresAt: 5000 });
    expect(await store.takeRemoteStart('CP1', 1, 'A', 2000)).toEqual({ remoteStartId: 2, idTag: 'A', expiresAt: 5000 });
    const takers = await Promise.all([store.takeRemoteStart('CP1', 1, 'B', 2000), store.takeRemoteStart('CP1', 1, 'B', 2000)]);
    expect(takers.filter(Boolean)).toHaveLength(1);
    // Expired (1000 < 2000) and already removed:
    expect(await store.takeRemoteStart('CP1', 2, 'A', 2000)).toBeUndefined();
    await store.addRemoteStart('CP1', { remoteStartId: 4, idTag: 'C', expiresAt: 5000 });
    await store.removeRemoteStart('CP1', 4);
    expect(await store.takeRemoteStart('CP1', 1, 'C', 2000)).toBeUndefined();
  });

  it('never returns less than atLeast, and keeps counting up from there', async () => {
    const store = make();
    expect(await store.increment('CP1', 'tx16')).toBe(1);
    expect(await store.increment('CP1', 'tx16', 90_000_000)).toBe(90_000_000);
    expect(await store.increment('CP1', 'tx16', 5)).toBe(90_000_001);
    expect(await store.increment('CP1', 'tx16')).toBe(90_000_002);
  });

  it('lists the transactions it keeps, open and ended', async () => {
    const store = make();
    expect(await store.listTransactions('CP1')).toEqual([]);
    await store.saveTransaction('CP1', tx(1));
    await store.saveTransaction('CP1', tx(2, { evseId: 2 }));
    await store.saveTransaction('CP1', tx(1, { ended: true, stop: { timestamp: 't', meterStop: 5, seqNo: 3, confirmed: true } }));
    const listed = await store.listTransactions('CP1');
    expect(listed.sort((a, b) => a.id16 - b.id16)).toEqual([tx(1, { ended: true, stop: { timestamp: 't', meterStop: 5, seqNo: 3, confirmed: true } }), tx(2, { evseId: 2 })]);
  });

  it('remembers idToken types per charger, forgetting the least recently named beyond the bound', async () => {
    const store = make(undefined, 3);
    for (const [token, type] of [['A', 'Central'], ['B', 'eMAID'], ['C', 'Local']]) await store.setIdTokenType('CP1', token as string, type as string);
    await store.setIdTokenType('CP1', 'A', 'KeyCode'); // named again: now the most recent
    await store.setIdTokenType('CP1', 'D', 'ISO15693'); // over the bound: B goes
    expect(await store.getIdTokenType('CP1', 'A')).toBe('KeyCode');
    expect(await store.getIdTokenType('CP1', 'B')).toBeUndefined();
    expect(await store.getIdTokenType('CP1', 'C')).toBe('Local');
    expect(await store.getIdTokenType('CP1', 'D')).toBe('ISO15693');
    expect(await store.getIdTokenType('CP2', 'A')).toBeUndefined();
    await store.clear('CP1');
    expect(await store.getIdTokenType('CP1', 'A')).toBeUndefined();
  });

  it('keeps small values and clears a charger', async () => {
    const store = make();
    await store.setValue('CP1', 'logRequestId', '5');
    expect(await store.getValue('CP1', 'logRequestId')).toBe('5');
    await store.saveTransaction('CP1', tx(1));
    await store.clear('CP1');
    expect(await store.getValue('CP1', 'logRequestId')).toBeUndefined();
    expect(await store.getTransactionBy16('CP1', 1)).toBeUndefined();
    expect(await store.increment('CP1', 'tx16')).toBe(1);
  });
});

it('RedisSessionStore: two instances on one Redis share state', async () => {
  const a = redisStore();
  const b = new RedisSessionStore({ redis, keyPrefix: prefixes[prefixes.length - 1] });
  await a.saveTransaction('CP1', tx(3));
  expect((await b.getActiveTransaction('CP1', 1))?.id201).toBe('t-3');
  expect(await a.increment('CP1', 'tx16')).toBe(1);
  expect(await b.increment('CP1', 'tx16')).toBe(2);
});
