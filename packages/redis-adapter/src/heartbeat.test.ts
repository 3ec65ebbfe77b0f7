import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PresenceRecord } from '@chargewire/server';
import type { PresenceConflict } from '@chargewire/server';
import { waitFor } from './testing/redis.fixture.js';
import { AdapterTestBed } from './testing/testBed.fixture.js';

const TTL_S = 2;
const BEAT_MS = 250;

describe('heartbeat', () => {
  let bed: AdapterTestBed;
  beforeEach(() => {
    bed = new AdapterTestBed(undefined, { presenceTtlSeconds: TTL_S, heartbeatIntervalMs: BEAT_MS });
  });
  afterEach(() => bed.cleanup());

  const connect = async (host: { nodeId: string; presence: Map<string, PresenceRecord> }, adapter: { register(r: PresenceRecord): Promise<void> }, identity = `CP-${randomUUID()}`) => {
    const rec: PresenceRecord = { identity, nodeId: host.nodeId, connectionId: randomUUID(), protocol: 'ocpp1.6', connectedAt: Date.now() };
    host.presence.set(identity, rec);
    await adapter.register(rec);
    return rec;
  };

  it('keeps live connections present past the TTL and lets disconnected ones expire', async () => {
    const { adapter, host } = await bed.node();
    const observer = await bed.client();
    const live = await connect(host, adapter);
    const gone = await connect(host, adapter);
    host.presence.delete(gone.identity); // the server dropped it, but its unregister never reached Redis
    const key = (r: PresenceRecord): string => bed.presenceKey(r.identity);
    await waitFor(async () => (await observer.exists(key(gone))) === 0, 10_000, 'the dropped record to expire');
    // by now more than one TTL has passed: the live record survived only because the heartbeat refreshed it
    expect(await adapter.locate(live.identity)).toEqual(live);
    expect(await observer.pttl(key(live))).toBeGreaterThan(0);
  });

  it('re-creates the record of a live connection that Redis lost', async () => {
    const { adapter, host } = await bed.node();
    const observer = await bed.client();
    const rec = await connect(host, adapter);
    await observer.del(bed.presenceKey(rec.identity));
    expect(await adapter.locate(rec.identity)).toBeUndefined();
    expect(await waitFor(() => adapter.locate(rec.identity), 10_000, 're-created record')).toEqual(rec);
  });

  it('reports a conflict (and does not touch the record) when a newer connection owns the identity', async () => {
    const { adapter: a, host: hostA } = await bed.node();
    const { adapter: b, host: hostB } = await bed.node();
    const conflicts: PresenceConflict[] = [];
    a.on('presenceConflict', (c) => conflicts.push(c));
    const old = await connect(hostA, a);
    const newer = await connect(hostB, b, old.identity); // the charger reconnected to node B; A has not noticed yet
    const conflict = await waitFor(() => conflicts[0], 10_000, 'a heartbeat conflict');
    expect(conflict).toEqual({
      identity: old.identity,
      connectionId: old.connectionId,
      owner: { nodeId: hostB.nodeId, connectionId: newer.connectionId },
      during: 'heartbeat',
    });
    expect(await a.locate(old.identity)).toEqual(newer);
    expect(hostA.superseded).toContain(`${old.identity} ${old.connectionId}`);
  });

  it('closes a superseded connection on the heartbeat when the takeover notice never arrived', async () => {
    const { adapter, host } = await bed.node();
    const observer = await bed.client();
    const old = await connect(host, adapter);
    // Another node took the identity, but its notice was lost (written straight into Redis here).
    await observer.hset(bed.presenceKey(old.identity), { nodeId: 'elsewhere', connectionId: 'newer', protocol: 'ocpp1.6', connectedAt: String(old.connectedAt + 1) });
    await waitFor(() => host.superseded.length > 0 || undefined, 10_000, 'the heartbeat to close the stale connection');
    expect(host.superseded[0]).toBe(`${old.identity} ${old.connectionId}`);
  });

  it('a node that stops heart-beating disappears from liveNodes() and loses its chargers within the TTL', async () => {
    const { adapter: a, host: hostA } = await bed.node();
    const { adapter: b, host: hostB } = await bed.node();
    const rec = await connect(hostA, a);
    expect((await b.liveNodes()).sort()).toEqual([hostA.nodeId, hostB.nodeId].sort());
    // Simulate a crash: detach node A from Redis without any clean-up (its connections just vanish).
    const aClients = bed.clients.filter((c) => c === a.options.pub || c === a.options.sub);
    for (const c of aClients) c.disconnect();
    await waitFor(async () => (await b.locate(rec.identity)) === undefined, 10_000, 'presence of the dead node to expire');
    expect(await b.liveNodes()).toEqual([hostB.nodeId]);
    const outcome = await b.sendCall(hostA.nodeId, { identity: rec.identity, protocol: 'ocpp1.6', action: 'Reset', params: {}, timeoutMs: 1000 });
    expect(outcome).toEqual({ ok: false, error: { kind: 'notConnected', message: expect.stringContaining(hostA.nodeId) } });
  });
});
