/**
 * Load generator (separate process, raw ws): modes
 *   calls   — N connections, each keeping exactly one MeterValues CALL in flight, for `durationMs` after warm-up
 *   connect — open N connections, at most `concurrency` handshakes at a time; report connections per second
 *   idle    — open N connections and hold them until told to close
 * With `compress`, every connection offers permessage-deflate and compresses every frame it sends; with `marks`,
 * the calls mode tells its parent when the measured window starts and ends (`mark` messages), so the parent can
 * read the server's CPU time over exactly that window; with `exchange`, each idle connection first makes one call.
 */
import { randomBytes } from 'node:crypto';
import type { Socket } from 'node:net';
import { constants, deflateRawSync } from 'node:zlib';
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

/**
 * Compressed CALL frames, built once (RFC 7692 §7.2.1 deflate, RSV1, masked with a random key as a client must):
 * compressing through ws' client would make the load generator, not the server, the bottleneck, and a slower
 * call rate changes the server's cost per call (less batching per event-loop turn). Each stands on its own, so
 * it is valid with or without client context takeover.
 */
const COMPRESSED_IDS = 4096;
const compressedCalls = args.compress
  ? Array.from({ length: COMPRESSED_IDS }, (_, i) => {
      const text = `[2,"c${i}","MeterValues",${payload}]`;
      const deflated = deflateRawSync(text, { finishFlush: constants.Z_SYNC_FLUSH });
      const body = deflated.subarray(0, deflated.length - 4);
      const n = body.length;
      const header = n < 126 ? Buffer.from([0xc1, 0x80 | n]) : Buffer.from([0xc1, 0x80 | 126, n >> 8, n & 0xff]);
      const mask = randomBytes(4);
      const masked = Buffer.from(body.map((b, j) => b ^ mask[j & 3]!));
      return Buffer.concat([header, mask, masked]);
    })
  : [];

function open(i: number): Promise<WebSocket | undefined> {
  return new Promise((resolve) => {
    // threshold 0: a charger that compresses every frame, however small (what the compressed case measures).
    const ws = new WebSocket(url + `CP-${i}`, ['ocpp1.6'], { perMessageDeflate: args.compress ? { threshold: 0 } : false });
    ws.once('open', () => {
      if (args.exchange) void exchangeOne(ws).then(() => resolve(ws), () => resolve(undefined));
      else resolve(ws);
    });
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
    // ws keeps its TCP socket in `_socket`: compressed frames are written there as they are.
    const socket = (ws as unknown as { _socket: Socket })._socket;
    const send = (): void => {
      if (stopped) return;
      sentAt = performance.now();
      if (args.compress) {
        const n = ++seq % COMPRESSED_IDS;
        id = `c${n}`;
        socket.write(compressedCalls[n]!);
        return;
      }
      id = String(++seq);
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
