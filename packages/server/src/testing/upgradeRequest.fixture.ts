import { randomBytes } from 'node:crypto';

/**
 * The text of a WebSocket upgrade request (RFC 6455 §4.1) for raw TCP clients that must control every byte
 * (a peer that stops reading, a header of thousands of subprotocol tokens).
 */
export function upgradeRequest(path: string, host: string, subprotocolHeader: string, extraHeaders: readonly string[] = []): string {
  return [
    `GET ${path} HTTP/1.1`,
    `Host: ${host}`,
    'Connection: Upgrade',
    'Upgrade: websocket',
    'Sec-WebSocket-Version: 13',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    `Sec-WebSocket-Protocol: ${subprotocolHeader}`,
    ...extraHeaders,
    '',
    '',
  ].join('\r\n');
}
