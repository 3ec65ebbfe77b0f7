import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startRawServer } from './testing/rawServer.fixture.js';
import { truncateCloseReason as truncateReason } from '@chargewire/rpc-core/internal';
import { validCloseCode, wsChannel } from './wsChannel.js';

describe('wsChannel', () => {
  it('carries text both ways and reports the close code and reason once', async () => {
    const server = await startRawServer();
    try {
      const conn = server.nextConnection();
      const ws = new WebSocket(`${server.url}/CP-1`, ['ocpp1.6']);
      await new Promise((resolve) => ws.once('open', resolve));
      const { ws: peer } = await conn;
      const channel = wsChannel(ws);
      const received: string[] = [];
      const closes: Array<[number, string]> = [];
      let gotTwo: () => void = () => undefined;
      const twoReceived = new Promise<void>((resolve) => (gotTwo = resolve));
      channel.onMessage((text) => {
        if (received.push(text) === 2) gotTwo();
      });
      channel.onClose((code, reason) => closes.push([code, reason]));
      const atPeer = new Promise<string>((resolve) => peer.once('message', (d) => resolve(String(d))));
      channel.send('[2,"1","Heartbeat",{}]');
      expect(await atPeer).toBe('[2,"1","Heartbeat",{}]');
      peer.send('[3,"1",{"currentTime":"x"}]');
      peer.send(Buffer.from('[3,"2",{}]'), { binary: true });
      await twoReceived;
      expect(received).toEqual(['[3,"1",{"currentTime":"x"}]', '[3,"2",{}]']);
      const peerClosed = new Promise<number>((resolve) => peer.once('close', (code) => resolve(code)));
      channel.close(4001, 'bye');
      channel.close(1000, 'again'); // no-op once closing
      expect(await peerClosed).toBe(4001);
      await new Promise((resolve) => ws.once('close', resolve));
      expect(closes).toEqual([[4001, 'bye']]);
      channel.send('dropped after close'); // must not throw
    } finally {
      await server.close();
    }
  });

  it('only sends close codes RFC 6455 allows', () => {
    expect(validCloseCode(undefined)).toBe(1000);
    expect(validCloseCode(1001)).toBe(1001);
    expect(validCloseCode(4999)).toBe(4999);
    expect(validCloseCode(1005)).toBe(1000);
    expect(validCloseCode(1006)).toBe(1000);
    expect(validCloseCode(999)).toBe(1000);
    expect(validCloseCode(5000)).toBe(1000);
  });

  it('truncates close reasons to 123 UTF-8 bytes without splitting characters', () => {
    expect(truncateReason(undefined)).toBe('');
    expect(truncateReason('short')).toBe('short');
    const long = 'ä'.repeat(100);
    const cut = truncateReason(long);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(123);
    expect(cut).toBe('ä'.repeat(61));
  });
});
