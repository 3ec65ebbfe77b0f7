/**
 * Handler memory benchmark: server RSS per idle connection with 40 handlers registered once on the route,
 * the same 40 registered per client inside on('client'), no handlers, and a bare ws server. Each case runs
 * on a fresh server process; the connections come from a separate load process (raw ws, 1.6, no traffic).
 *
 *   npm run bench:handlers                        # 10,000 connections, 40 handlers
 *   BENCH_IDLE=2000 HANDLERS=20 npm run bench:handlers
 *   BENCH_CASES=no-handlers,per-client npm run bench:handlers   # a subset
 *
 * Bytes per handler = (per-client − no-handlers) / HANDLERS, per connection.
 */
import type { LoadArgs, LoadMessage } from './load.js';
import type { HandlerTargetKind } from './handlerTargets.js';
import type { TargetMessage } from './targetProcess.js';
import { child, nextMessage, runBenchmark, stop } from './processes.js';

const ALL: HandlerTargetKind[] = ['ws-echo', 'no-handlers', 'route', 'per-client'];
const CASES = process.env.BENCH_CASES ? ALL.filter((k) => process.env.BENCH_CASES!.split(',').includes(k)) : ALL;
const IDLE_N = Number(process.env.BENCH_IDLE ?? 10_000);
const HANDLERS = Number(process.env.HANDLERS ?? 40);

type Mem = Extract<TargetMessage, { type: 'mem' }>;

async function memory(proc: ReturnType<typeof child>, kind: string): Promise<Mem> {
  proc.send({ type: 'mem' });
  const m = await nextMessage<TargetMessage>(proc, `${kind} memory`, 60_000);
  if (m.type !== 'mem') throw new Error('unexpected message');
  return m;
}

/** RSS growth per connection of a fresh `kind` server holding IDLE_N idle connections. */
async function bytesPerConnection(kind: HandlerTargetKind): Promise<{ bytes: number; reached: number }> {
  const target = child('./handlerTargets.ts', kind);
  try {
    const ready = await nextMessage<TargetMessage>(target, `${kind} start`, 60_000);
    if (ready.type !== 'ready') throw new Error(`${kind}: unexpected ${ready.type}`);
    const before = await memory(target, kind);
    const loader = child('./load.ts', JSON.stringify({ mode: 'idle', port: ready.port, connections: IDLE_N, concurrency: 100 } satisfies LoadArgs));
    try {
      const idle = await nextMessage<LoadMessage>(loader, `${kind} idle`);
      if (idle.type !== 'idle') throw new Error(idle.type === 'error' ? idle.message : 'unexpected');
      // The server's 'client' events trail the clients' 'open': wait until it has them all.
      let after = await memory(target, kind);
      for (let i = 0; i < 50 && after.connections < idle.opened; i++) {
        await new Promise((r) => setTimeout(r, 100));
        after = await memory(target, kind);
      }
      return { bytes: after.connections > 0 ? (after.rss - before.rss) / after.connections : 0, reached: after.connections };
    } finally {
      await stop(loader);
    }
  } finally {
    await stop(target);
  }
}

async function main(): Promise<void> {
  process.stderr.write(`handler memory benchmark: ${IDLE_N} idle 1.6 connections, ${HANDLERS} handlers, node ${process.version}\n`);
  const results = new Map<HandlerTargetKind, { bytes: number; reached: number }>();
  for (const kind of CASES) {
    const r = await bytesPerConnection(kind);
    process.stderr.write(`  ${kind}: ${r.reached} connections, ${(r.bytes / 1024).toFixed(2)} KB RSS each\n`);
    results.set(kind, r);
  }
  const kb = (k: HandlerTargetKind): number | undefined => (results.has(k) ? results.get(k)!.bytes / 1024 : undefined);
  const ratio = (a: number | undefined, b: number | undefined): string => (a !== undefined && b ? `${(a / b).toFixed(2)}×` : 'n/a');
  const rows = [['case', 'KB RSS / idle conn', 'vs ws-echo', 'vs no-handlers', 'conns reached']];
  for (const k of CASES) rows.push([k, kb(k)!.toFixed(2), ratio(kb(k), kb('ws-echo')), ratio(kb(k), kb('no-handlers')), String(results.get(k)!.reached)]);
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log('');
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
  console.log('');
  const perClient = kb('per-client');
  const none = kb('no-handlers');
  if (perClient !== undefined && none !== undefined) {
    console.log(`per-client registration: ${(((perClient - none) * 1024) / HANDLERS).toFixed(0)} bytes per handler per connection`);
  }
  const route = kb('route');
  if (route !== undefined) console.log(`route-level handlers: ${route.toFixed(2)} KB per idle connection (target ≤ 8 KB)`);
  const short = [...results.values()].some((r) => r.reached < IDLE_N);
  if (short) console.log(`Note: not every case reached ${IDLE_N} connections (see "conns reached").`);
}

runBenchmark(main, 15 * 60_000);
