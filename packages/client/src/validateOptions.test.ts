import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OCPPClient } from './ocppClient.js';
import type { OCPPClientOptions } from './options.js';
import { FLEET_PER_MESSAGE_DEFLATE } from './options.js';

const base: OCPPClientOptions = { endpoint: 'ws://127.0.0.1:1/ocpp', identity: 'CP-1', protocols: ['ocpp1.6'] };

/** Builds a client from `base` plus `extra` (typed loosely: these tests pass what untyped callers could). */
function make(extra: Record<string, unknown>): OCPPClient {
  return new OCPPClient({ ...base, ...extra });
}

/** [option, bad value, error class, text the message must contain] */
const BAD: Array<[string, unknown, ErrorConstructor | TypeErrorConstructor | RangeErrorConstructor, string]> = [
  ['offlineQueue', true, TypeError, 'offlineQueue'],
  ['offlineQueue', -1, RangeError, 'offlineQueue'],
  ['offlineQueue', 1.5, RangeError, 'offlineQueue'],
  ['offlineQueue', Infinity, RangeError, 'offlineQueue'],
  ['offlineQueue', '10', TypeError, 'offlineQueue'],
  ['callTimeoutMs', 0, RangeError, 'callTimeoutMs'],
  ['callTimeoutMs', Number.NaN, TypeError, 'callTimeoutMs'],
  ['callTimeoutMs', 2 ** 31, RangeError, 'callTimeoutMs'],
  ['callConcurrency', 0, RangeError, 'callConcurrency'],
  ['maxBadMessages', -1, RangeError, 'maxBadMessages'],
  ['maxBadMessages', '10', TypeError, 'maxBadMessages'],
  ['inboundConcurrency', 0, RangeError, 'inboundConcurrency'],
  ['inboundQueueLimit', 2.5, RangeError, 'inboundQueueLimit'],
  ['pingIntervalMs', -1, RangeError, 'pingIntervalMs'],
  ['pingIntervalMs', Infinity, RangeError, 'pingIntervalMs'],
  ['deadPeerTimeoutMs', 0, RangeError, 'deadPeerTimeoutMs'],
  ['handshakeTimeoutMs', '30s', TypeError, 'handshakeTimeoutMs'],
  ['closeTimeoutMs', -5, RangeError, 'closeTimeoutMs'],
  ['maxPayloadBytes', 0, RangeError, 'maxPayloadBytes'],
  ['reconnect', 'yes', TypeError, 'reconnect'],
  ['retryInitialConnect', 1, TypeError, 'retryInitialConnect'],
  ['strictMode', 'on', TypeError, 'strictMode'],
  ['strictMode', { inboundRequests: 'yes' }, TypeError, 'strictMode.inboundRequests'],
  ['strictMode', { protocols: 'ocpp1.6' }, TypeError, 'strictMode.protocols'],
  ['strictMode', { inbound: true }, TypeError, 'strictMode has an unknown field "inbound"'],
  ['backoff', 5, TypeError, 'backoff'],
  ['backoff', { factor: 0 }, RangeError, 'backoff.factor'],
  ['backoff', { jitter: 'sometimes' }, TypeError, 'backoff.jitter'],
  ['backoff', { maxAttempts: 0 }, RangeError, 'backoff.maxAttempts'],
  ['backoff', { initial: 5 }, TypeError, 'backoff has an unknown field'],
  ['perMessageDeflate', 'yes', TypeError, 'perMessageDeflate'],
  ['validators', {}, TypeError, 'validators'],
  ['generateMessageId', 'uuid', TypeError, 'generateMessageId'],
  ['random', 0.5, TypeError, 'random'],
  ['password', 42, TypeError, 'password'],
  ['password', '', TypeError, 'password'],
  ['headers', 'x-a: 1', TypeError, 'headers'],
  ['headers', { 'x-a': 1 }, TypeError, 'headers.x-a'],
  ['headers', { 'x a': 'v' }, TypeError, 'invalid header name'],
  ['headers', { 'x-a': 'v\r\nx-injected: 1' }, TypeError, 'headers.x-a'],
  ['query', { a: {} }, TypeError, 'query.a'],
  ['query', { a: Number.NaN }, TypeError, 'query.a'],
  ['protocols', 'ocpp1.6', TypeError, 'protocols'],
  ['protocols', ['ocpp1.6', 'ocpp1.6'], TypeError, 'twice'],
  ['protocols', ['ocpp 1.6'], TypeError, 'protocols[]'],
  ['protocols', [16], TypeError, 'protocols[]'],
  ['identity', 42, TypeError, 'identity'],
  ['endpoint', 42, TypeError, 'endpoint'],
  ['offlineQueueSize', 10, TypeError, 'no option "offlineQueueSize"'],
];

describe('OCPPClient option validation', () => {
  it.each(BAD)('%s = %j is refused at construction, naming the option', (name, value, kind, text) => {
    const attempt = (): OCPPClient => make({ [name]: value });
    expect(attempt).toThrow(kind);
    expect(attempt).toThrow(text);
  });

  it('checks TLS settings: PEM fields, TLS 1.2+, cert with key, and a wss:// endpoint', () => {
    const wss = { endpoint: 'wss://127.0.0.1:1/ocpp' };
    expect(() => make({ ...wss, tls: { ca: 42 } })).toThrow(/tls\.ca/);
    expect(() => make({ ...wss, tls: { ca: [] } })).toThrow(/tls\.ca/);
    expect(() => make({ ...wss, tls: { minVersion: 'TLSv1.1' } })).toThrow(/tls\.minVersion/);
    expect(() => make({ ...wss, tls: { rejectUnauthorized: 'false' } })).toThrow(/tls\.rejectUnauthorized/);
    expect(() => make({ ...wss, tls: { cert: 'PEM' } })).toThrow(/tls\.cert and tls\.key must be given together/);
    expect(() => make({ ...wss, tls: { verify: false } })).toThrow(/tls has an unknown field "verify"/);
    expect(() => make({ tls: { ca: 'PEM' } })).toThrow(/tls needs a wss:\/\/ endpoint/);
    expect(() => make({ ...wss, tls: { ca: ['PEM', Buffer.from('PEM')], cert: 'C', key: Buffer.from('K'), minVersion: 'TLSv1.3', servername: 'csms' } })).not.toThrow();
  });

  it('accepts every documented value, undefined as "not set", and the exported deflate preset', () => {
    const client = make({
      password: Buffer.from('0123456789abcdef'),
      headers: { 'x-site': 'A1' },
      query: { a: 'x', b: 1, c: true },
      strictMode: { inboundRequests: false, protocols: ['ocpp1.6'] },
      callTimeoutMs: 1000,
      callConcurrency: Infinity,
      maxBadMessages: Infinity,
      inboundConcurrency: 4,
      inboundQueueLimit: 0,
      validators: () => undefined,
      generateMessageId: () => 'id',
      reconnect: false,
      retryInitialConnect: true,
      backoff: { initialMs: 0, maxMs: 10, factor: 1, jitter: 'none', maxAttempts: Infinity },
      offlineQueue: 100,
      pingIntervalMs: 0,
      deadPeerTimeoutMs: 500,
      handshakeTimeoutMs: 500,
      closeTimeoutMs: 0,
      perMessageDeflate: FLEET_PER_MESSAGE_DEFLATE,
      maxPayloadBytes: 65_536,
      random: Math.random,
      tls: undefined,
    });
    expect(client.state).toBe('idle');
  });

  it('property: any value for any option is either accepted or refused with a TypeError/RangeError that names it', () => {
    const names = Object.keys({
      password: 0, headers: 0, query: 0, strictMode: 0, callTimeoutMs: 0, callConcurrency: 0, maxBadMessages: 0,
      inboundConcurrency: 0, inboundQueueLimit: 0, validators: 0, generateMessageId: 0, reconnect: 0,
      retryInitialConnect: 0, backoff: 0, offlineQueue: 0, pingIntervalMs: 0, deadPeerTimeoutMs: 0,
      handshakeTimeoutMs: 0, closeTimeoutMs: 0, perMessageDeflate: 0, maxPayloadBytes: 0, random: 0, protocols: 0,
    });
    const value = fc.oneof(fc.anything(), fc.double(), fc.integer({ min: -5, max: 2 ** 32 }), fc.boolean(), fc.constant(true), fc.func(fc.anything()));
    fc.assert(
      fc.property(fc.constantFrom(...names), value, (name, v) => {
        try {
          make({ [name]: v });
        } catch (err) {
          expect(err instanceof TypeError || err instanceof RangeError).toBe(true);
          expect((err as Error).message).toContain(name);
        }
      }),
      { numRuns: 600 },
    );
  });

  it('property: a whole-number option takes exactly the whole numbers in its range', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -3, max: 100 }), fc.double({ min: -3, max: 100 })), (n) => {
        const ok = Number.isInteger(n) && n >= 0;
        if (ok) expect(() => make({ offlineQueue: n, inboundQueueLimit: n, maxBadMessages: n })).not.toThrow();
        else {
          expect(() => make({ offlineQueue: n })).toThrow(/offlineQueue/);
          expect(() => make({ inboundQueueLimit: n })).toThrow(/inboundQueueLimit/);
          expect(() => make({ maxBadMessages: n })).toThrow(/maxBadMessages/);
        }
      }),
    );
  });
});
