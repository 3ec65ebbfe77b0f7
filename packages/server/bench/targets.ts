/**
 * Benchmark server process: starts one kind of server on 127.0.0.1:0 and answers the orchestrator over IPC.
 *   chargewire — OCPPServer, strict mode on, MeterValues handler
 *   ocpp-rpc   — ocpp-rpc's RPCServer, strictMode true, MeterValues handler
 *   ws-echo    — a bare ws server answering each CALL with a canned CALLRESULT
 *   chargewire-deflate — chargewire with permessage-deflate on (its defaults: no context takeover either way)
 *   ws-echo-deflate    — the bare ws server with ws' own permessage-deflate, negotiating the same parameters
 */
import ocppRpc from 'ocpp-rpc';
import { OCPPServer } from '../src/index.js';
import { open, serveTarget, startWsEcho } from './targetProcess.js';

export type TargetKind = 'chargewire' | 'ocpp-rpc' | 'ws-echo' | 'chargewire-deflate' | 'ws-echo-deflate';


const kind = process.argv[2] as TargetKind;

async function start(): Promise<number> {
  if (kind === 'chargewire' || kind === 'chargewire-deflate') {
    const server = new OCPPServer({ protocols: ['ocpp1.6'], strictMode: true, perMessageDeflate: kind === 'chargewire-deflate' });
    server.on('client', (client) => {
      open.connections++;
      client.handle('ocpp1.6', 'MeterValues', () => ({}));
      client.on('close', () => open.connections--);
    });
    return (await server.listen(0, '127.0.0.1')).port;
  }
  if (kind === 'ocpp-rpc') {
    const server = new ocppRpc.RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
    server.on('client', (client: { handle(action: string, fn: () => unknown): void; on(e: string, fn: () => void): void }) => {
      open.connections++;
      client.handle('MeterValues', () => ({}));
      client.on('close', () => open.connections--);
    });
    const http = await server.listen(0, '127.0.0.1');
    const address = http.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    return address.port;
  }
  // The same parameters chargewire negotiates by default, so both sides of the comparison compress alike.
  return startWsEcho(kind === 'ws-echo-deflate' ? { serverNoContextTakeover: true, clientNoContextTakeover: true, threshold: 1024 } : false);
}

serveTarget(start);
