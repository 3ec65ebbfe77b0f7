/**
 * What every benchmark server process shares: the IPC it answers the orchestrator with (`ready`, then `mem`,
 * `cpu` and `exit` on request), the count of open connections it reports, and the bare `ws` echo server that
 * is the floor of each comparison.
 */
import { WebSocketServer, type PerMessageDeflateOptions } from 'ws';

export type TargetMessage =
  | { type: 'ready'; port: number }
  | { type: 'mem'; rss: number; heapUsed: number; connections: number }
  | { type: 'cpu'; userUs: number; systemUs: number };

/** Open connections of this process's server, kept by its connection and close handlers. */
export const open = { connections: 0 };

/** A bare ws server answering each CALL with a canned CALLRESULT. */
export async function startWsEcho(perMessageDeflate: PerMessageDeflateOptions | false): Promise<number> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate, clientTracking: false, handleProtocols: () => 'ocpp1.6' });
  wss.on('connection', (ws) => {
    open.connections++;
    ws.on('close', () => open.connections--);
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as unknown[];
      if (frame[0] === 2) ws.send(JSON.stringify([3, frame[1], {}]));
    });
  });
  await new Promise<void>((r) => wss.once('listening', r));
  const address = wss.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function measureMemory(): TargetMessage {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) gc?.();
  const m = process.memoryUsage();
  return { type: 'mem', rss: m.rss, heapUsed: m.heapUsed, connections: open.connections };
}

/** Starts the server, says `ready` with its port, then answers the orchestrator until it says `exit` or leaves. */
export function serveTarget(start: () => Promise<number>): void {
  process.on('message', (msg: { type: string }) => {
    if (msg.type === 'mem') process.send?.(measureMemory());
    if (msg.type === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send?.({ type: 'cpu', userUs: user, systemUs: system } satisfies TargetMessage);
    }
    if (msg.type === 'exit') process.exit(0);
  });
  process.on('disconnect', () => process.exit(0));
  start().then(
    (port) => process.send?.({ type: 'ready', port } satisfies TargetMessage),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
