import { ConnectionClosedError, NOREPLY, NotConnectedError } from '@chargewire/rpc-core';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { OCPPClient } from './ocppClient.js';
import { ConnectAbortedError } from './errors.js';
import { FrameLog } from './testing/frames.fixture.js';
import { useClientHarness, once } from './testing/clientHarness.fixture.js';

const { server, client } = useClientHarness();

describe('OCPPClient: close and the offline queue (raw ws server)', () => {
  it('bounds the offline queue: calls beyond it are rejected, queued ones reject when the client closes', async () => {
    const s = await server();
    const c = client(s, { offlineQueue: 2 });
    const q1 = c.call('ocpp1.6', 'Heartbeat', {});
    const q2 = c.call('ocpp1.6', 'Heartbeat', {});
    await expect(c.call('ocpp1.6', 'Heartbeat', {})).rejects.toBeInstanceOf(NotConnectedError);
    await c.close();
    await expect(q1).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(q2).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(c.call('ocpp1.6', 'Heartbeat', {})).rejects.toBeInstanceOf(NotConnectedError);
  });

  it('close({ awaitPending }) lets an in-flight call finish; close({ force }) rejects it', async () => {
    const s = await server();
    const c = client(s);
    const conn = s.nextConnection();
    await c.connect();
    const { ws } = await conn;
    const log = new FrameLog(ws);
    const inFlight = c.call('ocpp1.6', 'Heartbeat', {});
    const frame = await log.next();
    const closing = c.close({ awaitPending: true, code: 1000, reason: 'done' });
    expect(c.state).toBe('closing');
    await expect(c.call('ocpp1.6', 'Heartbeat', {})).rejects.toBeInstanceOf(NotConnectedError);
    const closeAtServer = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(JSON.stringify([3, frame[1], { currentTime: new Date().toISOString() }]));
    await expect(inFlight).resolves.toHaveProperty('currentTime');
    await closing;
    expect(await closeAtServer).toBe(1000);

    const s2 = await server();
    const c2 = client(s2);
    await c2.connect();
    const pending = c2.call('ocpp1.6', 'Heartbeat', {});
    await c2.close({ force: true });
    await expect(pending).rejects.toBeInstanceOf(ConnectionClosedError);
    expect(c2.state).toBe('closed');
  });

  it('close({ awaitPending }) lets a handler still working on a CSMS call answer first, within timeoutMs', async () => {
    const s = await server();
    const c = client(s);
    let release: () => void = () => undefined;
    const handlerStarted = new Promise<void>((started) => {
      c.handle('ocpp1.6', 'Reset', () => {
        started();
        return new Promise((resolve) => {
          release = () => resolve({ status: 'Accepted' });
        });
      });
    });
    const conn = s.nextConnection();
    await c.connect();
    const { ws } = await conn;
    const log = new FrameLog(ws);
    const closedAtServer = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(JSON.stringify([2, 'srv-reset', 'Reset', { type: 'Soft' }]));
    await handlerStarted;
    const closing = c.close({ awaitPending: true });
    setTimeout(() => release(), 20);
    await closing;
    expect(await closedAtServer).toBe(1000);
    expect(log.frames).toEqual([[3, 'srv-reset', { status: 'Accepted' }]]);

    // A handler that never answers cannot hold close() beyond timeoutMs.
    const s2 = await server();
    const c2 = client(s2);
    c2.handle('ocpp1.6', 'UnlockConnector', () => NOREPLY);
    const conn2 = s2.nextConnection();
    await c2.connect();
    const { ws: ws2 } = await conn2;
    const seen = new Promise<void>((resolve) => c2.endpoint.once('call', () => resolve()));
    ws2.send(JSON.stringify([2, 'srv-unlock', 'UnlockConnector', { connectorId: 1 }]));
    await seen;
    await c2.close({ awaitPending: true, timeoutMs: 50 });
    expect(c2.state).toBe('closed');
  });

  it('close() while reconnecting stops the loop and rejects a waiting connect()', async () => {
    const s = await server();
    const c = client(s, { backoff: { initialMs: 10_000, maxMs: 10_000, jitter: 'none' } });
    const conn = s.nextConnection();
    await c.connect();
    const reconnect = once(c, 'reconnect');
    (await conn).ws.terminate();
    await reconnect;
    const waiting = c.connect();
    await c.close();
    await expect(waiting).rejects.toBeInstanceOf(ConnectAbortedError);
    expect(c.state).toBe('closed');
    expect(s.requests).toHaveLength(1);
  });

  it('close() during the first connect aborts it without leaving a socket behind', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const { port } = silent.address() as AddressInfo;
      const sockets = new Promise<Socket>((resolve) => silent.once('connection', resolve));
      const c = new OCPPClient({ endpoint: `ws://127.0.0.1:${port}/ocpp`, identity: 'CP-1', protocols: ['ocpp1.6'] });
      const pending = c.connect();
      expect(c.state).toBe('connecting');
      const socket = await sockets; // the upgrade request is out, the server never answers
      const socketClosed = new Promise((resolve) => socket.once('close', resolve));
      await c.close();
      await expect(pending).rejects.toBeInstanceOf(ConnectAbortedError);
      expect(c.state).toBe('closed');
      await socketClosed;
    } finally {
      silent.close();
    }
  });

  it('can connect again after close()', async () => {
    const s = await server();
    const c = client(s);
    await c.connect();
    await c.close();
    expect(await c.connect()).toBe('ocpp1.6');
    expect(c.state).toBe('open');
  });
});
