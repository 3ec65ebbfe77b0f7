/**
 * Cross-node call cost: the same CALL made on the node that holds the charger (local) and from another node
 * (through Redis pub/sub), in one run, printed side by side.
 *
 *   npm run bench                       (REDIS_URL overrides redis://127.0.0.1:6379)
 *   BENCH_SECONDS=10 BENCH_CHARGERS=100 npm run bench
 *   BENCH_SIGNED=1 npm run bench        (the nodes share a `secret`: every cluster message is signed)
 *   BENCH_REDIS_CLUSTER=1 npm run bench (on a local Redis Cluster of 3 masters + 3 replicas: sharded pub/sub)
 *   BENCH_CHARGERS_IN=nodeA npm run bench (the chargers in node A's process instead of a third one)
 *
 * As in a deployment, each OCPPServer node runs in its own process (bench/crossNodeWorker.ts, forked), with its own
 * RedisAdapter and ioredis connections; the chargers — raw OCPP-J 1.6 WebSocket clients connected to node A that
 * answer DataTransfer at once — run in a third process, like the remote machines they stand for. Local calls are
 * made in node A's process, cross-node calls in node B's. This process only orchestrates over IPC and reads the
 * CPU time every child and Redis spent during each phase.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { isCluster, type RedisClient } from '../src/redisClient.js';
import type { ClusterNodeConfig } from '../src/testing/clusterNode.fixture.js';
import { deletePrefix, REDIS_URL } from '../src/testing/redis.fixture.js';
import { RedisClusterProcess } from '../src/testing/redisCluster.fixture.js';
import type { PhaseResult, WorkerRequest } from './crossNodeWorker.js';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const CHARGERS = Number(process.env['BENCH_CHARGERS'] ?? 50);
const SEQUENTIAL_CALLS = Number(process.env['BENCH_SEQUENTIAL_CALLS'] ?? 2000);
/** ioredis `enableAutoPipelining` on the nodes' command clients (batches the PUBLISHes of concurrent calls). */
const AUTO_PIPELINING = process.env['BENCH_AUTO_PIPELINING'] === '1';
/** Sign cluster messages with a shared secret (HMAC-SHA256), to measure what signing costs. */
const SIGNED = process.env['BENCH_SIGNED'] === '1';
/** Run on a Redis Cluster started for the run (Cluster clients, sharded pub/sub) instead of REDIS_URL. */
const REDIS_CLUSTER = process.env['BENCH_REDIS_CLUSTER'] === '1';
/**
 * Where the simulated chargers run: `own` (default) a third process, like the remote machines they stand for;
 * `nodeA` node A's process, so their CPU weighs on node A's core equally in both phases (on a machine with fewer
 * cores than the 4 busy processes — node A, node B, chargers, Redis — a third process gives the local phase a
 * core that the cross-node phase has to share).
 */
const CHARGERS_IN = process.env['BENCH_CHARGERS_IN'] === 'nodeA' ? 'nodeA' : 'own';

const WORKER = fileURLToPath(new URL('./crossNodeWorker.ts', import.meta.url));

/** A forked bench/crossNodeWorker.ts, driven by request/reply over IPC. */
class Worker {
  readonly #child: ChildProcess;
  readonly #waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  #nextId = 1;

  constructor(readonly name: string) {
    // The same loader and export condition as this process (tsx, TypeScript sources).
    this.#child = fork(WORKER, [], { execArgv: process.execArgv, stdio: 'inherit' });
    this.#child.on('message', (msg: { id: number; reply?: unknown; failure?: string }) => {
      const waiter = this.#waiting.get(msg.id);
      this.#waiting.delete(msg.id);
      if (msg.failure !== undefined) waiter?.reject(new Error(`${name}: ${msg.failure}`));
      else waiter?.resolve(msg.reply);
    });
    this.#child.once('exit', (code) => {
      for (const w of this.#waiting.values()) w.reject(new Error(`${name} exited with ${code}`));
      this.#waiting.clear();
    });
  }

  request<T>(request: WorkerRequest): Promise<T> {
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#child.send({ id, ...request });
    });
  }

  /** Stops the node or chargers it runs, then ends the process. */
  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    await this.request({ cmd: 'stop' }).catch(() => undefined);
    this.#child.disconnect();
    await exited;
  }
}

interface Result extends PhaseResult {
  /** CPU time of each child process during the phase, in µs. */
  cpuMicros: Record<string, number>;
  /** CPU time of Redis (every master of a Redis Cluster) during the phase, in µs. */
  redisCpuMicros: number;
}

/** CPU seconds Redis has used so far (`INFO cpu`), summed over the masters of a Redis Cluster. */
async function redisCpuSeconds(client: RedisClient): Promise<number> {
  const servers: Redis[] = isCluster(client) ? client.nodes('master') : [client];
  const infos = await Promise.all(servers.map((s) => s.info('cpu')));
  return infos.reduce((total, info) => total + Number(/used_cpu_user:([0-9.]+)/.exec(info)?.[1]) + Number(/used_cpu_sys:([0-9.]+)/.exec(info)?.[1]), 0);
}

/** Runs `phase` and adds the CPU time every child and Redis spent meanwhile (steadier than calls/s on a loaded machine). */
async function measured(redis: RedisClient, workers: readonly Worker[], phase: () => Promise<PhaseResult>): Promise<Result> {
  const cpu = (): Promise<number[]> => Promise.all(workers.map((w) => w.request<number>({ cmd: 'cpu' })));
  const redisBefore = await redisCpuSeconds(redis);
  const before = await cpu();
  const result = await phase();
  const after = await cpu();
  const redisCpuMicros = ((await redisCpuSeconds(redis)) - redisBefore) * 1e6;
  const cpuMicros = Object.fromEntries(workers.map((w, i) => [w.name, after[i]! - before[i]!]));
  return { ...result, cpuMicros, redisCpuMicros };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function row(label: string, local: Result, remote: Result): string[] {
  const l = [...local.latencies].sort((x, y) => x - y);
  const r = [...remote.latencies].sort((x, y) => x - y);
  const rate = (x: Result): number => x.calls / x.seconds;
  const fmt = (ms: number): string => `${ms.toFixed(3)} ms`;
  const perCall = (x: Result, names: readonly string[]): number => names.reduce((t, n) => t + (x.cpuMicros[n] ?? 0), 0) / x.calls;
  const cpuRow = (title: string, names: readonly string[]): string =>
    `  ${title.padEnd(16)}local ${`${perCall(local, names).toFixed(0)} µs`.padStart(8)}   cross-node ${`${perCall(remote, names).toFixed(0)} µs`.padStart(11)}${perCall(local, names) * 20 < perCall(remote, names) ? '' : `   ratio ${(perCall(remote, names) / perCall(local, names)).toFixed(2)}x`}`; // no ratio for node B: it idles in the local phase
  return [
    `${label}`,
    `  calls/s   local ${rate(local).toFixed(0).padStart(8)}   cross-node ${rate(remote).toFixed(0).padStart(8)}   ratio ${(rate(local) / rate(remote)).toFixed(2)}x   cross-node/local ${(rate(remote) / rate(local)).toFixed(2)}x`,
    `  p50       local ${fmt(percentile(l, 50)).padStart(11)}   cross-node ${fmt(percentile(r, 50)).padStart(11)}   ratio ${(percentile(r, 50) / percentile(l, 50)).toFixed(2)}x`,
    `  p99       local ${fmt(percentile(l, 99)).padStart(11)}   cross-node ${fmt(percentile(r, 99)).padStart(11)}   ratio ${(percentile(r, 99) / percentile(l, 99)).toFixed(2)}x`,
    `  CPU per call (process.cpuUsage() of each process):`,
    cpuRow('  node A', ['node A']),
    cpuRow('  node B', ['node B']),
    cpuRow('  nodes A + B', ['node A', 'node B']),
    ...(CHARGERS_IN === 'own' ? [cpuRow('  chargers', ['chargers'])] : []),
    `  Redis CPU/call local ${`${(local.redisCpuMicros / local.calls).toFixed(1)} µs`.padStart(8)}   cross-node ${`${(remote.redisCpuMicros / remote.calls).toFixed(1)} µs`.padStart(11)}`,
    `  calls     local ${String(local.calls).padStart(8)}   cross-node ${String(remote.calls).padStart(8)}`,
  ];
}

async function main(): Promise<void> {
  const prefix = `cw-bench-${randomUUID().slice(0, 8)}`;
  const workers: Worker[] = [];
  let cluster: RedisClusterProcess | undefined;
  let redis: RedisClient | undefined;
  try {
    cluster = REDIS_CLUSTER ? await RedisClusterProcess.start(3) : undefined;
    redis = cluster ? await cluster.client() : new Redis(REDIS_URL);
    const config: Omit<ClusterNodeConfig, 'nodeId'> = {
      redisUrl: REDIS_URL,
      ...(cluster && { redisCluster: cluster.startupNodes }),
      prefix,
      callTimeoutMs: 30_000,
      autoPipelining: AUTO_PIPELINING,
      ...(SIGNED && { secret: randomBytes(32).toString('base64') }),
    };
    const a = new Worker('node A');
    const b = new Worker('node B');
    const chargers = CHARGERS_IN === 'own' ? new Worker('chargers') : a;
    workers.push(a, b);
    if (chargers !== a) workers.push(chargers);
    const [urlA] = await Promise.all([
      a.request<string>({ cmd: 'startNode', config: { ...config, nodeId: 'bench-a' } }),
      b.request<string>({ cmd: 'startNode', config: { ...config, nodeId: 'bench-b' } }),
    ]);
    const identities = Array.from({ length: CHARGERS }, (_, i) => `BENCH-${i}`);
    await chargers.request({ cmd: 'connectChargers', url: urlA, identities });
    const [localOnA, localOnB] = await Promise.all([a.request<number>({ cmd: 'findChargers', identities }), b.request<number>({ cmd: 'findChargers', identities })]);
    if (localOnA !== CHARGERS || localOnB !== 0) throw new Error(`expected every charger local on node A and remote on node B (got ${localOnA} and ${localOnB} local)`);

    // warm-up (JIT, script cache, connections)
    await a.request({ cmd: 'sequential', calls: 200 });
    await b.request({ cmd: 'sequential', calls: 200 });

    const seqLocal = await measured(redis, workers, () => a.request({ cmd: 'sequential', calls: SEQUENTIAL_CALLS }));
    const seqRemote = await measured(redis, workers, () => b.request({ cmd: 'sequential', calls: SEQUENTIAL_CALLS }));
    const parLocal = await measured(redis, workers, () => a.request({ cmd: 'parallel', seconds: SECONDS }));
    const parRemote = await measured(redis, workers, () => b.request({ cmd: 'parallel', seconds: SECONDS }));

    const lines = [
      `chargewire redis-adapter benchmark: DataTransfer CALL, charger on node A; local = from node A, cross-node = from node B via Redis`,
      `node ${process.version}, ${CHARGERS} chargers, ${SECONDS}s per throughput phase, ioredis auto-pipelining ${AUTO_PIPELINING ? 'on' : 'off'}, cluster messages ${SIGNED ? 'signed' : 'unsigned'}, ${cluster ? 'Redis Cluster (3 masters + 3 replicas, sharded pub/sub)' : 'one Redis'}`,
      CHARGERS_IN === 'own' ? 'node A, node B and the chargers each in their own process' : 'node A (with the chargers) and node B each in their own process',
      '',
      ...row(`sequential (1 charger, ${SEQUENTIAL_CALLS} calls one after another)`, seqLocal, seqRemote),
      '',
      ...row(`parallel (${CHARGERS} chargers, one outstanding call each)`, parLocal, parRemote),
      '',
      `pending cross-node entries after the run: ${await b.request<number>({ cmd: 'pendingCalls' })}`,
    ];
    console.log(lines.join('\n'));
  } finally {
    // chargers first: the nodes then close without connected clients
    for (const w of [...workers].reverse()) await w.stop();
    if (cluster) {
      redis?.disconnect();
      await cluster.stop();
    } else if (redis && !isCluster(redis)) {
      await deletePrefix(redis, prefix).finally(() => redis?.disconnect());
    }
  }
}

await main();
