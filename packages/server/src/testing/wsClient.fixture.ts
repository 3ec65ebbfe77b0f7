import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import type { ClientOptions } from 'ws';

/** A raw ws client for wire-level tests. */
export interface RawClient {
  ws: WebSocket;
  /** Negotiated subprotocol ('' when the server sent none). */
  protocol: string;
  /** Headers of the server's 101 answer. */
  responseHeaders: IncomingMessage['headers'];
  /** Bytes read from the TCP socket so far (frames as they are on the wire, compressed or not). */
  bytesRead(): number;
  /** Frames received so far (parsed JSON). */
  frames: unknown[];
  /** Resolves with the next frame matching `predicate`. */
  next(predicate?: (frame: unknown) => boolean): Promise<unknown>;
  send(frame: unknown): void;
  closed: Promise<{ code: number; reason: string }>;
}

/** Thrown by `connectRaw` when the server refuses the upgrade. */
export class UpgradeRefused extends Error {
  constructor(readonly status: number, readonly body: string, readonly headers: IncomingMessage['headers']) {
    super(`upgrade refused with ${status}: ${body}`);
  }
}

/** Opens a raw WebSocket; rejects with `UpgradeRefused` on an HTTP error answer. */
export function connectRaw(url: string, protocols: string | string[] = ['ocpp1.6'], options: ClientOptions = {}): Promise<RawClient> {
  const ws = new WebSocket(url, protocols, options);
  let responseHeaders: IncomingMessage['headers'] = {};
  let socket: IncomingMessage['socket'] | undefined;
  ws.once('upgrade', (res) => {
    responseHeaders = res.headers;
    socket = res.socket;
  });
  const frames: unknown[] = [];
  const waiters: Array<{ predicate: (f: unknown) => boolean; resolve: (f: unknown) => void }> = [];
  ws.on('message', (data) => {
    let frame: unknown;
    try {
      frame = JSON.parse(data.toString());
    } catch {
      frame = data.toString();
    }
    frames.push(frame);
    const i = waiters.findIndex((w) => w.predicate(frame));
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve(frame);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  return new Promise((resolve, reject) => {
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => reject(new UpgradeRefused(res.statusCode ?? 0, body, res.headers)));
      res.on('error', () => reject(new UpgradeRefused(res.statusCode ?? 0, body, res.headers)));
    });
    ws.on('error', reject);
    ws.on('open', () => {
      ws.off('error', reject);
      ws.on('error', () => undefined);
      resolve({
        ws,
        protocol: ws.protocol,
        responseHeaders,
        bytesRead: () => socket?.bytesRead ?? 0,
        frames,
        closed,
        send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
        next: (predicate = () => true) => {
          const seen = frames.find(predicate);
          if (seen !== undefined) {
            frames.splice(frames.indexOf(seen), 1);
            return Promise.resolve(seen);
          }
          return new Promise((r) => waiters.push({ predicate, resolve: (f) => { frames.splice(frames.indexOf(f), 1); r(f); } }));
        },
      });
    });
  });
}

/** Expects the upgrade to be refused and returns the status. */
export async function refusedStatus(url: string, protocols: string | string[] = ['ocpp1.6'], options: ClientOptions = {}): Promise<UpgradeRefused> {
  try {
    const c = await connectRaw(url, protocols, options);
    c.ws.terminate();
  } catch (err) {
    if (err instanceof UpgradeRefused) return err;
    throw err;
  }
  throw new Error('expected the upgrade to be refused, but it was accepted');
}

/** Result of a hand-made upgrade request (for cases a WebSocket client library refuses to show). */
export interface RawUpgrade {
  status: number;
  headers: IncomingMessage['headers'];
  /** The first WebSocket frame the server sent after 101, decoded if it is a close frame. */
  firstFrame: Promise<{ opcode: number; code?: number; reason?: string }>;
  destroy(): void;
}

/** Sends an upgrade request by hand over node:http and decodes the first server frame. */
export async function rawUpgrade(url: string, protocolHeader: string | undefined): Promise<RawUpgrade> {
  const { request } = await import('node:http');
  const { randomBytes } = await import('node:crypto');
  const u = new URL(url.replace(/^ws/, 'http'));
  const headers: Record<string, string> = {
    Connection: 'Upgrade',
    Upgrade: 'websocket',
    'Sec-WebSocket-Version': '13',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
  };
  if (protocolHeader !== undefined) headers['Sec-WebSocket-Protocol'] = protocolHeader;
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path: u.pathname + u.search, headers });
    req.on('error', reject);
    req.on('response', (res) => resolve({ status: res.statusCode ?? 0, headers: res.headers, firstFrame: new Promise(() => undefined), destroy: () => res.destroy() }));
    req.on('upgrade', (res, socket, head) => {
      const firstFrame = new Promise<{ opcode: number; code?: number; reason?: string }>((done) => {
        let buf = head;
        const tryParse = (): void => {
          if (buf.length < 2) return;
          const opcode = buf[0]! & 0x0f;
          const len = buf[1]! & 0x7f;
          if (buf.length < 2 + len) return;
          const payload = buf.subarray(2, 2 + len);
          if (opcode === 8 && payload.length >= 2) done({ opcode, code: payload.readUInt16BE(0), reason: payload.subarray(2).toString() });
          else done({ opcode });
        };
        socket.on('data', (chunk: Buffer) => {
          buf = Buffer.concat([buf, chunk]);
          tryParse();
        });
        tryParse();
      });
      socket.on('error', () => undefined);
      resolve({ status: res.statusCode ?? 0, headers: res.headers, firstFrame, destroy: () => socket.destroy() });
    });
    req.end();
  });
}
