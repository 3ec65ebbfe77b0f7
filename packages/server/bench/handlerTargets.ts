/**
 * Server process of the handler-memory benchmark: one kind of server on 127.0.0.1:0, answering the
 * orchestrator over IPC like `targets.ts` (`ready`, then `mem` on request).
 *   ws-echo      — a bare ws server (the floor: what a WebSocket costs)
 *   no-handlers  — OCPPServer, one route, no handlers
 *   route        — the same with HANDLERS handlers registered once with route.handle()
 *   per-client   — the same handlers registered for every client inside on('client') (closures per connection)
 * The handlers cover every charger-originated action of 1.6 and then of 2.0.1, 40 by default (`HANDLERS`),
 * as a CSMS that serves both versions registers them.
 */
import { listActions, lookupAction } from '@chargewire/ocpp-types';
import type { ProtocolMap, ProtocolName } from '@chargewire/ocpp-types';
import { OCPPServer } from '../src/index.js';
import { open, serveTarget, startWsEcho } from './targetProcess.js';

export type HandlerTargetKind = 'ws-echo' | 'no-handlers' | 'route' | 'per-client';

const kind = process.argv[2] as HandlerTargetKind;
const count = Number(process.env.HANDLERS ?? 40);

/** The first `n` actions a CSMS handles: charger-originated, 1.6 first, then 2.0.1. */
function inboundActions(n: number): Array<[ProtocolName, string]> {
  const out: Array<[ProtocolName, string]> = [];
  for (const protocol of ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] as const) {
    for (const action of listActions(protocol)) {
      if (out.length < n && lookupAction(protocol, action)?.origin.includes('ChargingStation')) out.push([protocol, action]);
    }
  }
  return out;
}


async function start(): Promise<number> {
  if (kind === 'ws-echo') return startWsEcho(false);
  const actions = inboundActions(count);
  if (actions.length < count) throw new Error(`only ${actions.length} charger-originated actions exist`);
  // Over the untyped map (ProtocolMap) the handlers' actions may come from a list; user code names them.
  const server = new OCPPServer<ProtocolMap>({ protocols: ['ocpp1.6', 'ocpp2.0.1'], strictMode: true, pingIntervalMs: 0 });
  const route = server.route('/bench/:id');
  if (kind === 'route') for (const [protocol, action] of actions) route.handle(protocol, action, () => ({ action }));
  route.on('client', (client) => {
    open.connections++;
    // A fresh closure per registration and per client, as handlers written inside on('client') are.
    if (kind === 'per-client') for (const [protocol, action] of actions) client.handle(protocol, action, () => ({ action }));
    client.on('close', () => open.connections--);
  });
  return (await server.listen(0, '127.0.0.1')).port;
}

serveTarget(start);
