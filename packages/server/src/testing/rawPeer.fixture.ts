import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { constants, deflateRawSync, inflateRawSync } from 'node:zlib';
import { upgradeRequest } from './upgradeRequest.fixture.js';

/** One WebSocket frame as a test wants to put it on the wire, reserved bits included (RFC 6455 §5.2). */
export interface FrameSpec {
  opcode: number;
  payload: Buffer | string;
  fin?: boolean;
  rsv1?: boolean;
  rsv2?: boolean;
  rsv3?: boolean;
}

/** A client-to-server frame, masked with a random key as RFC 6455 §5.3 requires. */
export function clientFrame(spec: FrameSpec): Buffer {
  const payload = typeof spec.payload === 'string' ? Buffer.from(spec.payload) : spec.payload;
  const first = ((spec.fin ?? true) ? 0x80 : 0) | (spec.rsv1 ? 0x40 : 0) | (spec.rsv2 ? 0x20 : 0) | (spec.rsv3 ? 0x10 : 0) | spec.opcode;
  const n = payload.length;
  let header: Buffer;
  if (n < 126) header = Buffer.from([first, 0x80 | n]);
  else if (n < 65536) header = Buffer.from([first, 0x80 | 126, n >> 8, n & 0xff]);
  else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = 0x80 | 127;
    header.writeBigUInt64BE(BigInt(n), 2);
  }
  const mask = randomBytes(4);
  const masked = Buffer.alloc(n);
  for (let i = 0; i < n; i++) masked[i] = payload[i]! ^ mask[i & 3]!;
  return Buffer.concat([header, mask, masked]);
}

/** What a permessage-deflate sender puts in a frame: raw deflate, sync-flushed, tail removed (RFC 7692 §7.2.1). */
export function deflateMessage(text: string | Buffer, dictionary?: Buffer): Buffer {
  const out = deflateRawSync(text, dictionary ? { finishFlush: constants.Z_SYNC_FLUSH, dictionary } : { finishFlush: constants.Z_SYNC_FLUSH });
  return out.subarray(0, out.length - 4);
}

/** A frame the server sent. */
export interface ServerFrame {
  fin: boolean;
  rsv1: boolean;
  opcode: number;
  payload: Buffer;
}

/** A raw TCP WebSocket client: the test writes frames byte for byte and reads the server's frames as they are. */
export interface RawPeer {
  socket: Socket;
  /** The 101 response's headers (lower-case names). */
  headers: Record<string, string>;
  send(...frames: Buffer[]): void;
  /** The next frame from the server (rejects when the connection ends first). */
  nextFrame(): Promise<ServerFrame>;
  /** The next text message, inflated when RSV1 is set (no context takeover assumed unless `dictionary` is given). */
  nextText(dictionary?: Buffer): Promise<string>;
  /** The status code of the server's close frame (resolves once it arrives). */
  closeCode(): Promise<number>;
}

/** Opens a raw connection, sending `extensions` as Sec-WebSocket-Extensions when given. */
export function openRawPeer(url: string, protocol: string, extensions?: string): Promise<RawPeer> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(u.port), u.hostname);
    socket.on('error', () => undefined);
    socket.once('connect', () => socket.write(upgradeRequest(u.pathname, u.host, protocol, extensions === undefined ? [] : [`Sec-WebSocket-Extensions: ${extensions}`])));
    let buffered = Buffer.alloc(0);
    let headers: Record<string, string> | undefined;
    const frames: ServerFrame[] = [];
    const waiters: Array<{ resolve: (f: ServerFrame) => void; reject: (e: Error) => void }> = [];
    let ended = false;
    const parse = (): void => {
      for (;;) {
        if (buffered.length < 2) return;
        let len = buffered[1]! & 0x7f;
        let offset = 2;
        if (len === 126) {
          if (buffered.length < 4) return;
          len = buffered.readUInt16BE(2);
          offset = 4;
        } else if (len === 127) {
          if (buffered.length < 10) return;
          len = Number(buffered.readBigUInt64BE(2));
          offset = 10;
        }
        if (buffered.length < offset + len) return;
        const frame = { fin: (buffered[0]! & 0x80) !== 0, rsv1: (buffered[0]! & 0x40) !== 0, opcode: buffered[0]! & 0x0f, payload: Buffer.from(buffered.subarray(offset, offset + len)) };
        buffered = buffered.subarray(offset + len);
        const waiter = waiters.shift();
        if (waiter) waiter.resolve(frame);
        else frames.push(frame);
      }
    };
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      if (headers === undefined) {
        const text = buffered.toString('latin1');
        const end = text.indexOf('\r\n\r\n');
        if (end < 0) return;
        const lines = text.slice(0, end).split('\r\n');
        if (!lines[0]!.startsWith('HTTP/1.1 101')) {
          socket.destroy();
          reject(new Error(`upgrade refused: ${lines[0]}`));
          return;
        }
        headers = {};
        for (const line of lines.slice(1)) {
          const colon = line.indexOf(':');
          headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
        }
        buffered = buffered.subarray(end + 4);
        resolve(peer(headers));
      }
      parse();
    });
    socket.on('close', () => {
      ended = true;
      for (const w of waiters.splice(0)) w.reject(new Error('connection closed'));
    });
    const nextFrame = (): Promise<ServerFrame> => {
      const frame = frames.shift();
      if (frame) return Promise.resolve(frame);
      if (ended) return Promise.reject(new Error('connection closed'));
      return new Promise((res, rej) => waiters.push({ resolve: res, reject: rej }));
    };
    const peer = (h: Record<string, string>): RawPeer => ({
      socket,
      headers: h,
      send: (...out) => socket.write(Buffer.concat(out)),
      nextFrame,
      async nextText(dictionary) {
        let frame = await nextFrame();
        while (frame.opcode === 0x9 || frame.opcode === 0xa) frame = await nextFrame();
        if (frame.opcode !== 0x1) throw new Error(`expected a text frame, got opcode ${frame.opcode}`);
        if (!frame.rsv1) return frame.payload.toString();
        const input = Buffer.concat([frame.payload, Buffer.from([0, 0, 0xff, 0xff])]);
        return inflateRawSync(input, dictionary ? { finishFlush: constants.Z_SYNC_FLUSH, dictionary } : { finishFlush: constants.Z_SYNC_FLUSH }).toString();
      },
      async closeCode() {
        for (;;) {
          const frame = await nextFrame();
          if (frame.opcode === 0x8) return frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : 1005;
        }
      },
    });
  });
}
