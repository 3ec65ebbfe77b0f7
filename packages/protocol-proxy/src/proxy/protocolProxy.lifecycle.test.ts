/**
 * The upstream lifecycle over real sockets: a charger that left keeps no upstream connection and no reconnect
 * attempts alive, whatever the order in which the two legs end.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { OCPPClient } from '@chargewire/client';
import { OCPPServer, type ServerClient } from '@chargewire/server';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { ChargerSession } from './chargerSession.js';
import { createProtocolProxy, type ProtocolProxy, type SessionEvent } from './protocolProxy.js';

const PASSWORD = 'charger-secret-0123456789';
/** Several reconnect back-offs (20 ms doubling to 80 ms): a live reconnect loop would try again in this time. */
const QUIET_MS = 400;
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Backend {
  server: OCPPServer;
  url: string;
  /** Handshake attempts per identity. */
  attempts: string[];
  /** Upstream connections currently open at the backend. */
  open: Map<string, ServerClient>;
  /** While set, the backend refuses handshakes with this status (a backend that is down but answers). */
  refuseWith: number | undefined;
  /** While set, auth waits for this promise before accepting. */
  hold: Promise<void> | undefined;
  connected(identity: string): Promise<ServerClient>;
}

async function startBackend(): Promise<Backend> {
  const server = new OCPPServer({ protocols: ['ocpp2.0.1'], pingIntervalMs: 0 });
  const waiters = new Map<string, (sc: ServerClient) => void>();
  const backend: Backend = {
    server,
    url: '',
    attempts: [],
    open: new Map(),
    refuseWith: undefined,
    hold: undefined,
    connected: (identity) => {
      const sc = backend.open.get(identity);
      return sc ? Promise.resolve(sc) : new Promise((resolve) => waiters.set(identity, resolve));
    },
  };
  server.auth(async (ctx) => {
    backend.attempts.push(ctx.handshake.identity);
    if (backend.hold) await backend.hold;
    if (backend.refuseWith !== undefined) return ctx.reject(backend.refuseWith);
    return ctx.handshake.password?.toString() === PASSWORD ? ctx.accept() : ctx.reject(401);
  });
  server.on('client', (sc: ServerClient) => {
    backend.open.set(sc.identity, sc);
    sc.on('close', () => {
      if (backend.open.get(sc.identity) === sc) backend.open.delete(sc.identity);
    });
    sc.handle(() => ({ currentTime: new Date().toISOString() }));
    waiters.get(sc.identity)?.(sc);
    waiters.delete(sc.identity);
  });
  const { port } = await server.listen(0, '127.0.0.1');
  backend.url = `ws://127.0.0.1:${port}/ocpp`;
  cleanups.push(() => server.close());
  return backend;
}

async function startProxy(backend: Backend) {
  const proxy: ProtocolProxy = createProtocolProxy({
    upstream: { url: backend.url, backoff: { initialMs: 20, maxMs: 80, jitter: 'none' }, pingIntervalMs: 0, connectTimeoutMs: 2000 },
    downstream: { pingIntervalMs: 0 },
  });
  const events: Array<{ type: string; identity: string }> = [];
  for (const type of ['connect', 'disconnect', 'upstreamDisconnect', 'upstreamReconnect'] as const) {
    proxy.on(type, (e: SessionEvent) => events.push({ type, identity: e.identity }));
  }
  const { port } = await proxy.listen();
  cleanups.push(() => proxy.close());
  return { proxy, events, url: `ws://127.0.0.1:${port}/ocpp16` };
}

async function connectCharger(url: string, proxy: ProtocolProxy, identity: string): Promise<{ cp: OCPPClient; session: ChargerSession }> {
  const cp = new OCPPClient({ endpoint: url, identity, protocols: ['ocpp1.6'], password: PASSWORD, reconnect: false, pingIntervalMs: 0 });
  cp.on('error', () => undefined);
  cleanups.push(() => cp.close({ force: true }));
  await cp.connect();
  const session = proxy.sessions.get(identity);
  if (!session) throw new Error('no session');
  return { cp, session };
}

async function until(check: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await sleep(10);
  }
}

/** After the charger left: the upstream is closed for good and the backend hears nothing more from it. */
async function expectUpstreamGone(backend: Backend, proxy: ProtocolProxy, session: ChargerSession, identity: string): Promise<void> {
  await until(() => session.upstream.state === 'closed' && !backend.open.has(identity));
  const attempts = backend.attempts.length;
  await sleep(QUIET_MS);
  expect(backend.attempts.length).toBe(attempts);
  expect(backend.open.has(identity)).toBe(false);
  expect(session.upstream.state).toBe('closed');
  expect(proxy.sessions.has(identity)).toBe(false);
}

describe('a charger that left keeps no upstream alive', () => {
  it('charger first: the upstream closes, is not reported as lost, and does not reconnect', async () => {
    const backend = await startBackend();
    const { proxy, events, url } = await startProxy(backend);
    const { cp, session } = await connectCharger(url, proxy, 'LC-1');
    await backend.connected('LC-1');
    await cp.close();
    await expectUpstreamGone(backend, proxy, session, 'LC-1');
    // Closing the upstream on purpose is not an upstream loss ("upstream lost; reconnecting").
    expect(events.filter((e) => e.type === 'upstreamDisconnect' || e.type === 'upstreamReconnect')).toEqual([]);
    expect(backend.attempts).toEqual(['LC-1']);
  });

  it('upstream first: the proxy reconnects while the charger stays, and stops once the charger leaves', async () => {
    const backend = await startBackend();
    const { proxy, events, url } = await startProxy(backend);
    const { cp, session } = await connectCharger(url, proxy, 'LC-2');
    // The backend drops the upstream and refuses for a while: the proxy keeps trying for the charger.
    backend.refuseWith = 503;
    (await backend.connected('LC-2')).close(1012, 'restart');
    await until(() => backend.attempts.length >= 3);
    expect(events.map((e) => e.type)).toContain('upstreamDisconnect');
    expect(cp.state).toBe('open');
    await cp.close();
    await expectUpstreamGone(backend, proxy, session, 'LC-2');
  });

  it('upstream first, reconnected: the charger leaving later closes the new upstream connection', async () => {
    const backend = await startBackend();
    const { proxy, url } = await startProxy(backend);
    const { cp, session } = await connectCharger(url, proxy, 'LC-3');
    const first = await backend.connected('LC-3');
    const reconnected = new Promise((resolve) => proxy.once('upstreamReconnect', resolve));
    first.close(1012, 'restart');
    await reconnected;
    await until(() => backend.open.has('LC-3'));
    await cp.close();
    await expectUpstreamGone(backend, proxy, session, 'LC-3');
  });

  it('both at once: backend and charger close in the same turn', async () => {
    const backend = await startBackend();
    const { proxy, url } = await startProxy(backend);
    const { cp, session } = await connectCharger(url, proxy, 'LC-4');
    const upstream = await backend.connected('LC-4');
    backend.refuseWith = 503;
    upstream.close(1012, 'restart');
    void cp.close();
    await expectUpstreamGone(backend, proxy, session, 'LC-4');
  });

  it('the upstream drops while the charger is leaving', async () => {
    const backend = await startBackend();
    const { proxy, url } = await startProxy(backend);
    const { cp, session } = await connectCharger(url, proxy, 'LC-5');
    const upstream = await backend.connected('LC-5');
    backend.refuseWith = 503;
    // The charger's close handshake is under way (its close frame is out) when the backend kills the upstream.
    const leaving = cp.close();
    await sleep(0);
    upstream.terminate();
    await leaving;
    await expectUpstreamGone(backend, proxy, session, 'LC-5');
  });

  it('the charger drops without a close frame while the upstream is reconnecting', async () => {
    const backend = await startBackend();
    const { proxy, url } = await startProxy(backend);
    const { cp, session } = await connectCharger(url, proxy, 'LC-6');
    backend.refuseWith = 503;
    (await backend.connected('LC-6')).close(1012, 'restart');
    await until(() => session.upstream.state === 'reconnecting' || session.upstream.state === 'connecting');
    await cp.close({ force: true });
    await expectUpstreamGone(backend, proxy, session, 'LC-6');
  });

  it('a charger that leaves during its handshake does not leave an upstream behind', async () => {
    const backend = await startBackend();
    const { proxy, url } = await startProxy(backend);
    let release: () => void = () => undefined;
    backend.hold = new Promise((resolve) => (release = resolve));
    const ws = new WebSocket(`${url}/LC-7`, ['ocpp1.6'], { headers: { authorization: `Basic ${Buffer.from(`LC-7:${PASSWORD}`).toString('base64')}` } });
    ws.on('error', () => undefined);
    // The proxy is opening the upstream (the backend holds its handshake) when the charger goes away.
    await until(() => backend.attempts.includes('LC-7'));
    ws.terminate();
    await sleep(50);
    backend.hold = undefined;
    release();
    // The backend may accept the upstream, but the proxy must close it at once (not after a grace period).
    await sleep(QUIET_MS);
    expect(backend.open.has('LC-7')).toBe(false);
    expect(backend.attempts).toEqual(['LC-7']);
    expect(proxy.sessions.has('LC-7')).toBe(false);
  });
});
