import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { InMemorySessionStore } from '../store/inMemorySessionStore.js';
import { RedisSessionStore } from '../store/redisSessionStore.js';
import type { SessionStore } from '../store/sessionStore.js';
import { backendExchange, chargerExchange } from '../testing/harness.fixture.js';
import { createTranslator, type Translator } from './translator.js';

/**
 * Property: whatever token and 2.0.1 type the backend names (remote start, reservation, local list, a
 * groupIdToken in an Authorize or TransactionEvent answer), the charger's later Authorize, StartTransaction
 * and StopTransaction for that tag carry the same type: a CSMS looks tokens up by idToken and type.
 */

const redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 2 });
const prefix = `test:proxy-idtoken:${randomUUID()}:`;
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

const NOW = '2025-03-01T10:00:00.000Z';
const TYPES = ['Central', 'eMAID', 'ISO14443', 'ISO15693', 'KeyCode', 'Local', 'MacAddress', 'NoAuthorization'] as const;
const SOURCES = ['RequestStartTransaction', 'ReserveNow', 'SendLocalList', 'AuthorizeGroup', 'StartedGroup'] as const;
type Source = (typeof SOURCES)[number];

/** The backend names `token` with `type` in one of the ways it can. */
async function nameToken(t: Translator, identity: string, source: Source, token: string, type: string): Promise<void> {
  const idToken = { idToken: token, type };
  switch (source) {
    case 'RequestStartTransaction':
      await backendExchange(t, identity, source, { idToken, remoteStartId: 1, evseId: 1 }, () => ({ status: 'Accepted' }));
      return;
    case 'ReserveNow':
      await backendExchange(t, identity, source, { id: 3, expiryDateTime: NOW, idToken, evseId: 2 }, () => ({ status: 'Accepted' }));
      return;
    case 'SendLocalList':
      await backendExchange(t, identity, source, { versionNumber: 2, updateType: 'Differential', localAuthorizationList: [{ idToken, idTokenInfo: { status: 'Accepted' } }] }, () => ({ status: 'Accepted' }));
      return;
    case 'AuthorizeGroup':
      // The token is the group (parent) of another tag the charger presented.
      await chargerExchange(t, identity, 'Authorize', { idTag: 'OTHER-TAG' }, () => ({ idTokenInfo: { status: 'Accepted', groupIdToken: idToken } }));
      return;
    case 'StartedGroup': {
      const start = await chargerExchange(t, identity, 'StartTransaction', { connectorId: 3, idTag: 'OTHER-TAG', meterStart: 0, timestamp: NOW }, () => ({
        idTokenInfo: { status: 'Accepted', groupIdToken: idToken },
      }));
      const transactionId = (start.result as { transactionId: number }).transactionId;
      await chargerExchange(t, identity, 'StopTransaction', { transactionId, meterStop: 1, timestamp: NOW }, () => ({}));
    }
  }
}

async function check(store: SessionStore, token: string, type: string, source: Source, policyType: 'ISO14443' | 'Local'): Promise<void> {
  const t = createTranslator({ store, policy: { idTokenType: policyType }, now: () => new Date(NOW) });
  const identity = `CP-${randomUUID()}`;
  await nameToken(t, identity, source, token, type);

  const auth = await chargerExchange(t, identity, 'Authorize', { idTag: token }, () => ({ idTokenInfo: { status: 'Accepted' } }));
  expect(auth.calls[0]?.params).toEqual({ idToken: { idToken: token, type } });
  const start = await chargerExchange(t, identity, 'StartTransaction', { connectorId: 1, idTag: token, meterStart: 0, timestamp: NOW }, () => ({ idTokenInfo: { status: 'Accepted' } }));
  expect(start.calls[0]?.params).toMatchObject({ idToken: { idToken: token, type } });
  const transactionId = (start.result as { transactionId: number }).transactionId;
  const stop = await chargerExchange(t, identity, 'StopTransaction', { transactionId, idTag: token, meterStop: 10, timestamp: NOW }, () => ({}));
  expect(stop.calls[0]?.params).toMatchObject({ idToken: { idToken: token, type } });

  // A tag the backend never named still gets the policy's type.
  const unnamed = await chargerExchange(t, identity, 'Authorize', { idTag: token === 'UNNAMED' ? 'UNNAMED-2' : 'UNNAMED' }, () => ({ idTokenInfo: { status: 'Accepted' } }));
  expect((unnamed.calls[0]?.params as { idToken: { type: string } }).idToken.type).toBe(policyType);
}

const arbitraries = [
  fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s !== 'OTHER-TAG'),
  fc.constantFrom(...TYPES),
  fc.constantFrom(...SOURCES),
  fc.constantFrom('ISO14443' as const, 'Local' as const),
] as const;

describe('idToken types named by the backend', () => {
  it('come back with the charger\'s tag (in-memory store)', async () => {
    await fc.assert(fc.asyncProperty(...arbitraries, (token, type, source, policyType) => check(new InMemorySessionStore(), token, type, source, policyType)), { numRuns: 80 });
  });

  it('come back with the charger\'s tag (Redis store)', async () => {
    await fc.assert(
      fc.asyncProperty(...arbitraries, (token, type, source, policyType) => check(new RedisSessionStore({ redis, keyPrefix: prefix }), token, type, source, policyType)),
      { numRuns: 15 },
    );
  });

  it('RequestStartTransaction {type: Central} gives a TransactionEvent Started with type Central (the reported case)', async () => {
    const t = createTranslator({ now: () => new Date(NOW) });
    await backendExchange(t, 'CP1', 'RequestStartTransaction', { idToken: { idToken: 'APP123', type: 'Central' }, remoteStartId: 9, evseId: 1 }, () => ({ status: 'Accepted' }));
    const start = await chargerExchange(t, 'CP1', 'StartTransaction', { connectorId: 1, idTag: 'APP123', meterStart: 0, timestamp: NOW }, () => ({ idTokenInfo: { status: 'Accepted' } }));
    expect(start.calls[0]?.params).toMatchObject({ triggerReason: 'RemoteStart', idToken: { idToken: 'APP123', type: 'Central' } });
  });
});
