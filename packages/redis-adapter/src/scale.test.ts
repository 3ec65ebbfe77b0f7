import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callFrom, startClusterNode, type CallReport, type ClusterNode } from './testing/clusterNode.fixture.js';
import { RawCharger } from './testing/rawCharger.fixture.js';
import { deletePrefix, REDIS_URL, uniquePrefix, waitFor } from './testing/redis.fixture.js';

const CHARGERS = 1000;

/** Runs `fn` over `items` with at most `limit` in flight. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

describe(`${CHARGERS} chargers over 3 nodes`, () => {
  const prefix = uniquePrefix('scale');
  let nodes: ClusterNode[] = [];
  let chargers: RawCharger[] = [];

  beforeAll(async () => {
    nodes = await Promise.all(['n1', 'n2', 'n3'].map((nodeId) => startClusterNode({ redisUrl: REDIS_URL, prefix, nodeId, callTimeoutMs: 20_000 })));
    const ids = Array.from({ length: CHARGERS }, (_, i) => `CP-${String(i).padStart(4, '0')}`);
    chargers = await mapLimit(ids, 50, (id) => RawCharger.connect(nodes[Number(id.slice(3)) % 3]!.url, id));
    await waitFor(() => nodes.every((n) => n.server.clients.size >= Math.floor(CHARGERS / 3)), 30_000, 'every charger to be accepted');
  }, 90_000);

  afterAll(async () => {
    for (const c of chargers) c.terminate();
    await Promise.all(nodes.map((n) => n.stop()));
    const redis = new Redis(REDIS_URL);
    await deletePrefix(redis, prefix);
    redis.disconnect();
  }, 30_000);

  it('every node locates every charger on its owning node', async () => {
    for (const node of nodes) {
      const found = await waitFor(async () => {
        const records = await mapLimit(chargers, 200, (c) => node.adapter.locate(c.identity));
        return records.every((r) => r !== undefined) ? records : undefined;
      }, 20_000, `node ${node.server.nodeId} to see every charger`);
      found.forEach((record, i) => expect(record?.nodeId).toBe(`n${(i % 3) + 1}`));
    }
  }, 60_000);

  it('every charger answers a call from every node (2/3 of them cross-node)', async () => {
    const jobs = chargers.flatMap((charger) => nodes.map((node) => ({ charger, node })));
    const reports = await mapLimit(jobs, 150, ({ charger, node }) =>
      callFrom(node.server, charger.identity, 'DataTransfer', { vendorId: 'scale', data: node.server.nodeId }),
    );
    const failures = reports.filter((r): r is Extract<CallReport, { ok: false }> => !r.ok);
    expect(failures).toEqual([]);
    reports.forEach((r, i) => {
      const { charger, node } = jobs[i]!;
      expect(r).toEqual({ ok: true, result: { status: 'Accepted', data: JSON.stringify({ identity: charger.identity, data: node.server.nodeId }) } });
    });
    for (const charger of chargers) expect(charger.calls).toHaveLength(3);
    for (const node of nodes) expect(node.adapter.stats().pendingCalls).toBe(0);
  }, 90_000);
});
