import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callFrom, startClusterNode, type ClusterNode } from './testing/clusterNode.fixture.js';
import { RawCharger } from './testing/rawCharger.fixture.js';
import { deletePrefix, REDIS_URL, uniquePrefix, waitFor } from './testing/redis.fixture.js';

describe('cluster of OCPPServers (in-process)', () => {
  const prefix = uniquePrefix('cluster');
  let a: ClusterNode;
  let b: ClusterNode;
  let c: ClusterNode;
  const chargers: RawCharger[] = [];
  const connect = async (node: ClusterNode, identity = `CP-${randomUUID().slice(0, 8)}`): Promise<RawCharger> => {
    const charger = await RawCharger.connect(node.url, identity);
    chargers.push(charger);
    await waitFor(() => node.server.clients.has(identity), 5000, `${identity} to be accepted`);
    // presence is written asynchronously after the upgrade: wait until the cluster knows the charger
    await waitFor(async () => (await node.adapter.locate(identity))?.nodeId === node.server.nodeId, 5000, `${identity} presence`);
    return charger;
  };

  beforeAll(async () => {
    const config = { redisUrl: REDIS_URL, prefix, callTimeoutMs: 5000, callGraceMs: 500, broadcastTimeoutMs: 5000 };
    [a, b, c] = await Promise.all([
      startClusterNode({ ...config, nodeId: 'node-a' }),
      startClusterNode({ ...config, nodeId: 'node-b' }),
      startClusterNode({ ...config, nodeId: 'node-c' }),
    ]);
  });
  afterAll(async () => {
    for (const ch of chargers) ch.terminate();
    await Promise.all([a, b, c].map((n) => n?.stop()));
    const redis = new Redis(REDIS_URL);
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });

  it('a charger on node A is called from node C and answers as if it were local', async () => {
    const charger = await connect(a);
    const handle = await c.server.findClient(charger.identity);
    expect(handle).toMatchObject({ identity: charger.identity, nodeId: 'node-a', isLocal: false });
    const report = await callFrom(c.server, charger.identity, 'DataTransfer', { vendorId: 'chargewire', data: 'hello' });
    expect(report).toEqual({ ok: true, result: { status: 'Accepted', data: JSON.stringify({ identity: charger.identity, data: 'hello' }) } });
    expect(charger.calls).toEqual([{ action: 'DataTransfer', payload: { vendorId: 'chargewire', data: 'hello' } }]);
    // the same call made locally on A gives the same answer
    expect(await callFrom(a.server, charger.identity, 'DataTransfer', { vendorId: 'chargewire', data: 'hello' })).toEqual(report);
  });

  it("returns the charger's CALLERROR unchanged as an RpcError", async () => {
    const charger = await connect(a);
    const remote = await callFrom(c.server, charger.identity, 'UnlockConnector', { connectorId: 2 });
    const local = await callFrom(a.server, charger.identity, 'UnlockConnector', { connectorId: 2 });
    expect(remote).toEqual({
      ok: false,
      error: { name: 'RpcError', message: expect.any(String), code: 'NotSupported', description: 'this charger has no lockable connector', details: { connectorId: 2 } },
    });
    expect(remote).toEqual(local);
  });

  it('a charger that never answers times out like a local call (TimeoutError), and nothing stays pending', async () => {
    const charger = await connect(a);
    const started = Date.now();
    const report = await callFrom(c.server, charger.identity, 'TriggerMessage', { requestedMessage: 'Heartbeat' }, 400);
    expect(report).toMatchObject({ ok: false, error: { name: 'TimeoutError' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(c.adapter.stats().pendingCalls).toBe(0);
  });

  it('a charger connected nowhere gives a clear answer, also after it disconnects', async () => {
    expect(await callFrom(c.server, `CP-nowhere-${randomUUID()}`, 'Reset', { type: 'Soft' })).toMatchObject({
      ok: false,
      error: { name: 'NotFound', message: expect.stringContaining('connected to no node') },
    });
    const charger = await connect(b);
    const handle = await c.server.findClient(charger.identity);
    await charger.close();
    await waitFor(async () => (await c.adapter.locate(charger.identity)) === undefined, 5000, 'presence removal');
    await expect(
      (handle!.call as (p: string, a: string, params: unknown) => Promise<unknown>).call(handle, 'ocpp1.6', 'Reset', { type: 'Soft' }),
    ).rejects.toMatchObject({ name: 'NotConnectedError', message: expect.stringContaining(charger.identity) });
  });

  it('a handle follows a charger that reconnected to another node', async () => {
    const identity = `CP-mover-${randomUUID().slice(0, 8)}`;
    const first = await connect(a, identity);
    const handle = await c.server.findClient(identity);
    expect(handle?.nodeId).toBe('node-a');
    first.terminate(); // power loss: A notices later; the charger reconnects to B at once
    await connect(b, identity);
    const call = handle!.call as (p: string, a: string, params: unknown) => Promise<unknown>;
    expect(await call.call(handle, 'ocpp1.6', 'Reset', { type: 'Hard' })).toEqual({ status: 'Accepted' });
    expect(handle?.nodeId).toBe('node-b');
    // A's late unregister of the dead connection is fenced: B still owns the charger
    await waitFor(() => !a.server.clients.has(identity), 5000, 'A to drop the dead connection');
    expect((await c.adapter.locate(identity))?.nodeId).toBe('node-b');
  });

  it('the old connection of a charger that came back through another node is closed on its node at once', async () => {
    const identity = `CP-halfopen-${randomUUID().slice(0, 8)}`;
    const first = await connect(a, identity);
    // A half-open connection: node A still sees it open, but the charger has already reconnected through B.
    await connect(b, identity);
    expect(await first.closed).toEqual({ code: 1000, reason: 'Replaced by a connection on another node' });
    await waitFor(() => !a.server.clients.has(identity), 5000, 'A to drop the superseded connection');
    expect((await a.server.findClient(identity))?.nodeId).toBe('node-b');
    expect((await c.adapter.locate(identity))?.nodeId).toBe('node-b');
  });

  it('broadcast reaches chargers on every node with per-node delivery counts', async () => {
    // fresh nodes' chargers are the ones above plus these; count what each node has right now
    await connect(a);
    await connect(c);
    const expected = new Map([a, b, c].map((n) => [n.server.nodeId, n.server.clients.size]));
    const report = await b.server.broadcast('ocpp1.6', 'ClearCache', {});
    expect(new Map(report.nodes.map((n) => [n.nodeId, n.delivered]))).toEqual(expected);
    expect(report.nodes.every((n) => n.failed === 0)).toBe(true);
    expect(report.delivered).toBe([...expected.values()].reduce((x, y) => x + y, 0));
  });
});
