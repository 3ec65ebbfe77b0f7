import { RpcError, TimeoutError } from '@chargewire/rpc-core';
import { describe, expect, it } from 'vitest';
import { InMemoryAdapter, InMemoryCluster, RemoteClient } from './index.js';
import { connectRaw } from './testing/wsClient.fixture.js';
import type { RawClient } from './testing/wsClient.fixture.js';
import { nextClient, useServers } from './testing/serverHarness.fixture.js';

const start = useServers();

function answer(raw: RawClient, reply: (action: string, params: unknown) => unknown[] | undefined): void {
  raw.ws.on('message', (data) => {
    const f = JSON.parse(data.toString()) as [number, string, string, unknown];
    if (f[0] !== 2) return;
    const out = reply(f[2], f[3]);
    if (out) raw.send([out[0], f[1], ...out.slice(1)]);
  });
}

describe('cluster through an adapter (InMemoryCluster)', () => {
  it('findClient() returns a usable handle for a charger on another node', async () => {
    const cluster = new InMemoryCluster();
    const a = await start({ adapter: new InMemoryAdapter({ cluster }), nodeId: 'node-a', protocols: ['ocpp1.6'] });
    const b = await start({ adapter: new InMemoryAdapter({ cluster }), nodeId: 'node-b', protocols: ['ocpp1.6'] });
    const accepted = nextClient(b.server);
    const raw = await connectRaw(`${b.url}/CP-REMOTE`, 'ocpp1.6');
    answer(raw, (action, params) =>
      action === 'Reset' ? [3, { status: (params as { type: string }).type === 'Soft' ? 'Accepted' : 'Rejected' }] : [4, 'NotSupported', 'nope', {}],
    );
    await accepted;
    while (!cluster.presence.has('CP-REMOTE')) await new Promise((r) => setTimeout(r, 5));

    expect(a.server.getClient('CP-REMOTE')).toBeUndefined();
    const handle = await a.server.findClient('CP-REMOTE');
    expect(handle).toBeInstanceOf(RemoteClient);
    expect(handle?.isLocal).toBe(false);
    expect(handle?.nodeId).toBe('node-b');
    expect(a.server.getClient('CP-REMOTE')).toBe(handle);
    expect(await handle!.call('ocpp1.6', 'Reset', { type: 'Soft' })).toEqual({ status: 'Accepted' });
    const err = await handle!.call('ocpp1.6', 'ClearCache', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect((err as RpcError).code).toBe('NotSupported');

    // A timeout on the owning node comes back as a TimeoutError.
    const silent = await connectRaw(`${b.url}/CP-SILENT`, 'ocpp1.6');
    while (!cluster.presence.has('CP-SILENT')) await new Promise((r) => setTimeout(r, 5));
    const timeout = await (await a.server.findClient('CP-SILENT'))!.call('ocpp1.6', 'Reset', { type: 'Soft' }, { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(timeout).toBeInstanceOf(TimeoutError);

    raw.ws.close();
    silent.ws.close();
    await new Promise<void>((r) => {
      const check = (): void => (cluster.presence.has('CP-REMOTE') ? void setTimeout(check, 5) : r());
      check();
    });
    expect(await a.server.findClient('CP-REMOTE')).toBeUndefined();
  });

  it('a charger that reconnects through another node has its old connection closed on the first node', async () => {
    const cluster = new InMemoryCluster();
    const a = await start({ adapter: new InMemoryAdapter({ cluster }), nodeId: 'node-a', protocols: ['ocpp1.6'] });
    const b = await start({ adapter: new InMemoryAdapter({ cluster }), nodeId: 'node-b', protocols: ['ocpp1.6'] });
    const onA = nextClient(a.server);
    const first = await connectRaw(`${a.url}/CP-MOVES`, 'ocpp1.6');
    const stale = await onA;
    while (cluster.presence.get('CP-MOVES')?.nodeId !== 'node-a') await new Promise((r) => setTimeout(r, 5));

    // The old TCP connection is still open as far as node A knows (a silent network failure).
    const onB = nextClient(b.server);
    await connectRaw(`${b.url}/CP-MOVES`, 'ocpp1.6');
    await onB;
    expect(await first.closed).toEqual({ code: 1000, reason: 'Replaced by a connection on another node' });
    expect(await stale.closed()).toEqual({ code: 1000, reason: 'Replaced by a connection on another node' });
    expect(a.server.getClient('CP-MOVES')).toBeUndefined();
    expect(cluster.presence.get('CP-MOVES')?.nodeId).toBe('node-b');
    expect((await a.server.findClient('CP-MOVES'))?.nodeId).toBe('node-b');
  });

  it('broadcast() reaches chargers on every node', async () => {
    const cluster = new InMemoryCluster();
    const a = await start({ adapter: new InMemoryAdapter({ cluster }), nodeId: 'node-a', protocols: ['ocpp1.6'] });
    const b = await start({ adapter: new InMemoryAdapter({ cluster }), nodeId: 'node-b', protocols: ['ocpp1.6'] });
    const ra = await connectRaw(`${a.url}/CP-A`, 'ocpp1.6');
    const rb = await connectRaw(`${b.url}/CP-B`, 'ocpp1.6');
    for (const r of [ra, rb]) answer(r, () => [3, { status: 'Accepted' }]);
    while (a.server.clients.size + b.server.clients.size < 2) await new Promise((r) => setTimeout(r, 5));
    const report = await a.server.broadcast('ocpp1.6', 'ClearCache', {});
    expect(report.delivered).toBe(2);
    expect(report.failed).toBe(0);
    expect(report.nodes.map((n) => n.nodeId).sort()).toEqual(['node-a', 'node-b']);
    expect(report.clients.map((c) => c.identity)).toEqual(['CP-A']);
    ra.ws.close();
    rb.ws.close();
  });
});
