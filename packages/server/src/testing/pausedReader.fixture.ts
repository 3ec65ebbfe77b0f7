import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { upgradeRequest } from './upgradeRequest.fixture.js';

/** A raw TCP WebSocket client that completes the upgrade and then never reads another byte. */
export interface PausedReader {
  socket: Socket;
  /** Writes text frames (masked, as a client must) in one buffer; resolves once the kernel took them or the socket died. */
  sendFrames(frames: readonly string[]): Promise<void>;
}

/** One client-to-server text frame (RFC 6455 §5.2) with an all-zero masking key, so the payload goes as is. */
export function maskedTextFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const n = payload.length;
  const header = n < 126 ? Buffer.from([0x81, 0x80 | n]) : n < 65536 ? Buffer.from([0x81, 0x80 | 126, n >> 8, n & 0xff]) : undefined;
  if (!header) throw new RangeError('frame too large for this fixture');
  return Buffer.concat([header, Buffer.alloc(4), payload]);
}

/** Opens `url` (ws://host:port/path) with `protocol`, waits for 101, then pauses reading for good. */
export function openPausedReader(url: string, protocol: string): Promise<PausedReader> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(u.port), u.hostname);
    socket.on('error', () => undefined);
    socket.once('connect', () => {
      socket.write(upgradeRequest(u.pathname, u.host, protocol));
    });
    let answer = '';
    const onData = (chunk: Buffer): void => {
      answer += chunk.toString('latin1');
      const end = answer.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      socket.pause();
      if (!answer.startsWith('HTTP/1.1 101')) {
        socket.destroy();
        reject(new Error(`upgrade refused: ${answer.slice(0, answer.indexOf('\r\n'))}`));
        return;
      }
      resolve({
        socket,
        sendFrames: (frames) =>
          new Promise((done) => {
            if (socket.destroyed) return done();
            socket.write(Buffer.concat(frames.map(maskedTextFrame)), () => done());
          }),
      });
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error('closed before the upgrade')));
  });
}
