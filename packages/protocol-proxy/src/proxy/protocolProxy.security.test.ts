/**
 * The proxy against hostile chargers, over real sockets: it refuses to lend its upstream credentials to
 * unauthenticated chargers, limits what one address or one connection may cost before the backend is
 * involved, and never relays a backend's error text raw.
 */
import { ConnectionRefusedError, OCPPClient } from '@chargewire/client';
import { RpcError } from '@chargewire/rpc-core';
import { OCPPServer, type ServerClient } from '@chargewire/server';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { DEFAULT_DOWNSTREAM_LIMITS, type ProtocolProxyOptions } from './options.js';
import { createProtocolProxy, type ProtocolProxy, type RefusedEvent } from './protocolProxy.js';
import { UnauthenticatedChargersError } from './unauthenticatedChargers.js';

const PASSWORD = 'charger-secret-0123456789';
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A 2.0.1 backend that accepts PASSWORD, counts handshake attempts, and answers Heartbeat with `heartbeat()`. */
async function startBackend(heartbeat: () => unknown = () => ({ currentTime: new Date().toISOString() })) {
  const server = new OCPPServer({ protocols: ['ocpp2.0.1'], pingIntervalMs: 0 });
  const attempts: string[] = [];
  server.auth((ctx) => {
    attempts.push(ctx.handshake.identity);
    return ctx.handshake.password?.toString() === PASSWORD ? ctx.accept() : ctx.reject(401);
  });
  server.on('client', (sc: ServerClient) => sc.handle('ocpp2.0.1', 'Heartbeat', () => heartbeat() as { currentTime: string }));
  const { port } = await server.listen(0, '127.0.0.1');
  cleanups.push(() => server.close());
  return { attempts, url: `ws://127.0.0.1:${port}/ocpp` };
}

async function startProxy(backendUrl: string, options: Partial<ProtocolProxyOptions> = {}) {
  const proxy: ProtocolProxy = createProtocolProxy({
    ...options,
    upstream: { url: backendUrl, pingIntervalMs: 0, ...options.upstream },
    downstream: { pingIntervalMs: 0, ...options.downstream },
  });
  const refused: RefusedEvent[] = [];
  proxy.on('refused', (e: RefusedEvent) => refused.push(e));
  const { port } = await proxy.listen();
  cleanups.push(() => proxy.close());
  return { proxy, refused, url: `ws://127.0.0.1:${port}/ocpp16` };
}

function charger(url: string, identity: string, password = PASSWORD): OCPPClient {
  const cp = new OCPPClient({ endpoint: url, identity, protocols: ['ocpp1.6'], password, reconnect: false, pingIntervalMs: 0 });
  cp.on('error', () => undefined);
  cleanups.push(() => cp.close({ force: true }));
  return cp;
}

/** The HTTP status a handshake ends with (101 when accepted). */
async function handshakeStatus(url: string, identity: string, password = PASSWORD): Promise<number> {
  const cp = charger(url, identity, password);
  try {
    await cp.connect();
    await cp.close({ force: true });
    return 101;
  } catch (err) {
    if (err instanceof ConnectionRefusedError) return err.status;
    throw err;
  }
}

/** A raw 1.6 WebSocket (to send frames no OCPP client would) and the close code it ends with. */
async function rawCharger(url: string, identity: string): Promise<{ ws: WebSocket; closed: Promise<number> }> {
  const ws = new WebSocket(`${url}/${identity}`, ['ocpp1.6'], {
    headers: { authorization: `Basic ${Buffer.from(`${identity}:${PASSWORD}`).toString('base64')}` },
  });
  ws.on('error', () => undefined);
  cleanups.push(async () => ws.terminate());
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused: ${res.statusCode}`)));
  });
  return { ws, closed };
}

/** The close code, or 'still open' after `ms`. */
function closeCode(closed: Promise<number>, ms = 3000): Promise<number | 'still open'> {
  return Promise.race([closed, new Promise<'still open'>((resolve) => setTimeout(() => resolve('still open'), ms))]);
}

describe('protocol proxy: injected upstream credentials need authenticated chargers', () => {
  const backendUrl = 'ws://127.0.0.1:9/ocpp';

  it('refuses a per-identity upstream password without charger verification (UnauthenticatedChargersError)', () => {
    const create = () => createProtocolProxy({ upstream: { url: backendUrl }, auth: { upstreamPassword: () => PASSWORD } });
    expect(create).toThrow(UnauthenticatedChargersError);
    expect(create).toThrow(/allowUnauthenticatedChargers/);
    // Profiles 1 and 2 check only the username, never the password: still refused.
    for (const securityProfile of [0, 1, 2] as const) {
      expect(() =>
        createProtocolProxy({ upstream: { url: backendUrl }, downstream: { securityProfile }, auth: { upstreamPassword: () => PASSWORD } }),
      ).toThrow(UnauthenticatedChargersError);
    }
  });

  it('refuses a static Authorization header or an upstream client certificate without charger verification', () => {
    const basic = `Basic ${Buffer.from(`proxy:${PASSWORD}`).toString('base64')}`;
    expect(() => createProtocolProxy({ upstream: { url: backendUrl, headers: { Authorization: basic } } })).toThrow(UnauthenticatedChargersError);
    const err = (() => {
      try {
        createProtocolProxy({ upstream: { url: backendUrl, tls: { cert: 'CERT', key: 'KEY' } } });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(UnauthenticatedChargersError);
    expect(err).toMatchObject({ code: 'UNAUTHENTICATED_CHARGERS', injectedBy: ['upstream.tls client certificate'] });
  });

  it('accepts it with verify, with security profile 3, with the explicit opt-out, and whenever the charger password passes through', () => {
    const upstreamPassword = () => PASSWORD;
    const ok: ProtocolProxyOptions[] = [
      { upstream: { url: backendUrl }, auth: { upstreamPassword, verify: () => true } },
      { upstream: { url: backendUrl }, downstream: { securityProfile: 3 }, auth: { upstreamPassword } },
      { upstream: { url: backendUrl }, auth: { upstreamPassword, allowUnauthenticatedChargers: true } },
      { upstream: { url: backendUrl } },
      { upstream: { url: backendUrl }, auth: { upstreamPassword: 'none' } },
    ];
    for (const options of ok) expect(() => createProtocolProxy(options)).not.toThrow();
  });

  it('with the opt-out, any identity connects on the injected password (what the check prevents)', async () => {
    const backend = await startBackend();
    const { url } = await startProxy(backend.url, { auth: { upstreamPassword: () => PASSWORD, allowUnauthenticatedChargers: true } });
    expect(await handshakeStatus(url, 'SOMEONE-ELSE', 'not-the-password-at-all')).toBe(101);
  });
});

describe('protocol proxy: downstream limits', () => {
  it('has finite defaults', () => {
    expect(DEFAULT_DOWNSTREAM_LIMITS).toEqual({
      maxConnections: 10_000,
      connectionRateLimit: { connections: 60, perMs: 60_000 },
      messageRateLimit: { messages: 100, perMs: 1_000 },
      maxPayload: 131_072,
      maxBadMessages: 10,
    });
  });

  it('rate-limits connection attempts per address before opening upstream, and caches the backend 401 per identity', async () => {
    const backend = await startBackend();
    const { url, refused } = await startProxy(backend.url);
    // Default budget: 60 attempts per minute per address. A password guesser reaches the backend once.
    const statuses: number[] = [];
    for (let i = 0; i < 61; i++) statuses.push(await handshakeStatus(url, 'CP-VICTIM', `guess-${i}-0123456789abcdef`));
    expect(statuses.slice(0, 60)).toEqual(Array(60).fill(401));
    expect(statuses[60]).toBe(429);
    expect(backend.attempts).toEqual(['CP-VICTIM']);
    expect(refused.filter((e) => e.cached)).toHaveLength(59);
  });

  it('forgets a backend refusal after upstream.refusalCacheMs', async () => {
    const backend = await startBackend();
    const { url } = await startProxy(backend.url, { upstream: { url: backend.url, refusalCacheMs: 150 } });
    expect(await handshakeStatus(url, 'CP-1', 'wrong-password-0123456789')).toBe(401);
    expect(await handshakeStatus(url, 'CP-1')).toBe(401); // cached: even the right password waits for the TTL
    expect(backend.attempts).toEqual(['CP-1']);
    // Another identity is not affected.
    expect(await handshakeStatus(url, 'CP-2')).toBe(101);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await handshakeStatus(url, 'CP-1')).toBe(101);
    expect(backend.attempts).toEqual(['CP-1', 'CP-2', 'CP-1']);
  });

  it('applies downstream.connectionRateLimit and maxConnections before the upstream is contacted', async () => {
    const backend = await startBackend();
    const limited = await startProxy(backend.url, { downstream: { connectionRateLimit: { connections: 2, perMs: 60_000 } } });
    expect([await handshakeStatus(limited.url, 'A-1'), await handshakeStatus(limited.url, 'A-2'), await handshakeStatus(limited.url, 'A-3')]).toEqual([101, 101, 429]);
    expect(backend.attempts).toEqual(['A-1', 'A-2']);

    const full = await startProxy(backend.url, { downstream: { maxConnections: 1 } });
    await charger(full.url, 'B-1').connect();
    expect(await handshakeStatus(full.url, 'B-2')).toBe(503);
    expect(backend.attempts).toEqual(['A-1', 'A-2', 'B-1']);
  });

  it('closes a charger exceeding downstream.messageRateLimit with 1008', async () => {
    const backend = await startBackend();
    const { url } = await startProxy(backend.url, { downstream: { messageRateLimit: { messages: 3, perMs: 60_000 } } });
    const { ws, closed } = await rawCharger(url, 'CP-FLOOD');
    for (let i = 0; i < 5; i++) ws.send(JSON.stringify([2, `m${i}`, 'Heartbeat', {}]));
    expect(await closeCode(closed)).toBe(1008);
  });

  it('closes a charger sending a frame over the default maxPayload (128 KiB) with 1009', async () => {
    const backend = await startBackend();
    const { url } = await startProxy(backend.url);
    const { ws, closed } = await rawCharger(url, 'CP-BIG');
    ws.send(JSON.stringify([2, 'big', 'DataTransfer', { vendorId: 'V', data: 'x'.repeat(140_000) }]));
    expect(await closeCode(closed)).toBe(1009);
  });

  it('closes a charger after the default maxBadMessages (10) unreadable frames', async () => {
    const backend = await startBackend();
    const { url } = await startProxy(backend.url);
    const { ws, closed } = await rawCharger(url, 'CP-GARBAGE');
    for (let i = 0; i < 11; i++) ws.send('not json');
    expect([1002, 1008]).toContain(await closeCode(closed));
  });
});

describe('protocol proxy: backend error descriptions', () => {
  it('strips control characters and bounds the description to 255 characters before relaying a CALLERROR', async () => {
    const hostile = `\u001b[2J\u001b[31mBACKEND\u0000 says\r\nFAKE LOG LINE\u202e ${'x'.repeat(400)}`;
    const backend = await startBackend(() => {
      throw new RpcError('GenericError', hostile);
    });
    const { proxy, url } = await startProxy(backend.url);
    // A middleware error is relayed the same way, and is not bounded by the backend's 2.x wire rules.
    proxy.use(async (ctx, next) => {
      if (ctx.action === 'BootNotification') ctx.error = { code: 'GenericError', description: hostile };
      else await next();
    });
    const cp = charger(url, 'CP-ERR');
    await cp.connect();
    for (const call of [() => cp.call('ocpp1.6', 'Heartbeat', {}), () => cp.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' })]) {
      const err = await call().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RpcError);
      const { description } = err as RpcError;
      expect(description.length).toBeLessThanOrEqual(255);
      expect(description).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      expect(description).toContain('BACKEND says');
    }
  });
});
