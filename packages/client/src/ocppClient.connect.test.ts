import { NotConnectedError, TimeoutError } from '@chargewire/rpc-core';
import { describe, expect, it } from 'vitest';
import { ConnectionRefusedError, SubprotocolMismatchError } from './errors.js';
import { OCPPClient } from './ocppClient.js';
import { autoAnswer, BOOT_16, bootAccepted16, FrameLog } from './testing/frames.fixture.js';
import { once, useClientHarness } from './testing/clientHarness.fixture.js';

const { server, client } = useClientHarness();

describe('OCPPClient: connect, calls and refusals (raw ws server)', () => {
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
    const closed = once(c, 'close');
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

  it('validates options up front', () => {
    expect(() => new OCPPClient({ endpoint: 'ftp://x', identity: 'A', protocols: ['ocpp1.6'] })).toThrow(TypeError);
    expect(() => new OCPPClient({ endpoint: 'ws://x', identity: '', protocols: ['ocpp1.6'] })).toThrow(TypeError);
    expect(() => new OCPPClient({ endpoint: 'ws://x', identity: 'A', protocols: [] })).toThrow(TypeError);
    expect(() => new OCPPClient({ endpoint: 'ws://x', identity: 'A:B', password: 'p', protocols: ['ocpp1.6'] })).toThrow(/RFC 7617/);
    expect(() => new OCPPClient({ endpoint: 'ws://x', identity: 'A', protocols: ['ocpp1.6'], offlineQueue: -1 })).toThrow(RangeError);
    expect(() => new OCPPClient({ endpoint: 'ws://x', identity: 'A', protocols: ['ocpp1.6'], backoff: { factor: 0 } })).toThrow(RangeError);
    // a header the HTTP layer would refuse at connect time (request splitting) is refused here
    expect(() => new OCPPClient({ endpoint: 'ws://x', identity: 'A', protocols: ['ocpp1.6'], headers: { 'x-bad': 'line\nbreak' } })).toThrow(/headers\.x-bad/);
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
});
