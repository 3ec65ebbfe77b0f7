/**
 * Cross-node call cost: the same CALL made on the node that holds the charger (local) and from another node
 * (through Redis pub/sub), in one run, printed side by side.
 *
 *   npm run bench                       (REDIS_URL overrides redis://127.0.0.1:6379)
 *   BENCH_SECONDS=10 BENCH_CHARGERS=100 npm run bench
 *   BENCH_SIGNED=1 npm run bench        (the nodes share a `secret`: every cluster message is signed)
 *   BENCH_REDIS_CLUSTER=1 npm run bench (on a local Redis Cluster of 3 masters + 3 replicas: sharded pub/sub)
 *
 * Two OCPPServer nodes run in this process, each with its own RedisAdapter and ioredis connections; the chargers
 * are raw OCPP-J 1.6 WebSocket clients connected to node A that answer DataTransfer at once.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { isCluster, type RedisClient } from '../src/redisClient.js';
import type { ServerClientHandle } from '@chargewire/server';
import { startClusterNode, type ClusterNode } from '../src/testing/clusterNode.fixture.js';
import { RawCharger } from '../src/testing/rawCharger.fixture.js';
import { deletePrefix, REDIS_URL } from '../src/testing/redis.fixture.js';
import { RedisClusterProcess } from '../src/testing/redisCluster.fixture.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const CHARGERS = Number(process.env['BENCH_CHARGERS'] ?? 50);
const SEQUENTIAL_CALLS = Number(process.env['BENCH_SEQUENTIAL_CALLS'] ?? 2000);
/** ioredis `enableAutoPipelining` on the nodes' command clients (batches the PUBLISHes of concurrent calls). */
const AUTO_PIPELINING = process.env['BENCH_AUTO_PIPELINING'] === '1';
/** Sign cluster messages with a shared secret (HMAC-SHA256), to measure what signing costs. */
const SIGNED = process.env['BENCH_SIGNED'] === '1';
/** Run on a Redis Cluster started for the run (Cluster clients, sharded pub/sub) instead of REDIS_URL. */
const REDIS_CLUSTER = process.env['BENCH_REDIS_CLUSTER'] === '1';

type Call = (handle: ServerClientHandle) => Promise<unknown>;
const dataTransfer: Call = (handle) => handle.call('ocpp1.6', 'DataTransfer', { vendorId: 'bench', data: 'x' });

interface Result {
  calls: number;
  seconds: number;
  latencies: number[];
  /** CPU time of this process (both nodes, the chargers and the loops) during the phase, in µs. */
  cpuMicros: number;
  /** CPU time of Redis (every master of a Redis Cluster) during the phase, in µs. */
  redisCpuMicros: number;
}

/** CPU seconds Redis has used so far (`INFO cpu`), summed over the masters of a Redis Cluster. */
async function redisCpuSeconds(client: RedisClient): Promise<number> {
  const servers: Redis[] = isCluster(client) ? client.nodes('master') : [client];
  const infos = await Promise.all(servers.map((s) => s.info('cpu')));
  return infos.reduce((total, info) => total + Number(/used_cpu_user:([0-9.]+)/.exec(info)?.[1]) + Number(/used_cpu_sys:([0-9.]+)/.exec(info)?.[1]), 0);
}

/** Runs `phase` and adds the CPU time this process and Redis spent meanwhile (steadier than calls/s on a loaded machine). */
async function measured(redis: RedisClient, phase: () => Promise<Omit<Result, 'cpuMicros' | 'redisCpuMicros'>>): Promise<Result> {
  const redisBefore = await redisCpuSeconds(redis);
  const before = process.cpuUsage();
  const result = await phase();
  const { user, system } = process.cpuUsage(before);
  const redisCpuMicros = ((await redisCpuSeconds(redis)) - redisBefore) * 1e6;
  return { ...result, cpuMicros: user + system, redisCpuMicros };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** One call after another on a single charger: pure latency. */
async function sequential(handle: ServerClientHandle, n: number): Promise<Omit<Result, 'cpuMicros' | 'redisCpuMicros'>> {
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await dataTransfer(handle);
    latencies.push(performance.now() - t);
  }
  return { calls: n, seconds: (performance.now() - started) / 1000, latencies };
}

/** One loop per charger (OCPP allows one outstanding CALL per connection) for `seconds`: throughput. */
async function parallel(handles: readonly ServerClientHandle[], seconds: number): Promise<Omit<Result, 'cpuMicros' | 'redisCpuMicros'>> {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    handles.map(async (handle) => {
      while (performance.now() < deadline) {
        const t = performance.now();
        await dataTransfer(handle);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { calls: latencies.length, seconds: (performance.now() - started) / 1000, latencies };
}

function row(label: string, local: Result, remote: Result): string[] {
  const l = [...local.latencies].sort((x, y) => x - y);
  const r = [...remote.latencies].sort((x, y) => x - y);
  const rate = (x: Result): number => x.calls / x.seconds;
  const fmt = (ms: number): string => `${ms.toFixed(3)} ms`;
  return [
    `${label}`,
    `  calls/s   local ${rate(local).toFixed(0).padStart(8)}   cross-node ${rate(remote).toFixed(0).padStart(8)}   ratio ${(rate(local) / rate(remote)).toFixed(2)}x`,
    `  p50       local ${fmt(percentile(l, 50)).padStart(11)}   cross-node ${fmt(percentile(r, 50)).padStart(11)}   ratio ${(percentile(r, 50) / percentile(l, 50)).toFixed(2)}x`,
    `  p99       local ${fmt(percentile(l, 99)).padStart(11)}   cross-node ${fmt(percentile(r, 99)).padStart(11)}   ratio ${(percentile(r, 99) / percentile(l, 99)).toFixed(2)}x`,
    `  CPU/call  local ${`${(local.cpuMicros / local.calls).toFixed(0)} µs`.padStart(11)}   cross-node ${`${(remote.cpuMicros / remote.calls).toFixed(0)} µs`.padStart(11)}   ratio ${(remote.cpuMicros / remote.calls / (local.cpuMicros / local.calls)).toFixed(2)}x`,
    `  Redis CPU/call local ${`${(local.redisCpuMicros / local.calls).toFixed(1)} µs`.padStart(8)}   cross-node ${`${(remote.redisCpuMicros / remote.calls).toFixed(1)} µs`.padStart(11)}`,
    `  calls     local ${String(local.calls).padStart(8)}   cross-node ${String(remote.calls).padStart(8)}`,
  ];
}

async function main(): Promise<void> {
  const prefix = `cw-bench-${randomUUID().slice(0, 8)}`;
  const nodes: ClusterNode[] = [];
  const chargers: RawCharger[] = [];
  let cluster: RedisClusterProcess | undefined;
  try {
    cluster = REDIS_CLUSTER ? await RedisClusterProcess.start(3) : undefined;
    const config = { redisUrl: REDIS_URL, ...(cluster && { redisCluster: cluster.startupNodes }), prefix, callTimeoutMs: 30_000, autoPipelining: AUTO_PIPELINING, ...(SIGNED && { secret: randomBytes(32) }) };
    const a = await startClusterNode({ ...config, nodeId: 'bench-a' });
    nodes.push(a);
    const b = await startClusterNode({ ...config, nodeId: 'bench-b' });
    nodes.push(b);
    for (let i = 0; i < CHARGERS; i++) chargers.push(await RawCharger.connect(a.url, `BENCH-${i}`));
    const local: ServerClientHandle[] = [];
    const remote: ServerClientHandle[] = [];
    for (const c of chargers) {
      for (;;) {
        const l = a.server.getClient(c.identity);
        const r = await b.server.findClient(c.identity);
        if (l && r) {
          local.push(l);
          remote.push(r);
          break;
        }
        await new Promise((res) => setTimeout(res, 10)); // presence is written just after the upgrade
      }
    }
    if (remote.some((h) => h.isLocal)) throw new Error('the cross-node handles must be remote');

    const redis = b.adapter.options.pub;
    // warm-up (JIT, script cache, connections)
    await sequential(local[0]!, 200);
    await sequential(remote[0]!, 200);

    const seqLocal = await measured(redis, () => sequential(local[0]!, SEQUENTIAL_CALLS));
    const seqRemote = await measured(redis, () => sequential(remote[0]!, SEQUENTIAL_CALLS));
    const parLocal = await measured(redis, () => parallel(local, SECONDS));
    const parRemote = await measured(redis, () => parallel(remote, SECONDS));

    const lines = [
      `chargewire redis-adapter benchmark: DataTransfer CALL, charger on node A; local = from node A, cross-node = from node B via Redis`,
      `node ${process.version}, ${CHARGERS} chargers, ${SECONDS}s per throughput phase, ioredis auto-pipelining ${AUTO_PIPELINING ? 'on' : 'off'}, cluster messages ${SIGNED ? 'signed' : 'unsigned'}, ${cluster ? 'Redis Cluster (3 masters + 3 replicas, sharded pub/sub)' : 'one Redis'}`,
      '',
      ...row(`sequential (1 charger, ${SEQUENTIAL_CALLS} calls one after another)`, seqLocal, seqRemote),
      '',
      ...row(`parallel (${CHARGERS} chargers, one outstanding call each)`, parLocal, parRemote),
      '',
      `pending cross-node entries after the run: ${b.adapter.stats().pendingCalls}`,
    ];
    console.log(lines.join('\n'));
  } finally {
    for (const c of chargers) c.terminate();
    await Promise.all(nodes.map((n) => n.stop()));
    if (cluster) await cluster.stop();
    else {
      const redis = new Redis(REDIS_URL);
      await deletePrefix(redis, prefix).finally(() => redis.disconnect());
    }
  }
}

await main();
