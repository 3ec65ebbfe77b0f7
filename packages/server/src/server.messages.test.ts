import { ConnectionClosedError, RpcError } from '@chargewire/rpc-core';
import { describe, expect, it } from 'vitest';
import { latencyBetween } from './latencyHistogram.js';
import { connectRaw } from './testing/wsClient.fixture.js';
import type { RawClient } from './testing/wsClient.fixture.js';
import { nextClient, useServers } from './testing/serverHarness.fixture.js';

const start = useServers();
const isCallResult = (id: string) => (f: unknown): boolean => Array.isArray(f) && f[0] === 3 && f[1] === id;
const isCallError = (id: string) => (f: unknown): boolean => Array.isArray(f) && f[0] === 4 && f[1] === id;
const isCall = (f: unknown): boolean => Array.isArray(f) && f[0] === 2;

/** Answers every CALL from the server with the given payload. */
function autoAnswer(raw: RawClient, payload: unknown): void {
  raw.ws.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as unknown[];
    if (frame[0] === 2) raw.send([3, frame[1], payload]);
  });
}

describe('message phase', () => {
  it('serves typed handlers and message middleware for a raw 1.6 charger', async () => {
    const { server, url } = await start({ protocols: ['ocpp1.6'] });
    const seen: string[] = [];
    server.on('client', (client) => {
      client.use(async (ctx, next) => {
        seen.push(`${ctx.direction}:${ctx.action}`);
        await next();
      });
      client.handle('ocpp1.6', 'BootNotification', ({ params }) => ({
        status: params.chargePointVendor === 'ACME' ? 'Accepted' : 'Rejected',
        currentTime: new Date(0).toISOString(),
        interval: 300,
      }));
    });
    const raw = await connectRaw(`${url}/CP-1`, 'ocpp1.6');
    raw.send([2, 'm1', 'BootNotification', { chargePointVendor: 'ACME', chargePointModel: 'X' }]);
    expect(await raw.next(isCallResult('m1'))).toEqual([3, 'm1', { status: 'Accepted', currentTime: '1970-01-01T00:00:00.000Z', interval: 300 }]);
    expect(seen).toEqual(['in:BootNotification']);

    // Strict mode: a schema violation is answered with the 1.6 spelling of the constraint code.
    raw.send([2, 'm2', 'BootNotification', { chargePointVendor: 'ACME' }]);
    const err = (await raw.next(isCallError('m2'))) as unknown[];
    expect(err[2]).toBe('OccurenceConstraintViolation');
    // Unknown action → NotImplemented.
    raw.send([2, 'm3', 'NoSuchAction', {}]);
    expect(((await raw.next(isCallError('m3'))) as unknown[])[2]).toBe('NotImplemented');
    raw.ws.close();
  });

  it('calls the charger and resolves with its answer; getClient returns the same handle', async () => {
    const { server, url } = await start({ protocols: ['ocpp1.6'] });
    const accepted = nextClient(server);
    const raw = await connectRaw(`${url}/CP-1`, 'ocpp1.6');
    autoAnswer(raw, { status: 'Accepted' });
    await accepted;
    const handle = server.getClient('CP-1');
    expect(handle?.isLocal).toBe(true);
    expect(handle?.nodeId).toBe(server.nodeId);
    const before = server.stats().latencyMs.out;
    expect(await handle?.call('ocpp1.6', 'Reset', { type: 'Soft' })).toEqual({ status: 'Accepted' });
    expect(await server.findClient('CP-1')).toBe(handle);
    expect(await server.findClient('nobody')).toBeUndefined();
    const stats = server.stats();
    expect(stats.calls.out).toBe(1);
    expect(stats.latencyMs.out.count).toBe(1);
    // The histogram saw the one call too, and a window from before it to now holds exactly that call.
    expect(stats.latencyMs.out.buckets.at(-1)).toEqual({ le: Infinity, count: 1 });
    const between = latencyBetween(before, stats.latencyMs.out);
    expect(between).toMatchObject({ count: 1, meanMs: stats.latencyMs.out.sumMs });
    expect(between.p99).toBeGreaterThanOrEqual(stats.latencyMs.out.max);
    raw.ws.close();
  });

  it('emits disconnect and close with the code and reason; pending calls reject with ConnectionClosedError', async () => {
    const { server, url } = await start({ protocols: ['ocpp1.6'] });
    const accepted = nextClient(server);
    const raw = await connectRaw(`${url}/CP-1`, 'ocpp1.6');
    const client = await accepted;
    const events: string[] = [];
    client.on('disconnect', (e) => events.push(`disconnect ${e.code} ${e.reason}`));
    client.on('close', (e) => events.push(`close ${e.code} ${e.reason}`));
    const pending = client.call('ocpp1.6', 'Reset', { type: 'Hard' });
    await raw.next(isCall);
    raw.ws.close(4000, 'bye');
    await expect(pending).rejects.toBeInstanceOf(ConnectionClosedError);
    await client.closed();
    expect(events).toEqual(['disconnect 4000 bye', 'close 4000 bye']);
    expect(client.connected).toBe(false);
    expect(server.getClient('CP-1')).toBeUndefined();
    expect(server.stats().connections.current).toBe(0);
  });

  it('forwards rpc-core events (badMessage) and counts them', async () => {
    const { server, url } = await start({ protocols: ['ocpp2.0.1'] });
    const accepted = nextClient(server);
    const raw = await connectRaw(`${url}/CP-1`, 'ocpp2.0.1');
    const client = await accepted;
    const bad = new Promise<{ frame: string; error: RpcError }>((r) => client.on('badMessage', r));
    raw.send('{not json');
    const e = await bad;
    expect(e.error).toBeInstanceOf(RpcError);
    expect(e.error.code).toBe('RpcFrameworkError');
    const frame = (await raw.next((f) => Array.isArray(f) && f[0] === 4)) as unknown[];
    expect(frame.slice(0, 3)).toEqual([4, '-1', 'RpcFrameworkError']);
    expect(server.stats().badMessages).toBe(1);
    raw.ws.close();
  });

  it('broadcast() calls every client of a protocol and reports per client', async () => {
    const { server, url } = await start({ protocols: ['ocpp1.6', 'ocpp2.0.1'] });
    const a = await connectRaw(`${url}/A`, 'ocpp1.6');
    const b = await connectRaw(`${url}/B`, 'ocpp1.6');
    const c = await connectRaw(`${url}/C`, 'ocpp2.0.1');
    autoAnswer(a, { status: 'Accepted' });
    b.ws.on('message', (data) => {
      const f = JSON.parse(data.toString()) as unknown[];
      b.send([4, f[1], 'NotSupported', 'no', {}]);
    });
    autoAnswer(c, { status: 'Accepted' });
    while (server.clients.size < 3) await new Promise((r) => setTimeout(r, 5));
    const report = await server.broadcast('ocpp1.6', 'ClearCache', {});
    expect(report.delivered).toBe(1);
    expect(report.failed).toBe(1);
    expect(report.nodes).toEqual([{ nodeId: server.nodeId, delivered: 1, failed: 1 }]);
    const byId = Object.fromEntries(report.clients.map((r) => [r.identity, r]));
    expect(byId.A).toMatchObject({ ok: true, result: { status: 'Accepted' } });
    expect(byId.B?.ok).toBe(false);
    expect((byId.B?.error as RpcError).code).toBe('NotSupported');
    expect(byId.C).toBeUndefined();
    for (const r of [a, b, c]) r.ws.close();
  });

  it('a throwing client listener closes that connection with 1011 and keeps the server up', async () => {
    const { server, url } = await start();
    const errors: unknown[] = [];
    server.on('client', () => {
      throw new Error('listener bug');
    });
    server.on('error', (e) => errors.push(e));
    const raw = await connectRaw(`${url}/CP-1`, 'ocpp1.6');
    expect((await raw.closed).code).toBe(1011);
    const again = await connectRaw(`${url}/CP-2`, 'ocpp1.6');
    expect((await again.closed).code).toBe(1011);
    expect(errors).toHaveLength(2);
    expect((errors[0] as Error).message).toBe('listener bug');
  });

  it('client.close() sends the code and reason; codes that may not be sent throw RangeError', async () => {
    const { server, url } = await start();
    const accepted = nextClient(server);
    const raw = await connectRaw(`${url}/CP-1`, 'ocpp1.6');
    const client = await accepted;
    expect(() => client.close(1006)).toThrow(RangeError);
    expect(() => client.close(999)).toThrow(RangeError);
    expect(client.connected).toBe(true);
    client.close(4001, 'x'.repeat(300)); // reasons are cut to the 123 bytes a close frame can carry
    const closed = await raw.closed;
    expect(closed.code).toBe(4001);
    expect(Buffer.byteLength(closed.reason)).toBeLessThanOrEqual(123);
  });
});

