import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions as HttpsOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';

export interface RawServerOptions {
  /** Called for every upgrade; return a status to refuse with it, or undefined to accept. */
  refuse?: (req: IncomingMessage) => number | { status: number; headers?: Record<string, string> } | undefined;
  /** Subprotocol choice; return false to complete the handshake without one. @default first offered */
  pickProtocol?: (offered: Set<string>) => string | false;
  /** When false the server never answers pings (dead-peer tests). @default true */
  autoPong?: boolean;
  /** Serve TLS. */
  tls?: HttpsOptions;
  /** Listen on this port (to restart on the same port). @default 0 */
  port?: number;
}

export interface RawServer {
  port: number;
  url: string;
  wss: WebSocketServer;
  http: Server;
  /** Every upgrade request seen (accepted or not). */
  requests: IncomingMessage[];
  /** Resolves with the next accepted socket. */
  nextConnection(): Promise<{ ws: WebSocket; req: IncomingMessage }>;
  close(): Promise<void>;
}

/** A bare `ws` server on 127.0.0.1 for transport tests (no OCPP logic). */
export async function startRawServer(options: RawServerOptions = {}): Promise<RawServer> {
  const http = options.tls ? createHttpsServer(options.tls) : createHttpServer();
  const wss = new WebSocketServer({
    noServer: true,
    autoPong: options.autoPong ?? true,
    handleProtocols: (offered) => (options.pickProtocol ? options.pickProtocol(offered) : ([...offered][0] ?? false)),
  });
  const requests: IncomingMessage[] = [];
  const waiters: Array<(c: { ws: WebSocket; req: IncomingMessage }) => void> = [];
  const backlog: Array<{ ws: WebSocket; req: IncomingMessage }> = [];
  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    requests.push(req);
    const refusal = options.refuse?.(req);
    if (refusal !== undefined) {
      const { status, headers = {} } = typeof refusal === 'number' ? { status: refusal } : refusal;
      const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      socket.end(`HTTP/1.1 ${status} Refused\r\nConnection: close\r\nContent-Length: 0\r\n${extra}\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (!ws.protocol) {
        // OCPP-J: no common subprotocol → finish the handshake, then close at once.
        ws.close(1002, 'no subprotocol');
        return;
      }
      const conn = { ws, req };
      const waiter = waiters.shift();
      if (waiter) waiter(conn);
      else backlog.push(conn);
    });
  });
  await new Promise<void>((resolve) => http.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  return {
    port,
    url: `${options.tls ? 'wss' : 'ws'}://127.0.0.1:${port}/ocpp`,
    wss,
    http,
    requests,
    nextConnection: () =>
      new Promise((resolve) => {
        const queued = backlog.shift();
        if (queued) resolve(queued);
        else waiters.push(resolve);
      }),
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
