import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { KeepAlive } from './keepAlive.js';
import { startRawServer, type RawServer } from './testing/rawServer.fixture.js';

describe('KeepAlive', () => {
  let server: RawServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function connect(autoPong: boolean): Promise<{ client: WebSocket; serverSide: WebSocket }> {
    server = await startRawServer({ autoPong });
    const conn = server.nextConnection();
    const client = new WebSocket(`${server.url}/CP-1`, ['ocpp1.6']);
    await new Promise<void>((resolve, reject) => {
      client.once('open', resolve);
      client.once('error', reject);
    });
    return { client, serverSide: (await conn).ws };
  }

  it('pings on the interval and stays quiet while pongs arrive', async () => {
    const { client, serverSide } = await connect(true);
    let dead = false;
    const ka = new KeepAlive(client, 20, 60_000, () => {
      dead = true;
    });
    ka.start();
    let pings = 0;
    await new Promise<void>((resolve) => {
      serverSide.on('ping', () => {
        if (++pings === 3) resolve();
      });
    });
    ka.stop();
    expect(pings).toBeGreaterThanOrEqual(3);
    expect(dead).toBe(false);
    client.close();
  });

  it('declares the peer dead when no pong comes back', async () => {
    const { client, serverSide } = await connect(false);
    let pinged = false;
    serverSide.on('ping', () => {
      pinged = true;
    });
    const started = Date.now();
    await new Promise<void>((resolve) => {
      new KeepAlive(client, 20, 50, resolve).start();
    });
    expect(pinged).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
    client.terminate();
  });

  it('any incoming frame counts as a sign of life', async () => {
    // The server never pongs but answers every ping with a text frame. While a pong is awaited KeepAlive
    // sends no further ping, so a third ping can only happen if those frames cleared the deadline.
    const { client, serverSide } = await connect(false);
    let dead = false;
    const ka = new KeepAlive(client, 10, 60_000, () => {
      dead = true;
    });
    let pings = 0;
    await new Promise<void>((resolve) => {
      serverSide.on('ping', () => {
        serverSide.send('[]');
        if (++pings === 3) resolve();
      });
      ka.start();
    });
    ka.stop();
    expect(pings).toBe(3);
    expect(dead).toBe(false);
    client.close();
  });

  it('a ping from the server also proves it is alive', async () => {
    const { client, serverSide } = await connect(false);
    let dead = false;
    const ka = new KeepAlive(client, 10, 60_000, () => {
      dead = true;
    });
    let pings = 0;
    await new Promise<void>((resolve) => {
      serverSide.on('ping', () => {
        serverSide.ping();
        if (++pings === 3) resolve();
      });
      ka.start();
    });
    ka.stop();
    expect(dead).toBe(false);
    client.close();
  });

  it('is disabled by an interval of 0', async () => {
    const { client, serverSide } = await connect(true);
    let pinged = false;
    serverSide.on('ping', () => {
      pinged = true;
    });
    const ka = new KeepAlive(client, 0, 10, () => undefined);
    ka.start();
    // A round trip through the server proves no ping was queued before it.
    serverSide.ping();
    await new Promise<void>((resolve) => serverSide.once('pong', () => resolve()));
    expect(pinged).toBe(false);
    ka.stop();
    client.close();
  });
});
