import { ConnectionClosedError, NOREPLY, NotConnectedError, TimeoutError } from '@chargewire/rpc-core';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectAbortedError, ConnectionRefusedError, SubprotocolMismatchError } from './errors.js';
import { OCPPClient } from './ocppClient.js';
import type { OCPPClientOptions } from './options.js';
import { autoAnswer, BOOT_16, bootAccepted16, FrameLog } from './testing/frames.fixture.js';
import { startRawServer, type RawServer, type RawServerOptions } from './testing/rawServer.fixture.js';

const servers: RawServer[] = [];
const clients: OCPPClient[] = [];

async function server(options: RawServerOptions = {}): Promise<RawServer> {
  const s = await startRawServer(options);
  servers.push(s);
  return s;
}

function client(s: RawServer, extra: Partial<OCPPClientOptions> = {}): OCPPClient {
  const c = new OCPPClient({
    endpoint: s.url,
    identity: 'CP-1',
    protocols: ['ocpp1.6'],
    backoff: { initialMs: 20, maxMs: 200, jitter: 'none' },
    ...extra,
  });
  c.on('error', () => undefined);
  clients.push(c);
  return c;
}

function once<T>(emitter: OCPPClient, event: 'open' | 'close' | 'disconnect' | 'reconnect'): Promise<T> {
  return new Promise((resolve) => emitter.once(event, (payload: unknown) => resolve(payload as T)));
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close({ force: true })));
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('OCPPClient over a raw ws server', () => {
  it('connects, reports state and events, and sends identity, subprotocols and Basic auth', async () => {
    const s = await server();
    const c = client(s, { identity: 'CP 1/ä', password: Buffer.from('pass:word:0123456'), protocols: ['ocpp2.0.1', 'ocpp1.6'] });
    const events: string[] = [];
    for (const e of ['connecting', 'open', 'disconnect', 'close'] as const) c.on(e, () => events.push(e));
    expect(c.state).toBe('idle');
    const conn = s.nextConnection();
    const pending = c.connect();
    expect(c.state).toBe('connecting');
    expect(await pending).toBe('ocpp2.0.1');
    expect(c.state).toBe('open');
    expect(c.protocol).toBe('ocpp2.0.1');
    const { req } = await conn;
    expect(req.url).toBe('/ocpp/CP%201%2F%C3%A4');
    expect(req.headers['sec-websocket-protocol']).toBe('ocpp2.0.1,ocpp1.6');
    const raw = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString('utf8');
    expect(raw).toBe('CP 1/ä:pass:word:0123456');
    expect(await c.connect()).toBe('ocpp2.0.1'); // idempotent while open
    await c.close();
    expect(c.state).toBe('closed');
    expect(events).toEqual(['connecting', 'open', 'disconnect', 'close']);
  });

  it('rejects a refused upgrade with the HTTP status and does not retry it', async () => {
    const s = await server({ refuse: () => 401 });
    const c = client(s);
    const closed = once<{ error?: Error }>(c, 'close');
    const err = await c.connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionRefusedError);
    expect(err).toMatchObject({ status: 401, retryable: false });
    expect((await closed).error).toBe(err);
    expect(c.state).toBe('closed');
    expect(s.requests).toHaveLength(1);
  });

  it('rejects connect() when the server has no common subprotocol', async () => {
    const s = await server({ pickProtocol: () => false });
    const c = client(s, { protocols: ['ocpp2.1'] });
    await expect(c.connect()).rejects.toBeInstanceOf(SubprotocolMismatchError);
    expect(c.state).toBe('closed');
  });

  it('round-trips calls both ways', async () => {
    const s = await server();
    const c = client(s);
    c.handle('ocpp1.6', 'RemoteStartTransaction', ({ params }) => ({ status: params.idTag === 'GOOD' ? 'Accepted' : 'Rejected' }));
    const conn = s.nextConnection();
    await c.connect();
    const { ws } = await conn;
    const log = autoAnswer(ws, () => bootAccepted16());
    const boot = await c.call('ocpp1.6', 'BootNotification', BOOT_16);
    expect(boot.status).toBe('Accepted');
    expect(log.calls('BootNotification')[0]?.[3]).toEqual(BOOT_16);
    ws.send(JSON.stringify([2, 'srv-1', 'RemoteStartTransaction', { idTag: 'GOOD' }]));
    expect(await log.next((f) => f[1] === 'srv-1')).toEqual([3, 'srv-1', { status: 'Accepted' }]);
  });

  it('rejects calls while disconnected by default', async () => {
    const s = await server();
    const c = client(s);
    await expect(c.call('ocpp1.6', 'Heartbeat', {})).rejects.toBeInstanceOf(NotConnectedError);
  });

  it('reconnects after a drop with the negotiated protocol, keeps handlers and never re-sends BootNotification', async () => {
    const s = await server();
    const c = client(s, { protocols: ['ocpp2.0.1', 'ocpp1.6'] });
    c.handle('ocpp2.0.1', 'Reset', () => ({ status: 'Accepted' }));
    const first = s.nextConnection();
    await c.connect();
    const a = await first;
    const aLog = autoAnswer(a.ws, () => ({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 60 }));
    await c.call('ocpp2.0.1', 'BootNotification', { reason: 'PowerUp', chargingStation: { model: 'X', vendorName: 'V' } });
    const reconnect = once<{ attempt: number; delayMs: number }>(c, 'reconnect');
    const disconnect = once<{ code: number }>(c, 'disconnect');
    const reopened = once(c, 'open');
    const second = s.nextConnection();
    a.ws.terminate();
    expect((await disconnect).code).toBe(1006);
    expect(await reconnect).toEqual({ attempt: 1, delayMs: 20 });
    expect(c.state).toBe('reconnecting');
    await reopened;
    const b = await second;
    expect(b.req.headers['sec-websocket-protocol']).toBe('ocpp2.0.1');
    const bLog = new FrameLog(b.ws);
    b.ws.send(JSON.stringify([2, 'r1', 'Reset', { type: 'Immediate' }]));
    expect(await bLog.next()).toEqual([3, 'r1', { status: 'Accepted' }]);
    // Exactly one frame reached the new connection: the answer. Nothing was sent on the client's own.
    expect(bLog.frames).toHaveLength(1);
    expect(aLog.calls('BootNotification')).toHaveLength(1);
  });

  it('queues calls while the server is down and sends each exactly once after it comes back on the same port', async () => {
    const s1 = await server();
    const port = s1.port;
    const c = client(s1, { offlineQueue: 10, backoff: { initialMs: 30, maxMs: 100, jitter: 'none' } });
    const conn1 = s1.nextConnection();
    await c.connect();
    autoAnswer((await conn1).ws, () => ({ currentTime: new Date().toISOString() }));
    const disconnected = once(c, 'disconnect');
    await s1.close();
    servers.splice(servers.indexOf(s1), 1);
    await disconnected;
    // Let at least one reconnect attempt fail against the closed port.
    await new Promise<void>((resolve) => c.once('reconnect', () => c.once('reconnect', () => resolve())));
    const calls = [1, 2, 3, 4, 5].map(() => c.call('ocpp1.6', 'Heartbeat', {}));
    const s2 = await server({ port });
    const conn2 = s2.nextConnection();
    const { ws } = await conn2;
    const log = autoAnswer(ws, () => ({ currentTime: new Date().toISOString() }));
    const results = await Promise.all(calls);
    expect(results).toHaveLength(5);
    for (const r of results) expect(typeof r.currentTime).toBe('string');
    const ids = log.calls('Heartbeat').map((f) => f[1]);
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
  });

  it('bounds the offline queue: calls beyond it are rejected, queued ones reject when the client closes', async () => {
    const s = await server();
    const c = client(s, { offlineQueue: 2 });
    const q1 = c.call('ocpp1.6', 'Heartbeat', {});
    const q2 = c.call('ocpp1.6', 'Heartbeat', {});
    await expect(c.call('ocpp1.6', 'Heartbeat', {})).rejects.toBeInstanceOf(NotConnectedError);
    await c.close();
    await expect(q1).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(q2).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(c.call('ocpp1.6', 'Heartbeat', {})).rejects.toBeInstanceOf(NotConnectedError);
  });

  it('stops reconnecting when the server starts refusing the credentials', async () => {
    let refuse = false;
    const s = await server({ refuse: () => (refuse ? 401 : undefined) });
    const c = client(s, { offlineQueue: 5 });
    const conn = s.nextConnection();
    await c.connect();
    const { ws } = await conn;
    refuse = true;
    const closed = once<{ error?: Error }>(c, 'close');
    ws.terminate();
    const queued = c.call('ocpp1.6', 'Heartbeat', {});
    const { error } = await closed;
    expect(error).toBeInstanceOf(ConnectionRefusedError);
    expect(error).toMatchObject({ status: 401 });
    expect(c.state).toBe('closed');
    await expect(queued).rejects.toBeInstanceOf(ConnectionClosedError);
    const attempts = s.requests.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(s.requests.length).toBe(attempts);
  });

  it('keeps growing the back-off when the server accepts and drops at once (flapping)', async () => {
    const s = await server();
    void (async () => {
      for (let i = 0; i < 3; i++) (await s.nextConnection()).ws.close(1000, 'replaced');
    })();
    const c = client(s, { backoff: { initialMs: 10, maxMs: 1000, jitter: 'none' } });
    const delays: number[] = [];
    c.on('reconnect', ({ delayMs }) => delays.push(delayMs));
    let opens = 0;
    const fourthOpen = new Promise<void>((resolve) => c.on('open', () => ++opens === 4 && resolve()));
    await c.connect();
    await fourthOpen;
    expect(delays).toEqual([10, 20, 40]);
    expect(c.state).toBe('open');
  });

  it('retries 5xx refusals and gives up after maxAttempts', async () => {
    let refuse = false;
    const s = await server({ refuse: () => (refuse ? 503 : undefined) });
    const c = client(s, { backoff: { initialMs: 5, maxMs: 20, jitter: 'none', maxAttempts: 3 } });
    const conn = s.nextConnection();
    await c.connect();
    refuse = true;
    const reconnects: Array<{ attempt: number; error?: Error }> = [];
    c.on('reconnect', (r) => reconnects.push(r));
    const closed = once<{ error?: Error }>(c, 'close');
    (await conn).ws.terminate();
    const { error } = await closed;
    expect(error).toMatchObject({ status: 503, retryable: true });
    expect(reconnects.map((r) => r.attempt)).toEqual([1, 2, 3]);
    expect(reconnects[1]?.error).toBeInstanceOf(ConnectionRefusedError);
    expect(s.requests).toHaveLength(4);
  });

  it('retryInitialConnect keeps the first connect() trying through transient refusals', async () => {
    let refusals = 2;
    const s = await server({ refuse: () => (refusals-- > 0 ? 503 : undefined) });
    const c = client(s, { retryInitialConnect: true, backoff: { initialMs: 5, maxMs: 20, jitter: 'equal' } });
    const reconnects: number[] = [];
    c.on('reconnect', ({ attempt }) => reconnects.push(attempt));
    expect(await c.connect()).toBe('ocpp1.6');
    expect(reconnects).toEqual([1, 2]);
    expect(s.requests).toHaveLength(3);

    const denied = await server({ refuse: () => 403 });
    const d = client(denied, { retryInitialConnect: true });
    await expect(d.connect()).rejects.toMatchObject({ status: 403, retryable: false });
    expect(denied.requests).toHaveLength(1);
  });

  it('does not reconnect when reconnect is off', async () => {
    const s = await server();
    const c = client(s, { reconnect: false });
    const conn = s.nextConnection();
    await c.connect();
    const closed = once<{ code: number }>(c, 'close');
    (await conn).ws.close(1001, 'bye');
    expect((await closed).code).toBe(1001);
    expect(c.state).toBe('closed');
    expect(s.requests).toHaveLength(1);
  });

  it('detects a dead server by missing pongs and reconnects', async () => {
    const s = await server({ autoPong: false });
    const c = client(s, { pingIntervalMs: 30, deadPeerTimeoutMs: 60 });
    const conn = s.nextConnection();
    await c.connect();
    await conn;
    const second = s.nextConnection();
    const disconnect = once<{ code: number }>(c, 'disconnect');
    const reopened = once(c, 'open');
    expect((await disconnect).code).toBe(1006);
    await second;
    await reopened;
    expect(s.requests.length).toBeGreaterThanOrEqual(2);
  });

  it('times out unanswered calls and honours an abort signal', async () => {
    const s = await server();
    const c = client(s, { callTimeoutMs: 50 });
    const conn = s.nextConnection();
    await c.connect();
    const log = new FrameLog((await conn).ws);
    await expect(c.call('ocpp1.6', 'Heartbeat', {})).rejects.toBeInstanceOf(TimeoutError);
    const ac = new AbortController();
    const aborted = c.call('ocpp1.6', 'Heartbeat', {}, { signal: ac.signal, timeoutMs: 10_000 });
    await log.next((f) => f[0] === 2 && log.calls().length === 2);
    ac.abort();
    await expect(aborted).rejects.toThrow();
    expect(c.state).toBe('open');
  });

  it('close({ awaitPending }) lets an in-flight call finish; close({ force }) rejects it', async () => {
    const s = await server();
    const c = client(s);
    const conn = s.nextConnection();
    await c.connect();
    const { ws } = await conn;
    const log = new FrameLog(ws);
    const inFlight = c.call('ocpp1.6', 'Heartbeat', {});
    const frame = await log.next();
    const closing = c.close({ awaitPending: true, code: 1000, reason: 'done' });
    expect(c.state).toBe('closing');
    await expect(c.call('ocpp1.6', 'Heartbeat', {})).rejects.toBeInstanceOf(NotConnectedError);
    const closeAtServer = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(JSON.stringify([3, frame[1], { currentTime: new Date().toISOString() }]));
    await expect(inFlight).resolves.toHaveProperty('currentTime');
    await closing;
    expect(await closeAtServer).toBe(1000);

    const s2 = await server();
    const c2 = client(s2);
    await c2.connect();
    const pending = c2.call('ocpp1.6', 'Heartbeat', {});
    await c2.close({ force: true });
    await expect(pending).rejects.toBeInstanceOf(ConnectionClosedError);
    expect(c2.state).toBe('closed');
  });

  it('close({ awaitPending }) lets a handler still working on a CSMS call answer first, within timeoutMs', async () => {
    const s = await server();
    const c = client(s);
    let release: () => void = () => undefined;
    const handlerStarted = new Promise<void>((started) => {
      c.handle('ocpp1.6', 'Reset', () => {
        started();
        return new Promise((resolve) => {
          release = () => resolve({ status: 'Accepted' });
        });
      });
    });
    const conn = s.nextConnection();
    await c.connect();
    const { ws } = await conn;
    const log = new FrameLog(ws);
    const closedAtServer = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(JSON.stringify([2, 'srv-reset', 'Reset', { type: 'Soft' }]));
    await handlerStarted;
    const closing = c.close({ awaitPending: true });
    setTimeout(() => release(), 20);
    await closing;
    expect(await closedAtServer).toBe(1000);
    expect(log.frames).toEqual([[3, 'srv-reset', { status: 'Accepted' }]]);

    // A handler that never answers cannot hold close() beyond timeoutMs.
    const s2 = await server();
    const c2 = client(s2);
    c2.handle('ocpp1.6', 'UnlockConnector', () => NOREPLY);
    const conn2 = s2.nextConnection();
    await c2.connect();
    const { ws: ws2 } = await conn2;
    const seen = new Promise<void>((resolve) => c2.endpoint.once('call', () => resolve()));
    ws2.send(JSON.stringify([2, 'srv-unlock', 'UnlockConnector', { connectorId: 1 }]));
    await seen;
    await c2.close({ awaitPending: true, timeoutMs: 50 });
    expect(c2.state).toBe('closed');
  });

  it('close() while reconnecting stops the loop and rejects a waiting connect()', async () => {
    const s = await server();
    const c = client(s, { backoff: { initialMs: 10_000, maxMs: 10_000, jitter: 'none' } });
    const conn = s.nextConnection();
    await c.connect();
    const reconnect = once(c, 'reconnect');
    (await conn).ws.terminate();
    await reconnect;
    const waiting = c.connect();
    await c.close();
    await expect(waiting).rejects.toBeInstanceOf(ConnectAbortedError);
    expect(c.state).toBe('closed');
    expect(s.requests).toHaveLength(1);
  });

  it('can connect again after close()', async () => {
    const s = await server();
    const c = client(s);
    await c.connect();
    await c.close();
    expect(await c.connect()).toBe('ocpp1.6');
    expect(c.state).toBe('open');
  });
});
