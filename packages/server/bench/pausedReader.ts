/**
 * A peer that never reads: it completes the upgrade, stops reading, and sends CALLS Heartbeat CALLs (default
 * 1,000,000) as fast as the socket takes them. The server runs in a child process that samples its own RSS; the
 * run reports the server's RSS before, at its peak and after, and how the connection ended.
 *
 *   npm run bench:paused-reader                                   # default cap (maxBufferedBytes 4 MiB)
 *   MAX_BUFFERED_BYTES=Infinity npm run bench:paused-reader       # no cap, as before the option existed
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { OCPPServer } from '../src/index.js';
import { maskedTextFrame, openPausedReader } from '../src/testing/pausedReader.fixture.js';

const CALLS = Number(process.env.CALLS ?? 1_000_000);
const BATCH = 10_000;

interface ServerReport {
  rssMb: number;
  peakRssMb: number;
  callsIn: number;
  closedBySendBuffer: number;
  open: number;
}

async function runServer(): Promise<void> {
  const cap = process.env.MAX_BUFFERED_BYTES;
  const server = new OCPPServer({ pingIntervalMs: 0, protocols: ['ocpp1.6'], ...(cap !== undefined && { maxBufferedBytes: Number(cap) }) });
  server.on('client', (c) => c.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: new Date().toISOString() })));
  const { port } = await server.listen(0, '127.0.0.1');
  let peak = process.memoryUsage().rss;
  setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20).unref();
  const mb = (bytes: number): number => Math.round((bytes / 1048576) * 10) / 10;
  process.on('message', (m: string) => {
    if (m === 'reset') peak = process.memoryUsage().rss;
    const stats = server.stats();
    const report: ServerReport = {
      rssMb: mb(process.memoryUsage().rss),
      peakRssMb: mb(peak),
      callsIn: stats.calls.in,
      closedBySendBuffer: stats.connections.closedBySendBuffer,
      open: stats.connections.current,
    };
    process.send!(report);
    if (m === 'exit') process.exit(0);
  });
  process.send!({ port });
}

function ask(child: ChildProcess, message: string): Promise<ServerReport> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(m as ServerReport));
    child.send(message);
  });
}

async function runClient(): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['server'], { execArgv: process.execArgv, stdio: 'inherit' });
  const { port } = await new Promise<{ port: number }>((resolve) => child.once('message', (m) => resolve(m as { port: number })));
  // Let start-up garbage settle before the baseline.
  await new Promise((r) => setTimeout(r, 500));
  const before = await ask(child, 'reset');
  const reader = await openPausedReader(`ws://127.0.0.1:${port}/SLOW`, 'ocpp1.6');
  const started = Date.now();
  let written = 0;
  // A socket the server dropped may never call a write back: its close also ends the wait.
  let pending: ((ok: boolean) => void) | undefined;
  reader.socket.once('close', () => pending?.(false));
  while (written < CALLS && !reader.socket.destroyed) {
    const n = Math.min(BATCH, CALLS - written);
    const frames = Buffer.concat(Array.from({ length: n }, (_, i) => maskedTextFrame(JSON.stringify([2, `m${written + i}`, 'Heartbeat', {}]))));
    const ok = await new Promise<boolean>((resolve) => {
      pending = resolve;
      reader.socket.write(frames, (err) => resolve(!err));
    });
    if (!ok) break;
    written += n;
  }
  const sentMs = Date.now() - started;
  await new Promise((r) => setTimeout(r, 1000));
  const after = await ask(child, 'exit');
  reader.socket.destroy();
  console.log(
    JSON.stringify({
      maxBufferedBytes: process.env.MAX_BUFFERED_BYTES ?? 'default (4194304)',
      callsWritten: written,
      sentMs,
      serverCallsAnswered: after.callsIn,
      droppedBySendBufferCap: after.closedBySendBuffer,
      stillOpen: after.open,
      serverRssMb: { before: before.rssMb, peak: after.peakRssMb, after: after.rssMb, peakGrowth: Math.round((after.peakRssMb - before.rssMb) * 10) / 10 },
    }),
  );
}

if (process.argv[2] === 'server') await runServer();
else await runClient();
