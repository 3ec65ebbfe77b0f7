import { ConnectionClosedError } from '@chargewire/rpc-core';
import { describe, expect, it } from 'vitest';
import { ConnectionRefusedError } from './errors.js';
import { autoAnswer, FrameLog } from './testing/frames.fixture.js';
import { useClientHarness, once } from './testing/clientHarness.fixture.js';

const { server, client, forget } = useClientHarness();

describe('OCPPClient: reconnect (raw ws server)', () => {
  it('reconnects after a drop with the negotiated protocol, keeps handlers and never re-sends BootNotification', async () => {
    const s = await server();
    const c = client(s, { protocols: ['ocpp2.0.1', 'ocpp1.6'] });
    c.handle('ocpp2.0.1', 'Reset', () => ({ status: 'Accepted' }));
    const first = s.nextConnection();
    await c.connect();
    const a = await first;
    const aLog = autoAnswer(a.ws, () => ({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 60 }));
    await c.call('ocpp2.0.1', 'BootNotification', { reason: 'PowerUp', chargingStation: { model: 'X', vendorName: 'V' } });
    const reconnect = once(c, 'reconnect');
    const disconnect = once(c, 'disconnect');
    const reopened = once(c, 'open');
    const second = s.nextConnection();
    a.ws.terminate();
    expect((await disconnect).code).toBe(1006);
    expect(await reconnect).toEqual({ attempt: 1, delayMs: 20 });
    expect(c.state).toBe('reconnecting');
    const waiting = c.connect(); // joins the reconnect instead of starting another connection
    await reopened;
    expect(await waiting).toBe('ocpp2.0.1');
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
    forget(s1);
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

  it('stops reconnecting when the server starts refusing the credentials', async () => {
    let refuse = false;
    const s = await server({ refuse: () => (refuse ? 401 : undefined) });
    const c = client(s, { offlineQueue: 5 });
    const conn = s.nextConnection();
    await c.connect();
    const { ws } = await conn;
    refuse = true;
    const closed = once(c, 'close');
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
    const closed = once(c, 'close');
    (await conn).ws.terminate();
    const { error } = await closed;
    expect(error).toMatchObject({ status: 503, retryable: true });
    expect(reconnects.map((r) => r.attempt)).toEqual([1, 2, 3]);
    expect(reconnects[1]?.error).toBeInstanceOf(ConnectionRefusedError);
    expect(s.requests).toHaveLength(4);
  });

  it('waits at least the Retry-After of a 503, capped by backoff.maxMs', async () => {
    let refuse = false;
    const s = await server({ refuse: () => (refuse ? { status: 503, headers: { 'retry-after': '1' } } : undefined) });
    const c = client(s, { backoff: { initialMs: 10, maxMs: 300, jitter: 'none', maxAttempts: 2 } });
    const conn = s.nextConnection();
    await c.connect();
    refuse = true;
    const delays: number[] = [];
    c.on('reconnect', ({ delayMs }) => delays.push(delayMs));
    const closed = once(c, 'close');
    (await conn).ws.terminate();
    await closed;
    // First wait: plain back-off (the drop carried no Retry-After); second: the server's 1 s, capped at 300 ms.
    expect(delays).toEqual([10, 300]);
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
    const closed = once(c, 'close');
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
    const disconnect = once(c, 'disconnect');
    const reopened = once(c, 'open');
    expect((await disconnect).code).toBe(1006);
    await second;
    await reopened;
    expect(s.requests.length).toBeGreaterThanOrEqual(2);
  });
});
