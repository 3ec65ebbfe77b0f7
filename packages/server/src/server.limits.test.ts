import { describe, expect, it } from 'vitest';
import { connectRaw, refusedStatus } from './testing/wsClient.fixture.js';
import { nextClient, useServers } from './testing/serverHarness.fixture.js';
import { openPausedReader } from './testing/pausedReader.fixture.js';

const start = useServers();

describe('limits', () => {
  it('maxPayload: a larger frame closes the connection with 1009', async () => {
    const { server, url } = await start({ maxPayload: 1024 });
    const accepted = nextClient(server);
    const raw = await connectRaw(`${url}/CP-1`, 'ocpp1.6');
    const client = await accepted;
    raw.send([2, 'm1', 'DataTransfer', { vendorId: 'v', data: 'x'.repeat(2000) }]);
    expect((await raw.closed).code).toBe(1009);
    expect((await client.closed()).code).toBe(1009);
    expect(server.stats().connections.closedByLimit).toEqual({ '1009': 1 });
  });

  it('maxConnections: connections beyond the limit get 503', async () => {
    const { url } = await start({ maxConnections: 2 });
    const a = await connectRaw(`${url}/A`, 'ocpp1.6');
    const b = await connectRaw(`${url}/B`, 'ocpp1.6');
    expect((await refusedStatus(`${url}/C`)).status).toBe(503);
    a.ws.close();
    await a.closed;
    // Room again once a client has left (the server sees the close shortly after the client does).
    let c;
    for (let i = 0; i < 50 && !c; i++) c = await connectRaw(`${url}/C`, 'ocpp1.6').catch(() => new Promise((r) => setTimeout(() => r(undefined), 20)));
    expect(c).toBeDefined();
    b.ws.close();
  });

  it('connectionRateLimit: attempts beyond the per-address rate get 429 with Retry-After', async () => {
    const { url } = await start({ connectionRateLimit: { connections: 2, perMs: 60_000 } });
    const a = await connectRaw(`${url}/A`, 'ocpp1.6');
    const b = await connectRaw(`${url}/B`, 'ocpp1.6');
    const refused = await refusedStatus(`${url}/C`);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('60');
    a.ws.close();
    b.ws.close();
  });

  it('messageRateLimit: a client sending too fast is closed with 1008', async () => {
    const { server, url } = await start({ messageRateLimit: { messages: 5, perMs: 60_000 } });
    server.on('client', (c) => c.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: new Date().toISOString() })));
    const raw = await connectRaw(`${url}/CP-1`, 'ocpp1.6');
    for (let i = 0; i < 10; i++) raw.send([2, `h${i}`, 'Heartbeat', {}]);
    expect(await raw.closed).toEqual({ code: 1008, reason: 'Message rate limit exceeded' });
    expect(server.stats().connections.closedByLimit).toEqual({ '1008': 1 });
  });

  it('binary frames are refused with 1003', async () => {
    const { url } = await start();
    const raw = await connectRaw(`${url}/CP-1`, 'ocpp1.6');
    raw.ws.send(Buffer.from([1, 2, 3]));
    expect((await raw.closed).code).toBe(1003);
  });
});

describe('keep-alive', () => {
  it('pings clients and drops a peer that stops answering', async () => {
    const { server, url } = await start({ pingIntervalMs: 100 });
    const accepted = nextClient(server);
    // autoPong: false makes this client a dead peer.
    const dead = await connectRaw(`${url}/DEAD`, 'ocpp1.6', { autoPong: false });
    const deadClient = await accepted;
    const alive = await connectRaw(`${url}/ALIVE`, 'ocpp1.6');
    let pings = 0;
    alive.ws.on('ping', () => pings++);
    const closed = await deadClient.closed();
    expect(closed.code).toBe(1006);
    expect(pings).toBeGreaterThan(0);
    expect(server.getClient('ALIVE')).toBeDefined();
    expect(server.getClient('DEAD')).toBeUndefined();
    dead.ws.terminate();
    alive.ws.close();
  });
});

describe('permessage-deflate', () => {
  it('is negotiated on 2.x routes by default and off on 1.6-only routes', async () => {
    const { server, url } = await start();
    server.route('/v16/:id', { protocols: ['ocpp1.6'] });
    server.route('/v2/:id', { protocols: ['ocpp2.0.1'] });
    const v2 = await connectRaw(`${url}/v2/CP-1`, 'ocpp2.0.1', { perMessageDeflate: true });
    const v16 = await connectRaw(`${url}/v16/CP-2`, 'ocpp1.6', { perMessageDeflate: true });
    expect(v2.ws.extensions).toContain('permessage-deflate');
    expect(v16.ws.extensions).toBe('');
    v2.ws.close();
    v16.ws.close();
  });

  it('keeps no compressor per connection by default (server_no_context_takeover) and still compresses large frames', async () => {
    const { server, url } = await start({ protocols: ['ocpp2.0.1'] });
    const accepted = nextClient(server);
    const raw = await connectRaw(`${url}/CP-1`, 'ocpp2.0.1', { perMessageDeflate: true });
    expect(raw.responseHeaders['sec-websocket-extensions']).toMatch(/^permessage-deflate;.*server_no_context_takeover/);
    const client = await accepted;
    // A 4 KB frame goes out compressed (over the 1 KB threshold) and arrives intact.
    const data = 'x'.repeat(4096);
    const before = raw.bytesRead();
    const answered = client.call('ocpp2.0.1', 'DataTransfer', { vendorId: 'chargewire', data });
    const call = (await raw.next((f) => Array.isArray(f) && f[0] === 2)) as [number, string, string, { data: string }];
    expect(call[3].data).toBe(data);
    expect(raw.bytesRead() - before).toBeLessThan(512);
    raw.send([3, call[1], { status: 'Accepted' }]);
    await expect(answered).resolves.toEqual({ status: 'Accepted' });
    raw.ws.close();
  });

  it('uses an options object exactly as given', async () => {
    const { url } = await start({ protocols: ['ocpp2.0.1'], perMessageDeflate: { serverNoContextTakeover: false } });
    const raw = await connectRaw(`${url}/CP-1`, 'ocpp2.0.1', { perMessageDeflate: true });
    expect(raw.responseHeaders['sec-websocket-extensions']).toMatch(/^permessage-deflate/);
    expect(raw.responseHeaders['sec-websocket-extensions']).not.toContain('server_no_context_takeover');
    raw.ws.close();
  });
});

describe('a peer that never reads', () => {
  it('is dropped once maxBufferedBytes of answers wait for it, and counted in stats()', async () => {
    const { server, url } = await start({ maxBufferedBytes: 256 * 1024 });
    // 4 KB answers, so a few thousand CALLs outgrow the kernel's socket buffers and the cap quickly
    // (bench/pausedReader.ts sends 1,000,000 small CALLs and measures the server's RSS).
    const data = 'x'.repeat(4096);
    server.on('client', (c) => c.handle('ocpp1.6', 'DataTransfer', () => ({ status: 'Accepted', data })));
    const accepted = nextClient(server);
    const reader = await openPausedReader(`${url}/SLOW`, 'ocpp1.6');
    const client = await accepted;
    const frames = Array.from({ length: 10_000 }, (_, i) => JSON.stringify([2, `m${i}`, 'DataTransfer', { vendorId: 'v' }]));
    void reader.sendFrames(frames);
    expect(await client.closed()).toEqual({ code: 1008, reason: 'Send buffer limit exceeded' });
    reader.socket.destroy();
    expect(server.stats().connections.closedBySendBuffer).toBe(1);
    expect(server.stats().connections.current).toBe(0);
  });

  it('a peer that keeps reading is never dropped by the default cap', async () => {
    const { server, url } = await start();
    server.on('client', (c) => c.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: new Date().toISOString() })));
    const raw = await connectRaw(`${url}/FAST`, 'ocpp1.6');
    for (let i = 0; i < 500; i++) raw.send([2, `m${i}`, 'Heartbeat', {}]);
    await raw.next((f) => Array.isArray(f) && f[1] === 'm499');
    expect(server.stats().connections.closedBySendBuffer).toBe(0);
    raw.ws.close();
  });
});
