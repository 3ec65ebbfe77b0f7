import { randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import { basicAuthFor } from './basicAuth.js';
import { describeNetworkError } from './rawConnection.js';

/** What a bare WebSocket upgrade request led to, seen below the ws library's own checks. */
export type UpgradeOutcome =
  | { kind: 'upgraded'; headers: IncomingHttpHeaders; closedWithin: number | undefined; closeCode: number | undefined }
  | { kind: 'refused'; status: number }
  | { kind: 'error'; message: string };

/**
 * Sends a WebSocket upgrade offering `protocols` and watches what the server does, without any client-side
 * subprotocol check: whether it answers 101 and with which headers, and whether it then closes the socket
 * (a close frame or TCP end) within `watchMs`.
 */
export function rawUpgrade(url: string, protocols: readonly string[], watchMs: number, password?: string): Promise<UpgradeOutcome> {
  const target = new URL(url.replace(/^ws/, 'http'));
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = request(target, {
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        ...(protocols.length ? { 'Sec-WebSocket-Protocol': protocols.join(', ') } : {}),
        ...(password !== undefined ? { Authorization: basicAuthFor(url, password) } : {}),
      },
      timeout: watchMs + 5000,
    });
    req.once('response', (res) => {
      res.resume();
      resolve({ kind: 'refused', status: res.statusCode ?? 0 });
    });
    req.once('error', (err: NodeJS.ErrnoException) => resolve({ kind: 'error', message: describeNetworkError(url, err).message }));
    req.once('timeout', () => req.destroy(new Error('timed out')));
    req.once('upgrade', (res, socket: Duplex, head: Buffer) => {
      const started = Date.now();
      let closeCode: number | undefined;
      const finish = (closed: boolean): void => {
        clearTimeout(timer);
        socket.removeAllListeners('data');
        socket.destroy();
        resolve({ kind: 'upgraded', headers: res.headers, closedWithin: closed ? Date.now() - started : undefined, closeCode });
      };
      const timer = setTimeout(() => finish(false), watchMs);
      const onData = (chunk: Buffer): void => {
        // An unmasked server frame: opcode 0x8 is Close; its payload starts with the 2-byte status code.
        if (chunk.length > 0 && ((chunk[0] ?? 0) & 0x0f) === 0x8) {
          if ((chunk[1] ?? 0) >= 2 && chunk.length >= 4) closeCode = chunk.readUInt16BE(2);
          finish(true);
        }
      };
      socket.on('data', onData);
      socket.once('end', () => finish(true));
      socket.once('close', () => finish(true));
      socket.on('error', () => undefined);
      // Bytes that arrived together with the 101 response (often the close frame itself).
      if (head.length > 0) onData(head);
    });
    req.end();
  });
}
