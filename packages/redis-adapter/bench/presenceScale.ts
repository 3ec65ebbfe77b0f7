/**
 * Presence at scale on a Redis Cluster: registers BENCH_CHARGERS chargers (default 100,000) from BENCH_NODES
 * simulated nodes (default 10), lets every node heartbeat them for BENCH_WINDOW_SECONDS, and prints what the
 * capacity arithmetic of docs/SCALING.md needs: Redis memory per presence record, commands and Redis CPU per
 * charger and per node, how long one node's beat takes, and pub/sub messages per cross-node call.
 *
 *   npm run bench:presence
 *   BENCH_CHARGERS=20000 BENCH_NODES=4 BENCH_HEARTBEAT_MS=5000 npm run bench:presence
 *
 * It starts its own Redis Cluster (3 masters + 3 replicas, the test suite's fixture) and removes it afterwards.
 * Each simulated node is a real RedisAdapter (its own `Cluster` clients, sharded pub/sub) with a scripted host
 * whose "connections" are the records it registered; the adapter's own heartbeat timer refreshes them.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Redis } from 'ioredis';
import type { PresenceRecord } from '@chargewire/server';
import { createRedisAdapter } from '../src/createRedisAdapter.js';
import { keyLayout } from '../src/keys.js';
import { RedisPresenceStore } from '../src/presenceStore.js';
import type { RedisAdapter } from '../src/redisAdapter.js';
import { RedisClusterProcess } from '../src/testing/redisCluster.fixture.js';
import { TestHost } from '../src/testing/testHost.fixture.js';

const CHARGERS = Number(process.env['BENCH_CHARGERS'] ?? 100_000);
const NODES = Number(process.env['BENCH_NODES'] ?? 10);
const HEARTBEAT_MS = Number(process.env['BENCH_HEARTBEAT_MS'] ?? 10_000);
const TTL_SECONDS = Number(process.env['BENCH_TTL_SECONDS'] ?? (3 * HEARTBEAT_MS) / 1000);
const WINDOW_SECONDS = Number(process.env['BENCH_WINDOW_SECONDS'] ?? 30);
/** A window with the nodes up and no chargers: Redis' and the nodes' own background CPU, subtracted from the figures. */
const IDLE_SECONDS = Number(process.env['BENCH_IDLE_SECONDS'] ?? 10);
const CROSS_NODE_CALLS = Number(process.env['BENCH_CROSS_NODE_CALLS'] ?? 2000);
/** Registrations in flight per node (a node registers its chargers as they connect, not all at once). */
const REGISTER_CONCURRENCY = 500;

interface MasterStats {
  usedMemory: number;
  keys: number;
  commands: number;
  cpuSeconds: number;
  netInputBytes: number;
  calls: Map<string, number>;
}

function field(info: string, name: string): number {
  const m = new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info);
  return m ? Number(m[1]) : 0;
}

/** Per-master counters from INFO (memory, keyspace, stats, cpu, commandstats). */
async function masterStats(masters: Redis[]): Promise<MasterStats[]> {
  return Promise.all(
    masters.map(async (m) => {
      const info = await m.info('all');
      const calls = new Map<string, number>();
      for (const [, cmd, n] of info.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)) calls.set(cmd!, Number(n));
      return {
        usedMemory: field(info, 'used_memory'),
        keys: Number(/^db0:keys=(\d+)/m.exec(info)?.[1] ?? 0),
        commands: field(info, 'total_commands_processed'),
        cpuSeconds: field(info, 'used_cpu_user') + field(info, 'used_cpu_sys'),
        netInputBytes: field(info, 'total_net_input_bytes'),
        calls,
      };
    }),
  );
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
/** The masters' counters and this process's CPU around `seconds` of waiting (the nodes' timers do the work). */
async function quietWindow(masters: Redis[], seconds: number): Promise<{ start: MasterStats[]; end: MasterStats[]; seconds: number; cpu: NodeJS.CpuUsage }> {
  const start = await masterStats(masters);
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const elapsed = (performance.now() - wallStart) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  return { start, end: await masterStats(masters), seconds: elapsed, cpu };
}

const callsOf = (stats: readonly MasterStats[], cmd: string): number => sum(stats.map((s) => s.calls.get(cmd) ?? 0));

async function main(): Promise<void> {
  const cluster = await RedisClusterProcess.start(3);
  const adapters: RedisAdapter[] = [];
  const clients: Array<{ disconnect(): void }> = [];
  try {
    const admin = await cluster.client();
    clients.push(admin);
    const masters = admin.nodes('master');
    const prefix = `cw-scale-${randomUUID().slice(0, 8)}`;
    const hosts: TestHost[] = [];
    for (let n = 0; n < NODES; n++) {
      const pub = await cluster.client();
      const sub = pub.duplicate([], { shardedSubscribers: true });
      sub.on('error', () => undefined);
      clients.push(pub, sub);
      const adapter = createRedisAdapter({ pub, sub, prefix, presenceTtlSeconds: TTL_SECONDS, heartbeatIntervalMs: HEARTBEAT_MS });
      adapter.on('error', (e) => console.warn(`node ${n}: ${e.message}`));
      const host = new TestHost(`sim-${n}`);
      await adapter.init(host);
      adapters.push(adapter);
      hosts.push(host);
    }

    // ── idle baseline ─────────────────────────────────────────────────────────────────────────────────────────
    const { start: idleStart, end: idleEnd, seconds: idleSeconds, cpu: idleCpu } = await quietWindow(masters, IDLE_SECONDS);
    const idleRedisRate = (sum(idleEnd.map((s) => s.cpuSeconds)) - sum(idleStart.map((s) => s.cpuSeconds))) / idleSeconds; // core-seconds per second
    const idleNodeRate = (idleCpu.user + idleCpu.system) / 1e6 / idleSeconds;

    // ── registration ──────────────────────────────────────────────────────────────────────────────────────────
    const before = await masterStats(masters);
    const registerStarted = performance.now();
    await Promise.all(
      adapters.map(async (adapter, n) => {
        const host = hosts[n]!;
        const mine = Math.floor(CHARGERS / NODES) + (n < CHARGERS % NODES ? 1 : 0);
        let next = 0;
        const worker = async (): Promise<void> => {
          while (next < mine) {
            const i = next++;
            const record: PresenceRecord = Object.freeze({
              identity: `CP-${n}-${i}`,
              nodeId: host.nodeId,
              connectionId: `${host.nodeId}:${randomUUID()}`,
              protocol: 'ocpp1.6',
              connectedAt: Date.now(),
            });
            host.presence.set(record.identity, record); // the server's live connection, which the heartbeat refreshes
            await adapter.register(record);
          }
        };
        await Promise.all(Array.from({ length: REGISTER_CONCURRENCY }, worker));
      }),
    );
    const registerSeconds = (performance.now() - registerStarted) / 1000;
    const registered = await masterStats(masters);
    const records = sum(registered.map((s) => s.keys)) - sum(before.map((s) => s.keys));
    const bytesPerRecord = (sum(registered.map((s) => s.usedMemory)) - sum(before.map((s) => s.usedMemory))) / records;
    const keys = keyLayout(prefix);
    const usage = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => Number(await admin.memory('USAGE', keys.presence(`CP-${i % NODES}-${Math.floor(i / NODES)}`)))),
    );

    // ── steady heartbeats ─────────────────────────────────────────────────────────────────────────────────────
    const { start: windowStart, end: windowEnd, seconds: windowSeconds, cpu } = await quietWindow(masters, WINDOW_SECONDS);
    const commands = sum(windowEnd.map((s) => s.commands)) - sum(windowStart.map((s) => s.commands));
    const redisCpu = sum(windowEnd.map((s) => s.cpuSeconds)) - sum(windowStart.map((s) => s.cpuSeconds));
    const evalsha = callsOf(windowEnd, 'evalsha') - callsOf(windowStart, 'evalsha');
    const inScripts = ['hget', 'pexpire', 'exists'].map((c) => callsOf(windowEnd, c) - callsOf(windowStart, c));

    // One node's full beat, timed: the refresh scripts of its records (what the heartbeat timer runs).
    const store = new RedisPresenceStore(admin, keys, TTL_SECONDS * 1000);
    const oneNode = hosts[0]!.localPresence();
    const beatStarted = performance.now();
    for (let i = 0; i < oneNode.length; i += store.refreshBatch) await store.refresh(oneNode.slice(i, i + store.refreshBatch)); // the keeper's batches
    const beatMs = performance.now() - beatStarted;

    // ── cross-node calls: pub/sub messages per call ───────────────────────────────────────────────────────────
    const callsBefore = await masterStats(masters);
    const callsStarted = performance.now();
    for (let i = 0; i < CROSS_NODE_CALLS; i++) {
      const outcome = await adapters[1]!.sendCall(hosts[0]!.nodeId, { identity: 'CP-0-0', protocol: 'ocpp1.6', action: 'DataTransfer', params: { vendorId: 'bench' }, timeoutMs: 5000 });
      if (!outcome.ok) throw new Error(`cross-node call failed: ${JSON.stringify(outcome)}`);
    }
    const callSeconds = (performance.now() - callsStarted) / 1000;
    const callsAfter = await masterStats(masters);
    const spublishPerCall = (callsOf(callsAfter, 'spublish') - callsOf(callsBefore, 'spublish')) / CROSS_NODE_CALLS;
    const delta = (f: (s: MasterStats) => number): number => sum(callsAfter.map(f)) - sum(callsBefore.map(f));
    // minus what Redis spends meanwhile without the calls (background + the heartbeats, measured in the window above)
    const callRedisMicros = (1e6 * (delta((s) => s.cpuSeconds) - (redisCpu / windowSeconds) * callSeconds)) / CROSS_NODE_CALLS;
    const windowBytesRate = (sum(windowEnd.map((s) => s.netInputBytes)) - sum(windowStart.map((s) => s.netInputBytes))) / windowSeconds; // the heartbeats' own
    const callBytes = (delta((s) => s.netInputBytes) - windowBytesRate * callSeconds) / CROSS_NODE_CALLS;

    const perMaster = registered.map((s, i) => `${s.keys - before[i]!.keys}`).join(' / ');
    const lines = [
      `chargewire presence at scale: ${CHARGERS} chargers from ${NODES} nodes on a local Redis Cluster (3 masters + 3 replicas), node ${process.version}`,
      `heartbeat every ${HEARTBEAT_MS} ms, presence TTL ${TTL_SECONDS} s`,
      '',
      `idle (nodes up, no chargers, ${idleSeconds.toFixed(0)} s): Redis ${(100 * idleRedisRate).toFixed(2)} % of one core (3 masters), nodes ${(100 * idleNodeRate).toFixed(2)} %`,
      `registration: ${records} records in ${registerSeconds.toFixed(1)} s = ${(records / registerSeconds).toFixed(0)} registrations/s (${REGISTER_CONCURRENCY} in flight per node)`,
      `  Redis CPU per registration (all masters, idle baseline subtracted): ${((1e6 * (sum(registered.map((s) => s.cpuSeconds)) - sum(before.map((s) => s.cpuSeconds)) - idleRedisRate * registerSeconds)) / records).toFixed(1)} µs`,
      `records per master: ${perMaster}`,
      `Redis memory per presence record: ${bytesPerRecord.toFixed(0)} B (used_memory delta over the masters / records; replicas hold a second copy)`,
      `MEMORY USAGE of one record (200 sampled): ${(sum(usage) / usage.length).toFixed(0)} B`,
      '',
      `steady heartbeats over ${windowSeconds.toFixed(1)} s:`,
      `  Redis commands/s (all masters, those run inside scripts included): ${(commands / windowSeconds).toFixed(1)}`,
      `  EVALSHA/s (round trips): ${(evalsha / windowSeconds).toFixed(1)} = ${(evalsha / windowSeconds / NODES).toFixed(1)} per node = ${((evalsha / windowSeconds) / CHARGERS).toFixed(5)} per charger`,
      `  inside the scripts, HGET/PEXPIRE/EXISTS per s: ${inScripts.map((n) => (n / windowSeconds).toFixed(0)).join(' / ')} (${(1000 / HEARTBEAT_MS).toFixed(2)} record refreshes per charger per s)`,
      `  Redis CPU (all masters): ${((100 * redisCpu) / windowSeconds).toFixed(2)} % of one core, idle baseline ${(100 * idleRedisRate).toFixed(2)} %: ${((1e6 * (redisCpu / windowSeconds - idleRedisRate)) / (CHARGERS * (1000 / HEARTBEAT_MS))).toFixed(2)} µs per record refresh`,
      `  node CPU (this process, ${NODES} nodes): ${(((cpu.user + cpu.system) / 1e6 / windowSeconds) * 100).toFixed(2)} % of one core, idle baseline ${(100 * idleNodeRate).toFixed(2)} %: ${((1e6 * ((cpu.user + cpu.system) / 1e6 / windowSeconds - idleNodeRate)) / (CHARGERS * (1000 / HEARTBEAT_MS))).toFixed(2)} µs per record refresh`,
      `one node's beat (${oneNode.length} records, batches of ${store.refreshBatch}): ${beatMs.toFixed(0)} ms`,
      '',
      `cross-node calls (${CROSS_NODE_CALLS}, one after another, heartbeats still running): ${spublishPerCall.toFixed(2)} SPUBLISH per call, ${callBytes.toFixed(0)} bytes into Redis per call, Redis CPU (heartbeat window's rates subtracted) ${callRedisMicros.toFixed(1)} µs per call`,
    ];
    console.log(lines.join('\n'));
  } finally {
    await Promise.all(adapters.map((a) => a.close().catch(() => undefined)));
    for (const c of clients) c.disconnect();
    await cluster.stop();
  }
}

await main();
