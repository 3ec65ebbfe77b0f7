import { randomBytes } from 'node:crypto';
import { request } from 'node:http';

/**
 * One raw WebSocket upgrade attempt (no client library), so a test can choose the source address
 * (127.0.0.x) and see the HTTP status of a refusal. Resolves 101 on success (the socket is closed at once).
 */
export function upgradeStatus(
  port: number,
  identityPath: string,
  options: { localAddress?: string; username?: string; password?: string; protocol?: string } = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      Connection: 'Upgrade',
      Upgrade: 'websocket',
      'Sec-WebSocket-Version': '13',
      'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
      'Sec-WebSocket-Protocol': options.protocol ?? 'ocpp1.6',
    };
    if (options.password !== undefined) {
      headers.Authorization = `Basic ${Buffer.from(`${options.username ?? ''}:${options.password}`).toString('base64')}`;
    }
    const req = request({ host: '127.0.0.1', port, path: `/api/v1/chargers/${identityPath}`, headers, localAddress: options.localAddress });
    req.once('upgrade', (_res, socket) => {
      socket.destroy();
      resolve(101);
    });
    req.once('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('error', reject);
    req.end();
  });
}
