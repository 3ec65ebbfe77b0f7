// Load mode (`npm run e2e:load`, not part of `npm test`): CHARGERS chargers (default 5,000) spread over
// three example-CSMS processes clustered through Redis behind a TCP load balancer, each sending MeterValues
// every INTERVAL_MS (default 1 s) for DURATION_S seconds (default 60). The chargers run in LOAD_WORKERS
// processes (default 2) and the balancer in its own, so each stage's cost can be told apart: the report gives
// what the chargers observed, what the servers measured for their own handling (`stats()`), the CPU each
// stage spent per call, and memory per node.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { latencyStats } from '@chargewire/cli';
import type { ServerStats } from '@chargewire/server';
import { startCsmsProcess, type CsmsProcess } from '../support/csmsProcess.js';
import { rest } from '../support/rest.js';
import type { FromWorker, ToWorker, WorkerConfig } from './loadMessages.js';
import { processCpuMs, processRssMb } from './processCpu.js';
import { balancerKind, startBalancer } from './balancerStage.js';

const chargerCount = Number(process.env.CHARGERS ?? 5_000);
const durationS = Number(process.env.DURATION_S ?? 60);
const intervalMs = Number(process.env.INTERVAL_MS ?? 1_000);
const workerCount = Math.max(1, Number(process.env.LOAD_WORKERS ?? 2));
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const tsxArgs = ['--import', 'tsx', '--conditions=@chargewire/source'];

function forkStage(file: string, env: Record<string, string>): ChildProcess {
  return fork(new URL(file, import.meta.url).pathname, [], { execArgv: tsxArgs, env: { ...process.env, ...env }, serialization: 'advanced' });
}

function nextMessage<T extends { type?: string }>(child: ChildProcess, accept: (message: T) => boolean): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: T): void => {
      if (!accept(message)) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message);
    };
    const onExit = (code: number | null): void => reject(new Error(`load stage ${child.pid} exited with ${code}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

const merge = (into: Map<string, number>, counts: Record<string, number>): void => {
  for (const [name, n] of Object.entries(counts)) into.set(name, (into.get(name) ?? 0) + n);
};
const round = (n: number, digits = 1): number => Number(n.toFixed(digits));

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'chargewire-load-'));
  const env = {
    REDIS_URL: redisUrl,
    REDIS_PREFIX: `e2e-load-${process.pid}`,
    DATABASE_FILE: join(dir, 'csms.sqlite'),
    LOG_LEVEL: 'error',
    // The memory settings the example CSMS README recommends for a node with thousands of chargers: a
    // smaller young generation (V8 grows it to 16 MB semi-spaces under a steady call rate; short-lived
    // call objects do not need that) and two malloc arenas (glibc's default of 8 per core keeps freed
    // zlib and socket buffers per arena). NODE_MEMORY_DEFAULTS=1 measures Node's defaults.
    ...(process.env.NODE_MEMORY_DEFAULTS === '1' ? {} : { NODE_OPTIONS: process.env.LOAD_NODE_OPTIONS ?? '--max-semi-space-size=4', MALLOC_ARENA_MAX: '2' }),
  };
  // The nodes run from the build, as deployed: a TypeScript loader in the process would add its own memory.
  const nodes: CsmsProcess[] = await Promise.all(['load-a', 'load-b', 'load-c'].map((id) => startCsmsProcess(id, env, 60_000, 'build')));
  const balancer = await startBalancer(balancerKind(), nodes.map((n) => n.port), chargerCount, dir, tsxArgs).catch(async (err: unknown) => {
    await Promise.all(nodes.map((n) => n.kill()));
    throw err;
  });
  const workers: ChildProcess[] = [];
  const errors = new Map<string, number>();
  try {
    const endpoint = `ws://127.0.0.1:${balancer.port}/api/v1/chargers`;
    const connectStart = performance.now();
    const share = Math.ceil(chargerCount / workerCount);
    for (let w = 0; w * share < chargerCount; w++) {
      const config: WorkerConfig = { endpoint, firstIndex: w * share, count: Math.min(share, chargerCount - w * share), intervalMs };
      workers.push(forkStage('./chargerWorker.ts', { LOAD_WORKER_CONFIG: JSON.stringify(config) }));
    }
    for (const ready of await Promise.all(workers.map((w) => nextMessage<FromWorker>(w, (m) => m.type === 'ready')))) {
      if (ready.type === 'ready') merge(errors, ready.errors);
    }
    const connectS = (performance.now() - connectStart) / 1000;
    console.log(`connected and booted ${chargerCount} chargers through ${workers.length} worker processes in ${connectS.toFixed(1)} s (${(chargerCount / connectS).toFixed(0)}/s)`);

    const idleRss = nodes.map((n) => processRssMb(n.child.pid));
    // Windows start after the boots: their handling times are not what this run measures.
    const countSeen = new Map<string, number>();
    await Promise.all(nodes.map(async (n) => countSeen.set(n.nodeId, (await rest<{ current: ServerStats }>(n.api, 'GET', '/api/v1/stats')).body.current.latencyMs.in.count + 4_096)));
    const stages = [...nodes.map((n) => ({ name: n.nodeId, pid: n.child.pid })), { name: `balancer (${balancer.kind})`, pid: balancer.pid }, ...workers.map((w, i) => ({ name: `chargers-${i + 1}`, pid: w.pid }))];
    const cpuBefore = stages.map((s) => processCpuMs(s.pid));
    const started = performance.now();
    const deadline = Date.now() + durationS * 1000;
    const results = workers.map((w) => nextMessage<FromWorker>(w, (m) => m.type === 'done'));
    for (const w of workers) w.send({ type: 'go', deadline } satisfies ToWorker);

    // The servers keep their last 4,096 handling times: sampled every 2 s, each sample covers about one
    // window of this run's per-node rate, so the worst window's p99 is the server-side p99 to report.
    // A node too busy to answer within the interval gives no window rather than a stale one.
    const serverP99s: number[] = [];
    const serverP50s: number[] = [];
    const poll = setInterval(() => {
      for (const node of nodes) {
        void rest<{ current: ServerStats }>(node.api, 'GET', '/api/v1/stats')
          .then(({ body }) => {
            const inbound = body.current.latencyMs.in;
            if (inbound.count <= (countSeen.get(node.nodeId) ?? 0)) return;
            countSeen.set(node.nodeId, inbound.count);
            serverP99s.push(inbound.p99);
            serverP50s.push(inbound.p50);
          })
          .catch(() => undefined);
      }
    }, 2_000);
    const done = await Promise.all(results);
    clearInterval(poll);
    const elapsedS = (performance.now() - started) / 1000;
    const cpuAfter = stages.map((s) => processCpuMs(s.pid));
    const underLoadRss = nodes.map((n) => processRssMb(n.child.pid));

    const latencies: number[] = [];
    for (const result of done) {
      if (result.type !== 'done') continue;
      merge(errors, result.errors);
      for (const ms of result.latencies) latencies.push(ms);
    }
    const observed = latencyStats(latencies);
    const sortedP99s = [...serverP99s].sort((a, b) => a - b);
    const serverP99 = sortedP99s.at(-1) ?? Number.NaN;
    const serverP50 = [...serverP50s].sort((a, b) => a - b)[Math.floor(serverP50s.length / 2)] ?? Number.NaN;
    const cpuPerCallUs = Object.fromEntries(stages.map((s, i) => [s.name, round((((cpuAfter[i] ?? 0) - (cpuBefore[i] ?? 0)) * 1000) / Math.max(1, latencies.length))]));
    const maxRss = Math.max(...underLoadRss.map((m) => m.rss));
    const verdict = (value: number, limit: number): string => `${round(value)} (target ≤ ${limit}: ${value <= limit ? 'met' : 'NOT met'})`;

    console.log(
      JSON.stringify(
        {
          chargers: chargerCount,
          nodes: nodes.length,
          chargerWorkers: workers.length,
          balancer: balancer.kind,
          durationS: round(elapsedS),
          calls: latencies.length,
          callsPerSecond: Math.round(latencies.length / elapsedS),
          offeredPerSecond: Math.round((chargerCount * 1000) / intervalMs),
          chargerObservedMs: { p50: round(observed.p50, 2), p95: round(observed.p95, 2), p99: round(observed.p99, 2), max: round(observed.max, 2) },
          serverHandlingMs: { p50: round(serverP50, 2), p99WorstWindow: round(serverP99, 2), p99MedianWindow: round(sortedP99s[Math.floor(sortedP99s.length / 2)] ?? Number.NaN, 2), windows: sortedP99s.length },
          cpuPerCallUs,
          errors: Object.fromEntries(errors),
          memoryMb: Object.fromEntries(
            nodes.map((n, i) => [
              n.nodeId,
              { idle: round(idleRss[i]?.rss ?? Number.NaN), underLoad: round(underLoadRss[i]?.rss ?? Number.NaN), underLoadPrivate: round(underLoadRss[i]?.private ?? Number.NaN) },
            ]),
          ),
          targets: {
            serverHandlingP99Ms: verdict(serverP99, 20),
            chargerObservedP99Ms: verdict(observed.p99, 100),
            rssPerNodeMb: verdict(maxRss, 100),
          },
        },
        null,
        2,
      ),
    );
  } finally {
    await Promise.all(workers.map(async (w) => (w.connected ? (w.send({ type: 'close' } satisfies ToWorker), nextMessage<FromWorker>(w, (m) => m.type === 'closed').catch(() => undefined)) : undefined)));
    for (const w of workers) w.kill('SIGKILL');
    balancer.kill();
    await Promise.all(nodes.map((n) => n.kill()));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
