import { RpcError } from '@chargewire/rpc-core';
import { describe, expect, it } from 'vitest';
import type { ServerClient } from './serverClient.js';
import { connectRaw } from './testing/wsClient.fixture.js';
import type { RawClient } from './testing/wsClient.fixture.js';
import { nextClient, useServers } from './testing/serverHarness.fixture.js';

const start = useServers();
const answerTo = (id: string) => (f: unknown): boolean => Array.isArray(f) && (f[0] === 3 || f[0] === 4) && f[1] === id;
const now = '2026-01-01T00:00:00.000Z';
// Strict mode validates answers: each level answers a valid, distinct time.
const BY_SERVER = '2026-01-01T00:00:01.000Z';
const BY_ROUTE = '2026-01-01T00:00:02.000Z';
const BY_CLIENT = '2026-01-01T00:00:03.000Z';

/** Sends one CALL and resolves with its answer frame. */
async function callOn(raw: RawClient, id: string, action: string, payload: unknown): Promise<unknown> {
  const answer = raw.next(answerTo(id));
  raw.send([2, id, action, payload]);
  return answer;
}

describe('route- and server-level handlers', () => {
  it('serve every client of a route (1.6), with the client in the context', async () => {
    const { server, url } = await start({ protocols: ['ocpp1.6'] });
    const route = server.route('/chargers/:site/:id');
    const seen: Array<{ identity: string; site: string; same: boolean }> = [];
    const clients = new Map<string, ServerClient>();
    route.on('client', (client) => clients.set(client.identity, client));
    route.handle('ocpp1.6', 'BootNotification', ({ client, params }) => {
      seen.push({ identity: client.identity, site: client.handshake.params.site, same: clients.get(client.identity) === client });
      return { status: params.chargePointVendor === 'ACME' ? 'Accepted' : 'Rejected', currentTime: now, interval: 300 };
    });

    const a = await connectRaw(`${url}/chargers/north/CP-A`, 'ocpp1.6');
    const b = await connectRaw(`${url}/chargers/south/CP-B`, 'ocpp1.6');
    expect(await callOn(a, 'a1', 'BootNotification', { chargePointVendor: 'ACME', chargePointModel: 'X' })).toEqual([
      3,
      'a1',
      { status: 'Accepted', currentTime: now, interval: 300 },
    ]);
    expect(await callOn(b, 'b1', 'BootNotification', { chargePointVendor: 'Other', chargePointModel: 'X' })).toEqual([
      3,
      'b1',
      { status: 'Rejected', currentTime: now, interval: 300 },
    ]);
    expect(seen).toEqual([
      { identity: 'CP-A', site: 'north', same: true },
      { identity: 'CP-B', site: 'south', same: true },
    ]);
    a.ws.close();
    b.ws.close();
  });

  it('look a handler up per CALL: client, then route, then server, then NotImplemented/NotSupported (2.0.1)', async () => {
    const { server, url } = await start({ protocols: ['ocpp2.0.1'] });
    const route = server.route('/ocpp/:id');
    server.handle('ocpp2.0.1', 'Heartbeat', () => ({ currentTime: BY_SERVER }));
    server.handle('ocpp2.0.1', 'StatusNotification', () => ({}));
    route.handle('ocpp2.0.1', 'Heartbeat', () => ({ currentTime: BY_ROUTE }));
    const connected = nextClient(route);
    const raw = await connectRaw(`${url}/ocpp/CP-1`, 'ocpp2.0.1');
    const client = await connected;
    const other = await connectRaw(`${url}/ocpp/CP-2`, 'ocpp2.0.1');

    expect(await callOn(raw, 'h1', 'Heartbeat', {})).toEqual([3, 'h1', { currentTime: BY_ROUTE }]);
    client.handle('ocpp2.0.1', 'Heartbeat', () => ({ currentTime: BY_CLIENT }));
    expect(await callOn(raw, 'h2', 'Heartbeat', {})).toEqual([3, 'h2', { currentTime: BY_CLIENT }]);
    // The override is this client's only.
    expect(await callOn(other, 'o1', 'Heartbeat', {})).toEqual([3, 'o1', { currentTime: BY_ROUTE }]);
    // Nothing on the route: the server's handler.
    expect(await callOn(raw, 's1', 'StatusNotification', { timestamp: now, connectorStatus: 'Available', evseId: 1, connectorId: 1 })).toEqual([3, 's1', {}]);

    client.removeHandler('ocpp2.0.1', 'Heartbeat');
    expect(await callOn(raw, 'h3', 'Heartbeat', {})).toEqual([3, 'h3', { currentTime: BY_ROUTE }]);
    route.removeHandler('ocpp2.0.1', 'Heartbeat');
    expect(await callOn(raw, 'h4', 'Heartbeat', {})).toEqual([3, 'h4', { currentTime: BY_SERVER }]);
    server.removeHandler('ocpp2.0.1', 'Heartbeat');
    // A known action nobody handles: NotSupported; an unknown one: NotImplemented.
    expect(((await callOn(raw, 'h5', 'Heartbeat', {})) as unknown[]).slice(0, 3)).toEqual([4, 'h5', 'NotSupported']);
    expect(((await callOn(raw, 'x1', 'NoSuchAction', {})) as unknown[]).slice(0, 3)).toEqual([4, 'x1', 'NotImplemented']);
    raw.ws.close();
    other.ws.close();
  });

  it('prefer a specific handler at any level over a wildcard, and the nearest wildcard over farther ones', async () => {
    const { server, url } = await start({ protocols: ['ocpp1.6'], strictMode: false });
    const route = server.route('/ocpp/:id');
    server.handle(({ action }) => ({ by: 'server wildcard', action }));
    route.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: 'route' }));
    const connected = nextClient(route);
    const raw = await connectRaw(`${url}/ocpp/CP-1`, 'ocpp1.6');
    const client = await connected;

    expect(await callOn(raw, 'v1', 'VendorThing', {})).toEqual([3, 'v1', { by: 'server wildcard', action: 'VendorThing' }]);
    client.handle(({ action, client: who }) => ({ by: 'client wildcard', action, identity: who.identity }));
    expect(await callOn(raw, 'v2', 'VendorThing', {})).toEqual([3, 'v2', { by: 'client wildcard', action: 'VendorThing', identity: 'CP-1' }]);
    // The client's wildcard does not hide the route's specific handler.
    expect(await callOn(raw, 'h1', 'Heartbeat', {})).toEqual([3, 'h1', { currentTime: 'route' }]);
    raw.ws.close();
  });

  it('answer a throwing handler with a CALLERROR: its RpcError, or InternalError without the text (1.6 and 2.0.1)', async () => {
    const { server, url } = await start({ protocols: ['ocpp2.0.1', 'ocpp1.6'] });
    server.handle('ocpp1.6', 'Authorize', () => {
      throw new RpcError('SecurityError', 'Tag blocked upstream');
    });
    server.handle('ocpp2.0.1', 'Authorize', () => {
      throw new Error('database password is hunter2');
    });
    server.route('/ocpp/:id').handle('ocpp1.6', 'Heartbeat', async () => {
      await Promise.resolve();
      throw new Error('secret detail');
    });
    // The default route is gone once a route exists: connect through the declared one.
    const v16 = await connectRaw(`${url}/ocpp/CP-16`, 'ocpp1.6');
    const v201 = await connectRaw(`${url}/ocpp/CP-201`, 'ocpp2.0.1');

    expect(await callOn(v16, 'a1', 'Authorize', { idTag: 'TAG' })).toEqual([4, 'a1', 'SecurityError', 'Tag blocked upstream', {}]);
    const internal16 = (await callOn(v16, 'h1', 'Heartbeat', {})) as unknown[];
    expect(internal16.slice(0, 3)).toEqual([4, 'h1', 'InternalError']);
    expect(JSON.stringify(internal16)).not.toContain('secret');
    const internal201 = (await callOn(v201, 'a2', 'Authorize', { idToken: { idToken: 'T', type: 'ISO14443' } })) as unknown[];
    expect(internal201.slice(0, 3)).toEqual([4, 'a2', 'InternalError']);
    expect(JSON.stringify(internal201)).not.toContain('hunter2');
    v16.ws.close();
    v201.ws.close();
  });

  it('a client ignores handlers of protocols it does not speak (they could never run) and still checks arguments', async () => {
    const { server, url } = await start({ protocols: ['ocpp1.6', 'ocpp2.0.1'] });
    server.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: BY_SERVER }));
    const connected = nextClient(server);
    const raw = await connectRaw(`${url}/CP-1`, 'ocpp1.6');
    const client = await connected;
    client.handle('ocpp2.0.1', 'Heartbeat', () => ({ currentTime: BY_CLIENT }));
    client.handle('ocpp2.0.1', 'BootNotification', () => ({ status: 'Accepted', currentTime: now, interval: 300 }));
    expect(await callOn(raw, 'h1', 'Heartbeat', {})).toEqual([3, 'h1', { currentTime: BY_SERVER }]);
    // Plain JavaScript callers still get a TypeError for a handler that is not a function.
    expect(() => Reflect.apply(client.handle, client, ['ocpp1.6', 'Heartbeat', 'not a function'])).toThrow(TypeError);
    raw.ws.close();
  });

  it('keep ctx.client for a handler that answers after its charger left', async () => {
    const { server, url } = await start({ protocols: ['ocpp1.6'] });
    let release: (() => void) | undefined;
    const finished = new Promise<{ identity: string; connected: boolean; aborted: boolean }>((resolve) => {
      server.handle('ocpp1.6', 'Heartbeat', async ({ client, signal }) => {
        await new Promise<void>((r) => (release = r));
        resolve({ identity: client.identity, connected: client.connected, aborted: signal.aborted });
        return { currentTime: now };
      });
    });
    const connected = nextClient(server);
    const raw = await connectRaw(`${url}/CP-1`, 'ocpp1.6');
    const client = await connected;
    raw.send([2, 'h1', 'Heartbeat', {}]);
    await expect.poll(() => release !== undefined).toBe(true);
    raw.ws.close();
    await client.closed();
    release!();
    expect(await finished).toEqual({ identity: 'CP-1', connected: false, aborted: true });
  });
});
