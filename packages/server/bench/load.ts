/**
 * Load generator (separate process, raw ws): modes
 *   calls   — N connections, each keeping exactly one MeterValues CALL in flight, for `durationMs` after warm-up
 *   connect — open N connections, at most `concurrency` handshakes at a time; report connections per second
 *   idle    — open N connections and hold them until told to close
 * With `compress`, every connection offers permessage-deflate and compresses every frame it sends; with `marks`,
 * the calls mode tells its parent when the measured window starts and ends (`mark` messages), so the parent can
 * read the server's CPU time over exactly that window; with `exchange`, each idle connection first makes one call.
 */
import { WebSocket } from 'ws';

export interface LoadArgs {
  mode: 'calls' | 'connect' | 'idle';
  port: number;
  connections: number;
  durationMs?: number;
  warmupMs?: number;
  concurrency?: number;
  compress?: boolean;
  marks?: boolean;
  exchange?: boolean;
}

export type LoadMessage =
  | { type: 'calls'; callsPerSec: number; p50Ms: number; p99Ms: number; calls: number; errors: number }
  | { type: 'connect'; connectionsPerSec: number; opened: number; failed: number }
  | { type: 'idle'; opened: number; failed: number }
  | { type: 'mark'; phase: 'start' | 'end' }
  | { type: 'error'; message: string };

const args = JSON.parse(process.argv[2] ?? '{}') as LoadArgs;
const url = `ws://127.0.0.1:${args.port}/bench/`;
const payload = JSON.stringify({
  connectorId: 1,
  transactionId: 42,
  meterValue: [{ timestamp: '2026-01-01T00:00:00.000Z', sampledValue: [{ value: '1234.5', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }],
});

function open(i: number): Promise<WebSocket | undefined> {
  return new Promise((resolve) => {
    // threshold 0: a charger that compresses every frame, however small (what the compressed case measures).
    const ws = new WebSocket(url + `CP-${i}`, ['ocpp1.6'], { perMessageDeflate: args.compress ? { threshold: 0 } : false });
    ws.once('open', () => (args.exchange ? exchangeOne(ws).then(() => resolve(ws), () => resolve(undefined)) : resolve(ws)));
    ws.once('error', () => resolve(undefined));
    ws.once('unexpected-response', () => resolve(undefined));
  });
}

/** One MeterValues call on a fresh connection (so an idle compressed connection has used its extension once). */
function exchangeOne(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    ws.once('message', (data) => (data.toString().startsWith('[3,"x"') ? resolve() : reject(new Error('unexpected answer'))));
    ws.send(`[2,"x","MeterValues",${payload}]`);
  });
}

async function openMany(n: number, concurrency: number): Promise<{ sockets: WebSocket[]; failed: number }> {
  const sockets: WebSocket[] = [];
  let failed = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) {
      const ws = await open(next++);
      if (ws) {
        ws.on('error', () => undefined);
        sockets.push(ws);
      } else failed++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return { sockets, failed };
}

async function calls(): Promise<LoadMessage> {
  const { sockets, failed } = await openMany(args.connections, 100);
  if (failed) return { type: 'error', message: `${failed} connections failed` };
  const warmupMs = args.warmupMs ?? 1000;
  const durationMs = args.durationMs ?? 5000;
  const latencies: number[] = [];
  let measuring = false;
  let stopped = false;
  let errors = 0;
  let seq = 0;
  for (const ws of sockets) {
    let sentAt = 0;
    let id = '';
    const send = (): void => {
      if (stopped) return;
      id = String(++seq);
      sentAt = performance.now();
      ws.send(`[2,"${id}","MeterValues",${payload}]`);
    };
    ws.on('message', (data) => {
      const text = data.toString();
      if (!text.startsWith(`[3,"${id}"`)) errors++;
      if (measuring) latencies.push(performance.now() - sentAt);
      send();
    });
    send();
  }
  await new Promise((r) => setTimeout(r, warmupMs));
  if (args.marks) process.send?.({ type: 'mark', phase: 'start' } satisfies LoadMessage);
  measuring = true;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, durationMs));
  measuring = false;
  if (args.marks) process.send?.({ type: 'mark', phase: 'end' } satisfies LoadMessage);
  const elapsed = performance.now() - t0;
  stopped = true;
  for (const ws of sockets) ws.terminate();
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { type: 'calls', callsPerSec: (latencies.length / elapsed) * 1000, p50Ms: at(0.5), p99Ms: at(0.99), calls: latencies.length, errors };
}

async function connect(): Promise<LoadMessage> {
  const t0 = performance.now();
  const { sockets, failed } = await openMany(args.connections, args.concurrency ?? 50);
  const elapsed = performance.now() - t0;
  for (const ws of sockets) ws.terminate();
  return { type: 'connect', connectionsPerSec: (sockets.length / elapsed) * 1000, opened: sockets.length, failed };
}

let held: WebSocket[] = [];
async function idle(): Promise<LoadMessage> {
  const { sockets, failed } = await openMany(args.connections, args.concurrency ?? 100);
  held = sockets;
  return { type: 'idle', opened: sockets.length, failed };
}

process.on('message', (msg: { type: string }) => {
  if (msg.type === 'exit') {
    for (const ws of held) ws.terminate();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));

const run = args.mode === 'calls' ? calls : args.mode === 'connect' ? connect : idle;
run().then(
  (result) => process.send?.(result),
  (err: unknown) => process.send?.({ type: 'error', message: String(err) } satisfies LoadMessage),
);
