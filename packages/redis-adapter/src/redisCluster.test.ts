import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceRecord } from '@chargewire/server';
import { runAdapterConformanceSuite, runClusterProtocolSuite } from '@chargewire/server/testing';
import fc from 'fast-check';
import { clusterSlot } from './clusterSlot.js';
import { createRedisAdapter } from './createRedisAdapter.js';
import { keyLayout, presenceBucket } from './keys.js';
import { RedisClusterProcess } from './testing/redisCluster.fixture.js';
import { AdapterTestBed } from './testing/testBed.fixture.js';
import { TestHost } from './testing/testHost.fixture.js';

/** The shared adapter suites against a real Redis Cluster (3 masters, 3 replicas): sharded pub/sub, tagged keys. */
describe('RedisAdapter on a Redis Cluster', () => {
  let cluster: RedisClusterProcess;
  beforeAll(async () => {
    cluster = await RedisClusterProcess.start(3);
  }, 90_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  runAdapterConformanceSuite('RedisAdapter (Redis Cluster)', async () => {
    const bed = AdapterTestBed.onCluster(cluster, { callGraceMs: 500, broadcastTimeoutMs: 5000 });
    const adapters = [await bed.adapter(), await bed.adapter(), await bed.adapter()];
    return { adapters, cleanup: () => bed.cleanup() };
  });

  runClusterProtocolSuite('RedisAdapter (Redis Cluster)', async (options) => {
    const bed = AdapterTestBed.onCluster(cluster, { broadcastTimeoutMs: 5000 });
    const adapters = await Promise.all(options.map(({ presenceTtlMs, ...o }) => bed.adapter({ ...o, presenceTtlSeconds: presenceTtlMs / 1000 })));
    return {
      adapters,
      // The node's command connections go away for good (its heartbeats stop); its sharded subscribers stay.
      lapse: async (adapter) => {
        (adapter as (typeof adapters)[number]).options.pub.disconnect();
      },
      cleanup: () => bed.cleanup(),
    };
  });

  describe('Redis Cluster specifics', () => {
    let bed: AdapterTestBed;
    afterEach(async () => {
      await bed?.cleanup();
    });
    const record = (identity: string, nodeId: string): PresenceRecord => ({ identity, nodeId, connectionId: `${nodeId}:${randomUUID()}`, protocol: 'ocpp1.6', connectedAt: Date.now() });

    it('talks over sharded pub/sub: node channels are SSUBSCRIBEd on the masters of their slots, nothing uses plain SUBSCRIBE', async () => {
      bed = AdapterTestBed.onCluster(cluster);
      const { adapter, host } = await bed.node();
      const other = await bed.node();
      expect(await other.adapter.sendCall(host.nodeId, { identity: 'CP-1', protocol: 'ocpp1.6', action: 'Reset', params: {}, timeoutMs: 5000 })).toMatchObject({ ok: true });
      const admin = await bed.clusterClient();
      const channel = keyLayout(bed.prefix).nodeChannel(host.nodeId);
      const counts = await Promise.all(
        admin.nodes('master').map(async (n) => [Number((await n.pubsub('SHARDNUMSUB', channel))[1]), Number((await n.pubsub('NUMSUB', channel))[1])]),
      );
      expect(counts.map(([sharded]) => sharded).reduce((x, y) => x! + y!, 0)).toBe(1);
      expect(counts.every(([, plain]) => plain === 0)).toBe(true);
      expect(adapter.state).toBe('ready');
    });

    it('computes the slot of a channel as the cluster does (the publisher groups SPUBLISHes by master with it)', async () => {
      bed = AdapterTestBed.onCluster(cluster);
      const admin = await bed.clusterClient();
      const samples = fc.sample(fc.string({ unit: 'grapheme', maxLength: 30 }), 200).concat(['a{b}c', '{}x', 'x{}{y}', 'ü{ü}']);
      for (const key of samples) expect([key, clusterSlot(key)]).toEqual([key, Number(await admin.cluster('KEYSLOT', key))]);
    });

    it('refuses a second live node with the same id (its sharded subscriber is counted)', async () => {
      bed = AdapterTestBed.onCluster(cluster);
      const { host } = await bed.node();
      const twin = await bed.adapter();
      await expect(twin.init(new TestHost(host.nodeId))).rejects.toThrow(/already used/);
    });

    it('heartbeats records spread over many buckets and slots (one script per bucket, each on one slot)', async () => {
      bed = AdapterTestBed.onCluster(cluster, { presenceTtlSeconds: 2, heartbeatIntervalMs: 300 });
      const { adapter, host } = await bed.node();
      const records = Array.from({ length: 400 }, (_, i) => record(`CP-${i}-${randomUUID().slice(0, 6)}`, host.nodeId));
      expect(new Set(records.map((r) => presenceBucket(r.identity))).size).toBeGreaterThan(200);
      for (const r of records) host.presence.set(r.identity, r);
      await Promise.all(records.map((r) => adapter.register(r)));
      await new Promise((r) => setTimeout(r, 3000)); // longer than the TTL: only the heartbeat keeps them
      const found = await Promise.all(records.map((r) => adapter.locate(r.identity)));
      expect(found).toEqual(records);
      expect(bed.errors).toEqual([]);
    }, 20_000);

    it('refuses a Cluster subscriber without sharded subscribers, and a Cluster mixed with a single Redis', async () => {
      bed = AdapterTestBed.onCluster(cluster);
      const pub = await bed.clusterClient();
      const plainSub = pub.duplicate();
      plainSub.on('error', () => undefined);
      bed.clients.push(plainSub);
      expect(() => createRedisAdapter({ pub, sub: plainSub })).toThrow(/shardedSubscribers/);
      const single = await bed.client();
      expect(() => createRedisAdapter({ pub, sub: single })).toThrow(/both be Redis Cluster clients/);
    });
  });
});
