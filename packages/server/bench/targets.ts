/**
 * Benchmark server process: starts one kind of server on 127.0.0.1:0 and answers the orchestrator over IPC.
 *   chargewire — OCPPServer, strict mode on, MeterValues handler
 *   ocpp-rpc   — ocpp-rpc's RPCServer, strictMode true, MeterValues handler
 *   ws-echo    — a bare ws server answering each CALL with a canned CALLRESULT
 *   chargewire-deflate — chargewire with permessage-deflate on (its defaults: no context takeover either way)
 *   ws-echo-deflate    — the bare ws server with ws' own permessage-deflate, negotiating the same parameters
 */
import { WebSocketServer } from 'ws';
import ocppRpc from 'ocpp-rpc';
import { OCPPServer } from '../src/index.js';

export type TargetKind = 'chargewire' | 'ocpp-rpc' | 'ws-echo' | 'chargewire-deflate' | 'ws-echo-deflate';

export type TargetMessage =
  | { type: 'ready'; port: number }
  | { type: 'mem'; rss: number; heapUsed: number; connections: number }
  | { type: 'cpu'; userUs: number; systemUs: number };

const kind = process.argv[2] as TargetKind;
let connections = 0;

async function start(): Promise<number> {
  if (kind === 'chargewire' || kind === 'chargewire-deflate') {
    const server = new OCPPServer({ protocols: ['ocpp1.6'], strictMode: true, perMessageDeflate: kind === 'chargewire-deflate' });
    server.on('client', (client) => {
      connections++;
      client.handle('ocpp1.6', 'MeterValues', () => ({}));
      client.on('close', () => connections--);
    });
    return (await server.listen(0, '127.0.0.1')).port;
  }
  if (kind === 'ocpp-rpc') {
    const server = new ocppRpc.RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
    server.on('client', (client: { handle(action: string, fn: () => unknown): void; on(e: string, fn: () => void): void }) => {
      connections++;
      client.handle('MeterValues', () => ({}));
      client.on('close', () => connections--);
    });
    const http = await server.listen(0, '127.0.0.1');
    const address = http.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    return address.port;
  }
  // The same parameters chargewire negotiates by default, so both sides of the comparison compress alike.
  const perMessageDeflate = kind === 'ws-echo-deflate' ? { serverNoContextTakeover: true, clientNoContextTakeover: true, threshold: 1024 } : false;
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate, clientTracking: false, handleProtocols: () => 'ocpp1.6' });
  wss.on('connection', (ws) => {
    connections++;
    ws.on('close', () => connections--);
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
  return { type: 'mem', rss: m.rss, heapUsed: m.heapUsed, connections };
}

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
