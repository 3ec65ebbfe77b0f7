import { type RpcChannel } from '@chargewire/rpc-core';
import { isSendableCloseCode, truncateCloseReason } from '@chargewire/rpc-core/internal';
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
      ws.close(validCloseCode(code), truncateCloseReason(reason));
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

/** The code to send: `code` when RFC 6455 allows sending it, else 1000 (normal closure). */
export function validCloseCode(code: number | undefined): number {
  return code !== undefined && isSendableCloseCode(code) ? code : 1000;
}
