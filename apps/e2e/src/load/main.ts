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
import { startCsmsProcess, type CsmsProcess } from '../support/csmsProcess.js';
import type { FromWorker, ToWorker, WorkerConfig } from './loadMessages.js';
import { processCpuMs, processRssMb } from './processCpu.js';
import { balancerKind, startBalancer } from './balancerStage.js';
import { handlingBetween, nodeDuring, readNodeStats } from './nodeFigures.js';

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
    // call objects do not need that), a heap limit that keeps V8's heap growth factor at its smallest, and
    // two malloc arenas (glibc's default of 8 per core keeps freed zlib and socket buffers per arena).
    // LOAD_NODE_OPTIONS replaces the V8 settings; NODE_MEMORY_DEFAULTS=1 measures Node's defaults.
    ...(process.env.NODE_MEMORY_DEFAULTS === '1' ? {} : { NODE_OPTIONS: process.env.LOAD_NODE_OPTIONS ?? '--max-semi-space-size=1 --max-old-space-size=256', MALLOC_ARENA_MAX: '2' }),
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
    // The servers' cumulative handling-time histograms, read just before the run and just after it, give
    // the handling times of exactly the run's CALLs (to the histogram's bucket resolution).
    const statsBefore = await Promise.all(nodes.map(readNodeStats));
    const stages = [...nodes.map((n) => ({ name: n.nodeId, pid: n.child.pid })), { name: `balancer (${balancer.kind})`, pid: balancer.pid }, ...workers.map((w, i) => ({ name: `chargers-${i + 1}`, pid: w.pid }))];
    const cpuBefore = stages.map((s) => processCpuMs(s.pid));
    const started = performance.now();
    const startedAt = Date.now();
    const deadline = startedAt + durationS * 1000;
    const results = workers.map((w) => nextMessage<FromWorker>(w, (m) => m.type === 'done'));
    for (const w of workers) w.send({ type: 'go', deadline } satisfies ToWorker);

    // The servers' recent-sample p99 every 2 s as well: the worst 2-second window shows how bursty the tail is.
    const windowP99s: number[] = [];
    const countSeen = new Map(statsBefore.map((s, i) => [nodes[i]!.nodeId, s.current.latencyMs.in.count + 4_096]));
    const poll = setInterval(() => {
      for (const node of nodes) {
        void readNodeStats(node)
          .then(({ current }) => {
            const inbound = current.latencyMs.in;
            if (inbound.count <= (countSeen.get(node.nodeId) ?? 0)) return; // the ring still holds older calls
            countSeen.set(node.nodeId, inbound.count);
            windowP99s.push(inbound.p99);
          })
          .catch(() => undefined);
      }
    }, 2_000);
    const done = await Promise.all(results);
    clearInterval(poll);
    const elapsedS = (performance.now() - started) / 1000;
    const endedAt = Date.now();
    const cpuAfter = stages.map((s) => processCpuMs(s.pid));
    const statsAfter = await Promise.all(nodes.map(readNodeStats));
    const endRss = nodes.map((n) => processRssMb(n.child.pid));

    const latencies: number[] = [];
    for (const result of done) {
      if (result.type !== 'done') continue;
      merge(errors, result.errors);
      for (const ms of result.latencies) latencies.push(ms);
    }
    const observed = latencyStats(latencies);
    const handling = handlingBetween(statsBefore, statsAfter);
    const perNode = nodes.map((n, i) => ({ ...nodeDuring(statsAfter[i]!, startedAt, endedAt), handling: handlingBetween([statsBefore[i]!], [statsAfter[i]!]) }));
    const cpuPerCallUs = Object.fromEntries(stages.map((s, i) => [s.name, round((((cpuAfter[i] ?? 0) - (cpuBefore[i] ?? 0)) * 1000) / Math.max(1, latencies.length))]));
    // The largest resident set a node reported during the run (every 2 s), or at its end if that was larger.
    const rssMax = nodes.map((_, i) => Math.max(perNode[i]!.rssMaxMb, endRss[i]?.rss ?? 0));
    const verdict = (value: number, limit: number): string => `${round(value)} (target ≤ ${limit}: ${value <= limit ? 'met' : 'NOT met'})`;

    console.log(
      JSON.stringify(
        {
          chargers: chargerCount,
          nodeCount: nodes.length,
          chargerWorkers: workers.length,
          balancer: balancer.kind,
          durationS: round(elapsedS),
          calls: latencies.length,
          callsPerSecond: Math.round(latencies.length / elapsedS),
          offeredPerSecond: Math.round((chargerCount * 1000) / intervalMs),
          chargerObservedMs: { p50: round(observed.p50, 2), p95: round(observed.p95, 2), p99: round(observed.p99, 2), max: round(observed.max, 2) },
          serverHandlingMs: {
            calls: handling.count,
            mean: round(handling.meanMs, 2),
            p50: handling.p50,
            p99: handling.p99,
            p999: handling.p999,
            p99WorstWindow: round(Math.max(...windowP99s), 2),
            note: 'p50/p99/p999: upper bounds of histogram buckets, over every CALL of the run on all nodes',
          },
          cpuPerCallUs,
          errors: Object.fromEntries(errors),
          nodes: Object.fromEntries(
            nodes.map((n, i) => [
              n.nodeId,
              {
                handlingP99Ms: perNode[i]!.handling.p99,
                eventLoopDelayMs: { p99WorstWindow: perNode[i]!.loopDelayP99WorstMs, max: perNode[i]!.loopDelayMaxMs },
                rssMb: { idle: round(idleRss[i]?.rss ?? Number.NaN), max: round(rssMax[i]!), end: round(endRss[i]?.rss ?? Number.NaN), endPrivate: round(endRss[i]?.private ?? Number.NaN) },
              },
            ]),
          ),
          targets: {
            serverHandlingP99Ms: verdict(handling.p99, 20),
            chargerObservedP99Ms: verdict(observed.p99, 100),
            rssPerNodeMb: verdict(Math.max(...rssMax), 100),
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
