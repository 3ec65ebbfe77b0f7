import type { RpcChannel } from '@chargewire/rpc-core';
import { WebSocket } from 'ws';

/**
 * Adapts an open `ws` WebSocket to rpc-core's {@link RpcChannel}. OCPP-J frames are UTF-8 text
 * (§4.1.1); a binary frame is decoded as UTF-8 too, so the engine can answer it instead of it vanishing.
 */
export function wsChannel(ws: WebSocket): RpcChannel {
  return {
    send(text) {
      if (ws.readyState === WebSocket.OPEN) ws.send(text);
    },
    close(code, reason) {
      if (ws.readyState === WebSocket.CLOSED || ws.readyState === WebSocket.CLOSING) return;
      ws.close(validCloseCode(code), truncateReason(reason));
    },
    onMessage(listener) {
      ws.on('message', (data) => {
        listener(rawToString(data));
      });
    },
    onClose(listener) {
      ws.once('close', (code: number, reason: Buffer) => listener(code, reason.toString('utf8')));
    },
  };
}

function rawToString(data: WebSocket.RawData | string): string {
  if (typeof data === 'string') return data;
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

/** RFC 6455 §7.4: only 1000 and 3000–4999 (plus a few registered ones) may be sent; 1005/1006 never. */
export function validCloseCode(code: number | undefined): number {
  if (code === undefined) return 1000;
  if (code >= 3000 && code <= 4999) return code;
  if ([1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014].includes(code)) return code;
  return 1000;
}

/** A close reason is limited to 123 UTF-8 bytes (RFC 6455 §5.5: 125-byte control payload minus the code). */
export function truncateReason(reason: string | undefined): string {
  if (!reason) return '';
  let out = reason;
  while (Buffer.byteLength(out, 'utf8') > 123) out = out.slice(0, -1);
  return out;
}
