import { createServer, STATUS_CODES } from 'node:http';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Answers an upgrade request with a plain HTTP error and closes the socket (the WebSocket is never
 * accepted). Status codes outside 400–599 become 500; the message is sent as a text body, never as a header.
 */
export function rejectUpgrade(socket: Duplex, status: number, message: string, headers: Record<string, string> = {}): void {
  if (!socket.writable || socket.destroyed) {
    socket.destroy();
    return;
  }
  const code = Number.isInteger(status) && status >= 400 && status <= 599 ? status : 500;
  const body = Buffer.from(message.replace(/[\r\n]+/g, ' '), 'utf8');
  const lines = [
    `HTTP/1.1 ${code} ${STATUS_CODES[code] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: text/plain; charset=utf-8',
    `Content-Length: ${body.length}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v.replace(/[\r\n]+/g, ' ')}`),
  ];
  socket.once('error', () => socket.destroy());
  socket.end(Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), body]));
  // Do not wait for the peer to close its side: free the socket once the response is flushed.
  socket.once('finish', () => socket.destroy());
}

/**
 * The HTTP server `listen()` starts: plain requests get 426 Upgrade Required; upgrades are the OCPP server's.
 * A client must send its whole request head within `headersTimeoutMs` (Node's `headersTimeout` and
 * `requestTimeout`, answered with 408): Node's defaults (60 s and 300 s, checked every 30 s) let a socket that
 * trickles header bytes live for minutes.
 */
export function createUpgradeOnlyServer(headersTimeoutMs: number): Server {
  const options = {
    headersTimeout: headersTimeoutMs,
    requestTimeout: headersTimeoutMs,
    // How often Node looks for requests past their timeouts: a fraction of the timeout, at most a second.
    connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(headersTimeoutMs / 4))),
  };
  return createServer(options, (_req, res) => {
    res.writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'websocket', Connection: 'Upgrade' });
    res.end('This endpoint accepts OCPP-J WebSocket connections only');
  });
}

/** 'error' listener for sockets being upgraded: a socket error ends the attempt. */
export function destroySocket(this: Duplex): void {
  this.destroy();
}
