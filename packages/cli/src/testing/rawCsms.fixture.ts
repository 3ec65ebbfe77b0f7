import type { AddressInfo } from 'node:net';
import { getValidator } from '@chargewire/ocpp-types';
import { WebSocketServer, type WebSocket } from 'ws';

/** Deliberate spec deviations a test can switch on to see that check/fuzz detect them. */
export interface RawCsmsFaults {
  /** Answer unknown message types on every version with MessageTypeNotSupported. */
  answerUnknownTypes?: boolean;
  /** Answer invalid JSON with this wire code instead of the right one. */
  invalidJsonCode?: string;
  /** Accept message ids longer than 36 characters. */
  acceptLongIds?: boolean;
  /** Never answer this action. */
  hangOn?: string;
  /** Reply to unknown actions with this code instead of NotImplemented. */
  unknownActionCode?: string;
  /** Do not answer pings. */
  noPong?: boolean;
  /** Stop the whole server (like a crash) when this action arrives. */
  crashOn?: string;
  /** Serve sockets whose subprotocol did not match instead of closing them. */
  serveWithoutProtocol?: boolean;
}

export interface RawCsmsOptions {
  protocols?: string[];
  perMessageDeflate?: boolean;
  faults?: RawCsmsFaults;
  /** Refuse every upgrade with this HTTP status. */
  refuseWith?: number;
}

/** A tiny hand-written CSMS over raw `ws` that follows DESIGN rules 1-4, 6, 7 for the CLI's tests. */
export interface RawCsms {
  port: number;
  url(identity: string, path?: string): string;
  /** Every frame received, per identity. */
  received: Map<string, string[]>;
  connections: number;
  close(): Promise<void>;
}

const STRUCTURE: Record<string, string> = { 'ocpp1.6': 'FormationViolation', 'ocpp2.0.1': 'RpcFrameworkError', 'ocpp2.1': 'RpcFrameworkError' };

function answers(protocol: string, action: string, payload: unknown): unknown {
  const now = new Date().toISOString();
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  switch (action) {
    case 'BootNotification':
      return { status: 'Accepted', currentTime: now, interval: 300 };
    case 'Heartbeat':
      return { currentTime: now };
    case 'StatusNotification':
    case 'MeterValues':
      return {};
    case 'Authorize':
      return protocol === 'ocpp1.6' ? { idTagInfo: { status: 'Accepted' } } : { idTokenInfo: { status: 'Accepted' } };
    default:
      return null;
  }
}

/** Starts the raw CSMS on 127.0.0.1 port 0. */
export async function startRawCsms(options: RawCsmsOptions = {}): Promise<RawCsms> {
  const protocols = options.protocols ?? ['ocpp2.0.1', 'ocpp1.6'];
  const faults = options.faults ?? {};
  const received = new Map<string, string[]>();
  const wss = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    perMessageDeflate: options.perMessageDeflate ?? false,
    autoPong: !faults.noPong,
    handleProtocols: (offered) => protocols.find((p) => offered.has(p)) ?? false,
    verifyClient: options.refuseWith ? (_info, cb) => cb(false, options.refuseWith, 'Refused by test') : undefined,
  });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  const state = { connections: 0 };
  wss.on('connection', (socket: WebSocket, req) => {
    state.connections++;
    const identity = decodeURIComponent((req.url ?? '/').split('?')[0]?.split('/').pop() ?? '');
    const protocol = socket.protocol;
    if (!protocol && !faults.serveWithoutProtocol) return socket.close(1002, 'No matching subprotocol');
    if (protocol !== 'ocpp1.6' && (identity.length > 48 || identity.includes(':'))) return socket.close(1008, 'Invalid identity');
    const log: string[] = [];
    received.set(identity, log);
    const structure = STRUCTURE[protocol] ?? 'RpcFrameworkError';
    const error = (id: string, code: string, text: string): void => socket.send(JSON.stringify([4, id, code, text, {}]));
    socket.on('message', (data) => {
      const text = data.toString();
      log.push(text);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return error('-1', faults.invalidJsonCode ?? structure, 'Invalid JSON');
      }
      if (!Array.isArray(value) || typeof value[0] !== 'number') return error('-1', structure, 'Not an OCPP-J frame');
      const [type, rawId] = value as [number, unknown];
      const idOk = typeof rawId === 'string' && rawId.length > 0 && (rawId.length <= 36 || faults.acceptLongIds === true);
      const known = type === 2 || type === 3 || type === 4 || (protocol === 'ocpp2.1' && (type === 5 || type === 6));
      if (!known) {
        if (protocol === 'ocpp2.0.1' || faults.answerUnknownTypes) {
          error(idOk ? rawId : '-1', protocol === 'ocpp1.6' ? 'ProtocolError' : 'MessageTypeNotSupported', 'Unknown type');
        }
        return;
      }
      if (type !== 2) return; // responses to nothing and SENDs are never answered
      if (!idOk) return error('-1', structure, 'Invalid message id');
      const id = rawId;
      if (value.length !== 4 || typeof value[2] !== 'string') return error(id, structure, 'Malformed CALL');
      const action = value[2];
      if (action === faults.hangOn) return;
      if (action === faults.crashOn) {
        for (const client of wss.clients) client.terminate();
        wss.close();
        return;
      }
      const validate = getValidator(protocol, action, 'request');
      const verdict = validate?.(value[3]);
      if (verdict && !verdict.valid) return error(id, verdict.violations[0]?.wireCode ?? 'FormatViolation', 'Invalid payload');
      const result = answers(protocol, action, value[3]);
      if (result === null) return error(id, faults.unknownActionCode ?? 'NotImplemented', 'Unknown action');
      if (result === undefined) return error(id, 'TypeConstraintViolation', 'Payload must be an object');
      socket.send(JSON.stringify([3, id, result]));
    });
  });
  const port = (wss.address() as AddressInfo).port;
  return {
    port,
    url: (identity, path = '/ocpp') => `ws://127.0.0.1:${port}${path}/${encodeURIComponent(identity)}`,
    received,
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
