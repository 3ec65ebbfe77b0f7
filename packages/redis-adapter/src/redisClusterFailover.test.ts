import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callFrom, startClusterNode, type CallReport, type ClusterNode } from './testing/clusterNode.fixture.js';
import { keyLayout } from './keys.js';
import { RawCharger } from './testing/rawCharger.fixture.js';
import { uniquePrefix, waitFor } from './testing/redis.fixture.js';
import { RedisClusterProcess } from './testing/redisCluster.fixture.js';

const CHARGERS_PER_NODE = 4;
/** Typed errors a cross-node call may end with while a shard fails over (anything else is a wrong answer). */
const TYPED_FAILURES = new Set(['ConnectionClosedError', 'NotConnectedError', 'TimeoutError']);

function summary(outcomes: readonly CallReport[]): string {
  const counts = new Map<string, number>();
  for (const o of outcomes) {
    const key = o.ok ? 'ok' : `${o.error.name} (${o.error.message})`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => `${n}× ${k}`).join('; ');
}

/**
 * A master of the Redis Cluster is killed (SIGKILL, its replica is promoted) during a stream of cross-node calls
 * between three nodes: every call settles with its result or a typed error, no charger runs a call twice (ioredis
 * re-sends the publishes that were in flight on the dead master), and afterwards every node finds every charger.
 */
describe('Redis Cluster failover during cross-node calls', () => {
  let cluster: RedisClusterProcess;
  const nodes: ClusterNode[] = [];
  const chargers: RawCharger[] = [];
  const owner = new Map<string, ClusterNode>(); // identity → the node it is connected to

  beforeAll(async () => {
    cluster = await RedisClusterProcess.start(3);
    const prefix = uniquePrefix('failover');
    for (const name of ['a', 'b', 'c']) {
      const node = await startClusterNode({
        redisUrl: '',
        redisCluster: cluster.startupNodes,
        prefix,
        nodeId: `node-${name}`,
        presenceTtlSeconds: 6,
        heartbeatIntervalMs: 1000,
        callTimeoutMs: 5000,
        callGraceMs: 1000,
      });
      nodes.push(node);
      for (let i = 0; i < CHARGERS_PER_NODE; i++) {
        const charger = await RawCharger.connect(node.url, `CP-${name}${i}-${randomUUID().slice(0, 6)}`);
        chargers.push(charger);
        owner.set(charger.identity, node);
      }
    }
    await presenceWhole();
  }, 120_000);

  afterAll(async () => {
    for (const c of chargers) c.terminate();
    await Promise.all(nodes.map((n) => n.stop().catch(() => undefined)));
    await cluster?.stop();
  });

  /** Every node finds every charger on its node (lookups may fail while a shard is down: retried). */
  async function presenceWhole(timeoutMs = 30_000): Promise<void> {
    for (const node of nodes) {
      for (const charger of chargers) {
        await waitFor(
          async () => {
            const found = await node.server.findClient(charger.identity).catch(() => undefined);
            return found?.nodeId === owner.get(charger.identity)!.server.nodeId;
          },
          timeoutMs,
          `${node.server.nodeId} to find ${charger.identity} on ${owner.get(charger.identity)!.server.nodeId}`,
        );
      }
    }
  }

  it('every call settles (result or typed error), none runs twice, presence is whole afterwards', async () => {
    const outcomes: CallReport[] = [];
    const tokens = new Map<string, { ok: boolean; identity: string }>();
    let started = 0;
    let stop = false;
    // One loop per (caller node, remote charger) pair is too many for a 2-core machine: one loop per charger,
    // each calling it from the nodes it is not connected to, in turn.
    const loops = chargers.map(async (charger, k) => {
      const callers = nodes.filter((n) => n !== owner.get(charger.identity));
      for (let n = k; !stop; n++) {
        const token = `${charger.identity}#${n}`;
        started++;
        const outcome = await callFrom(callers[n % callers.length]!.server, charger.identity, 'DataTransfer', { vendorId: 'failover', data: token });
        outcomes.push(outcome);
        tokens.set(token, { ok: outcome.ok, identity: charger.identity });
        if (outcome.ok) expect(outcome.result).toEqual({ status: 'Accepted', data: JSON.stringify({ identity: charger.identity, data: token }) });
        else await new Promise((r) => setTimeout(r, 50)); // no hot loop while the shard is down
      }
    });
    await waitFor(() => outcomes.filter((o) => o.ok).length >= 50, 30_000, 'traffic before the failover');

    // The master that serves node A's channel: calls to A's chargers and A's replies cross it.
    const victim = await cluster.masterOf(await cluster.slotOf(keyLayout(nodes[0]!.adapter.options.prefix).nodeChannel('node-a')));
    await cluster.kill(victim);
    const killedAt = outcomes.length;
    await cluster.waitHealthy(2, 60_000); // a replica took over (the other two masters keep theirs)

    await waitFor(
      () => outcomes.length > killedAt + 100 && outcomes.slice(-30).every((o) => o.ok),
      60_000,
      'traffic to recover after the failover',
    ).catch((err: Error) => Promise.reject(new Error(`${err.message}; outcomes since the kill: ${summary(outcomes.slice(killedAt))}`)));
    stop = true;
    await Promise.all(loops);

    // every call settled, with its result or a typed error
    expect(outcomes.length).toBe(started);
    const wrong = outcomes.filter((o) => !o.ok && !TYPED_FAILURES.has(o.error.name));
    expect(wrong, summary(wrong)).toEqual([]);
    // no charger ran a call twice (each call carries its own token)
    const seen = new Map<string, number>();
    for (const c of chargers) for (const call of c.calls) {
      const data = (call.payload as { data: string }).data;
      seen.set(data, (seen.get(data) ?? 0) + 1);
    }
    expect([...seen].filter(([, n]) => n > 1)).toEqual([]);
    // every call that succeeded reached its charger exactly once
    for (const [token, { ok }] of tokens) if (ok) expect(seen.get(token), token).toBe(1);
    // presence is whole: every node finds every charger where it is connected
    await presenceWhole();
    for (const node of nodes) expect(node.adapter.stats()).toMatchObject({ pendingCalls: 0 });
    console.info(`failover: ${outcomes.length} calls, ${summary(outcomes.slice(killedAt))} since the kill`);
  }, 180_000);
});
