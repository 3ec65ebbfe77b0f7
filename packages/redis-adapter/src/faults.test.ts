import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceRecord } from '@chargewire/server';
import type { CallReport } from './testing/clusterNode.fixture.js';
import { NodeProcess } from './testing/nodeProcess.fixture.js';
import { RawCharger } from './testing/rawCharger.fixture.js';
import { RedisServerProcess, uniquePrefix, waitFor } from './testing/redis.fixture.js';

const TTL_SECONDS = 3;

/** Counts of outcomes by error name, in order of first appearance (for failure messages). */
function summary(outcomes: CallReport[]): string {
  const counts = new Map<string, number>();
  for (const o of outcomes) {
    const key = o.ok ? 'ok' : `${o.error.name} (${o.error.message})`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${n}× ${k}`).join('; ');
}

/** Three nodes in separate processes on a private redis-server that the tests kill and restart. */
describe('faults (nodes in separate processes)', () => {
  let redis: RedisServerProcess;
  let a: NodeProcess;
  let b: NodeProcess;
  let c: NodeProcess;
  const chargers: RawCharger[] = [];

  const connect = async (node: NodeProcess, identity = `CP-${randomUUID().slice(0, 8)}`): Promise<RawCharger> => {
    const charger = await RawCharger.connect(node.url, identity);
    chargers.push(charger);
    await waitFor(async () => (await node.request<PresenceRecord | null>({ cmd: 'locate', identity }))?.nodeId === node.nodeId, 20_000, `${identity} presence`);
    return charger;
  };
  const call = (from: NodeProcess, identity: string, action: string, params: unknown, timeoutMs?: number): Promise<CallReport> =>
    from.request<CallReport>({ cmd: 'call', identity, action, params, timeoutMs });

  beforeAll(async () => {
    redis = await RedisServerProcess.start();
    const config = { redisUrl: redis.url, prefix: uniquePrefix('faults'), presenceTtlSeconds: TTL_SECONDS, heartbeatIntervalMs: 500, callTimeoutMs: 5000, callGraceMs: 500 };
    [a, b, c] = await Promise.all([
      NodeProcess.spawn({ ...config, nodeId: 'node-a' }),
      NodeProcess.spawn({ ...config, nodeId: 'node-b' }),
      NodeProcess.spawn({ ...config, nodeId: 'node-c' }),
    ]);
  }, 60_000);

  afterAll(async () => {
    for (const ch of chargers) ch.terminate();
    await Promise.all([a, b, c].map((n) => n?.kill()));
    await redis?.kill();
  });

  it('charger on node A, call from node C: result, CALLERROR and timeout behave as local calls', async () => {
    const charger = await connect(a);
    expect(await call(c, charger.identity, 'DataTransfer', { vendorId: 'v', data: 'from C' })).toEqual({
      ok: true,
      result: { status: 'Accepted', data: JSON.stringify({ identity: charger.identity, data: 'from C' }) },
    });
    const remoteError = await call(c, charger.identity, 'UnlockConnector', { connectorId: 1 });
    expect(remoteError).toEqual(await call(a, charger.identity, 'UnlockConnector', { connectorId: 1 }));
    expect(remoteError).toMatchObject({ ok: false, error: { name: 'RpcError', code: 'NotSupported', details: { connectorId: 1 } } });
    expect(await call(c, charger.identity, 'TriggerMessage', { requestedMessage: 'Heartbeat' }, 300)).toMatchObject({ ok: false, error: { name: 'TimeoutError' } });
    expect(await c.request({ cmd: 'stats' })).toMatchObject({ pendingCalls: 0, pendingBroadcasts: 0 });
  });

  it('broadcast from node B reports every node', async () => {
    await connect(b);
    await connect(c);
    const clients = await Promise.all([a, b, c].map((n) => n.request<{ clients: string[] }>({ cmd: 'stats' })));
    const report = await b.request<{ nodes: Array<{ nodeId: string; delivered: number; failed: number }>; delivered: number }>({
      cmd: 'broadcast',
      action: 'ClearCache',
      params: {},
    });
    expect(new Map(report.nodes.map((n) => [n.nodeId, n.delivered]))).toEqual(
      new Map([a, b, c].map((n, i) => [n.nodeId, clients[i]!.clients.length])),
    );
  });

  it('a node that hangs (SIGSTOP: sockets open, heartbeats stop): a call pending on it fails with NotConnectedError once it leaves the live set, not at its timeout', async () => {
    const charger = await connect(a);
    a.freeze();
    const started = Date.now();
    try {
      const outcome = await call(c, charger.identity, 'Reset', { type: 'Soft' }, 20_000);
      expect(outcome).toMatchObject({ ok: false, error: { name: 'NotConnectedError', message: expect.stringContaining('node-a') } });
      expect(Date.now() - started).toBeLessThan(TTL_SECONDS * 1000 + 5000); // the liveness TTL bounds it, not the 20 s timeout
    } finally {
      a.thaw();
    }
    // back: its heartbeat re-registers it, and calls reach the charger again
    const back = await waitFor(async () => {
      const o = await call(c, charger.identity, 'Reset', { type: 'Soft' });
      return o.ok ? o : undefined;
    }, 15_000, 'calls to the thawed node');
    expect(back).toEqual({ ok: true, result: { status: 'Accepted' } });
  }, 40_000);

  it('a killed node stops owning its chargers within the TTL; the charger reconnects elsewhere and is reachable', async () => {
    const charger = await connect(a);
    await a.kill(); // SIGKILL: no unregister, no clean-up
    const killedAt = Date.now();
    // calls fail with a clear error at once, not after a timeout
    expect(await call(c, charger.identity, 'Reset', { type: 'Soft' }, 20_000)).toMatchObject({
      ok: false,
      error: { name: 'NotConnectedError', message: expect.stringContaining('node-a') },
    });
    await waitFor(async () => (await c.request({ cmd: 'locate', identity: charger.identity })) === null, 15_000, 'presence of the dead node to expire');
    expect(Date.now() - killedAt).toBeLessThan(TTL_SECONDS * 1000 + 5000); // the TTL bounds it (generous slack for a loaded machine)
    expect(await call(c, charger.identity, 'Reset', { type: 'Soft' })).toMatchObject({ ok: false, error: { name: 'NotFound' } });

    const again = await connect(b, charger.identity); // what the charger does: reconnect through the load balancer
    expect(await call(c, again.identity, 'Reset', { type: 'Soft' })).toEqual({ ok: true, result: { status: 'Accepted' } });
  }, 40_000);

  it('survives a Redis restart mid-traffic: in-flight calls fail clearly, presence is re-registered, calls work again', async () => {
    const onB = await Promise.all(Array.from({ length: 5 }, () => connect(b)));
    // one call is parked on a charger that never answers: it must not hang until its 20 s timeout
    const parked = call(c, onB[0]!.identity, 'TriggerMessage', { requestedMessage: 'Heartbeat' }, 20_000);
    parked.catch(() => undefined); // awaited below; only a dead child process rejects it
    await waitFor(() => onB[0]!.calls.some((x) => x.action === 'TriggerMessage'), 20_000, 'the parked call to reach the charger');

    // steady traffic from C to B's chargers while Redis goes away
    let stop = false;
    const outcomes: CallReport[] = [];
    const traffic: Promise<void> = (async () => {
      let n = 0;
      while (!stop) {
        const target = onB[1 + (n++ % 4)]!;
        outcomes.push(await call(c, target.identity, 'DataTransfer', { vendorId: 'v', data: String(n) }, 3000));
      }
    })();
    traffic.catch(() => undefined); // awaited below
    await waitFor(() => outcomes.filter((o) => o.ok).length >= 5, 20_000, 'traffic before the restart');
    const reregisteredB = b.nextEvent('reregistered');
    await redis.kill();

    const parkedOutcome = await parked;
    expect(parkedOutcome).toMatchObject({ ok: false, error: { name: 'ConnectionClosedError', message: expect.stringContaining('Redis connection was lost') } });

    await waitFor(() => outcomes.slice(-3).every((o) => !o.ok) && outcomes.length > 8, 15_000, 'calls to fail while Redis is down').catch(
      (err: Error) => Promise.reject(new Error(`${err.message}; outcomes: ${summary(outcomes)}`)),
    );
    await redis.restart(); // empty: presence and scripts are gone
    expect((await reregisteredB)['records']).toBeGreaterThanOrEqual(5);
    for (const ch of onB) {
      // C may still be reconnecting: its lookups then fail (ConnectionClosedError), they never answer "absent"
      const found = await waitFor(() => c.request<PresenceRecord | null>({ cmd: 'locate', identity: ch.identity }).catch(() => undefined), 10_000, 'a lookup on C');
      expect(found).toMatchObject({ nodeId: 'node-b' });
    }

    const failuresBefore = outcomes.filter((o) => !o.ok).length;
    await waitFor(() => outcomes.slice(-5).every((o) => o.ok) && outcomes.length > failuresBefore + 10, 20_000, 'traffic to recover').catch(
      (err: Error) => Promise.reject(new Error(`${err.message}; outcomes: ${summary(outcomes)}`)),
    );
    stop = true;
    await traffic;
    // every failure during the outage was a clear, typed error: nothing hung, nothing was silently dropped
    for (const o of outcomes) if (!o.ok) expect(o.error.message.length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => !o.ok).map((o) => (o.ok ? '' : o.error.name)).every((n) => n !== 'TimeoutError')).toBe(true);
    for (const n of [b, c]) expect(await n.request({ cmd: 'stats' })).toMatchObject({ pendingCalls: 0 });
  }, 90_000);
});
