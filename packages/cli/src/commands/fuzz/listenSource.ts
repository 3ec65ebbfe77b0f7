import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { resultFrame } from '../../net/frames.js';
import { RawConnection } from '../../net/rawConnection.js';
import { defaultResponse, type DefaultResponderState } from '../serve/defaultResponses.js';
import { UnreachableError, type ConnectionSource } from './harness.js';

/** Options of {@link listenForCharger}. */
export interface ListenSourceOptions {
  port: number;
  /** @default '127.0.0.1' */
  host?: string;
  protocol: string;
  /** How long to wait for the first charger. @default 60000 */
  firstConnectMs?: number;
  /** How long a charger that dropped its connection has to come back before it counts as unreachable. @default 30000 */
  reconnectMs?: number;
}

/** A listening fuzz target: chargers connect to it and are fuzzed with CSMS→charger CALLs. */
export interface ListenSource extends ConnectionSource {
  address: AddressInfo;
  /** Identity (last path segment) of the charger that connected last. */
  identity: string | undefined;
  close(): Promise<void>;
}

/**
 * Plays the CSMS for `fuzz --listen`: accepts chargers that offer the protocol, answers their own CALLs
 * (BootNotification, Heartbeat, StatusNotification, …) with valid defaults so they stay in service, and hands
 * each connection to the fuzz worker. A charger that closed is waited for (it reconnects with its back-off).
 */
export async function listenForCharger(options: ListenSourceOptions): Promise<ListenSource> {
  const wss = new WebSocketServer({
    host: options.host ?? '127.0.0.1',
    port: options.port,
    perMessageDeflate: true,
    handleProtocols: (offered) => (offered.has(options.protocol) ? options.protocol : false),
  });
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  const waiting: Array<(conn: RawConnection) => void> = [];
  const ready: RawConnection[] = [];
  const state: DefaultResponderState = { nextTransactionId: 1 };
  let identity: string | undefined;
  let opened = 0;
  wss.on('connection', (socket: WebSocket, req) => {
    if (socket.protocol !== options.protocol) return socket.close(1002, 'No matching subprotocol');
    identity = decodeURIComponent((req.url ?? '/').split('?')[0]?.split('/').pop() ?? '');
    const conn = new RawConnection(socket, undefined);
    conn.answerCalls((id, action, payload) => {
      const result = defaultResponse(options.protocol, action, payload, state);
      return result === undefined ? undefined : resultFrame(id, result);
    });
    const waiter = waiting.shift();
    if (waiter) waiter(conn);
    else ready.push(conn);
  });
  const next = (timeoutMs: number): Promise<RawConnection | undefined> => {
    for (let conn = ready.shift(); conn; conn = ready.shift()) if (!conn.isClosed) return Promise.resolve(conn);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        waiting.splice(waiting.indexOf(take), 1);
        resolve(undefined);
      }, timeoutMs);
      const take = (conn: RawConnection): void => {
        clearTimeout(timer);
        resolve(conn);
      };
      waiting.push(take);
    });
  };
  return {
    address: wss.address() as AddressInfo,
    get identity() {
      return identity;
    },
    async open() {
      const first = opened === 0;
      const timeoutMs = first ? (options.firstConnectMs ?? 60_000) : (options.reconnectMs ?? 30_000);
      const conn = await next(timeoutMs);
      if (!conn) {
        throw new UnreachableError(first ? `no charger connected within ${timeoutMs / 1000} s` : `the charger did not reconnect within ${timeoutMs / 1000} s`);
      }
      opened++;
      return conn;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
