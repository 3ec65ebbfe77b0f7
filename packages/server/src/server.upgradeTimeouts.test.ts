import { createServer } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { InMemoryAdapter, OCPPServer } from './index.js';
import type { AdapterHost } from './index.js';
import { nextClient, useServers } from './testing/serverHarness.fixture.js';
import { connectRaw, refusedStatus } from './testing/wsClient.fixture.js';

const start = useServers();
const sleep = (ms: number): Promise<'timeout'> => new Promise((r) => setTimeout(() => r('timeout'), ms));

/** A raw TCP connection; `closed` resolves with the milliseconds it lived. */
function openSocket(port: number): Promise<{ socket: Socket; closed: Promise<number>; received: () => string }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (c: Buffer) => (received += c.toString('latin1')));
    socket.on('error', () => undefined);
    const closed = new Promise<number>((r) => socket.once('close', () => r(Date.now() - started)));
    socket.once('connect', () => resolve({ socket, closed, received: () => received }));
    socket.once('error', reject);
  });
}

describe('upgrade requests in progress are bounded', () => {
  it('listen(): a socket trickling its upgrade request headers is answered 408 and closed after headersTimeoutMs', async () => {
    const { port } = await start({ headersTimeoutMs: 300 });
    const { socket, closed, received } = await openSocket(port);
    socket.write('GET /ocpp/CP-1 HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const trickle = setInterval(() => socket.write(`X-Trickle-${Date.now()}: 1\r\n`), 50);
    try {
      const lived = await Promise.race([closed, sleep(3000)]);
      expect(lived).not.toBe('timeout');
      expect(lived).toBeLessThan(2000);
      expect(received()).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      clearInterval(trickle);
      socket.destroy();
    }
  });

  it('listen(): sockets that have not sent an upgrade request yet count against maxConnections', async () => {
    const { server, port, url } = await start({ maxConnections: 2 });
    const idle = [await openSocket(port), await openSocket(port)];
    // Let the server see both connections.
    await sleep(50);
    const refused = await refusedStatus(`${url}/CP-1`);
    expect(refused.status).toBe(503);
    // A socket over the limit is answered at once, before it sends anything.
    const third = await openSocket(port);
    await Promise.race([third.closed, sleep(2000)]);
    expect(third.received()).toMatch(/^HTTP\/1\.1 503/);

    idle[0]!.socket.destroy();
    await idle[0]!.closed;
    await sleep(50);
    const accepted = nextClient(server);
    const raw = await connectRaw(`${url}/CP-1`, 'ocpp1.6');
    expect((await accepted).identity).toBe('CP-1');
    raw.ws.close();
    idle[1]!.socket.destroy();
  });

  it('the handshake deadline covers the whole wait, adapter start-up included (408)', async () => {
    class StuckAdapter extends InMemoryAdapter {
      override init(_host: AdapterHost): Promise<void> {
        return new Promise(() => undefined);
      }
    }
    const http = createServer();
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const server = new OCPPServer({ server: http, pingIntervalMs: 0, handshakeTimeoutMs: 200, adapter: new StuckAdapter() });
    try {
      const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ocpp/CP-1`;
      const outcome = await Promise.race([refusedStatus(url), sleep(3000)]);
      expect(outcome).not.toBe('timeout');
      expect(outcome).toMatchObject({ status: 408 });
    } finally {
      http.closeAllConnections();
      await new Promise((r) => http.close(r));
    }
    void server;
  });
});
