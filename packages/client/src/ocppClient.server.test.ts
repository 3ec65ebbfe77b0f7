/**
 * OCPPClient against the real @chargewire/server on 127.0.0.1 port 0: round trips in both directions for
 * every protocol, reconnect across a server restart on the same port, auth, TLS and mutual TLS.
 */
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { NOREPLY, RpcError, TimeoutError } from '@chargewire/rpc-core';
import { OCPPServer, type ServerClient } from '@chargewire/server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionRefusedError, SubprotocolMismatchError } from './errors.js';
import { OCPPClient } from './ocppClient.js';
import { FLEET_PER_MESSAGE_DEFLATE, type OCPPClientOptions } from './options.js';
import { generateTestCertificates, type TestCertificates } from '@chargewire/server/testing';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startServer(options: ConstructorParameters<typeof OCPPServer>[0] = {}, port = 0): Promise<{ server: OCPPServer; port: number; url: string }> {
  const server = new OCPPServer({ pingIntervalMs: 0, ...options });
  const address = await server.listen(port, '127.0.0.1');
  cleanups.push(() => server.close());
  return { server, port: address.port, url: `ws://127.0.0.1:${address.port}/ocpp` };
}

function startClient(url: string, options: Partial<OCPPClientOptions> = {}): OCPPClient {
  const client = new OCPPClient({
    endpoint: url,
    identity: 'CP-1',
    protocols: ['ocpp1.6'],
    backoff: { initialMs: 20, maxMs: 200, jitter: 'none' },
    ...options,
  });
  client.on('error', () => undefined);
  cleanups.push(() => client.close({ force: true }));
  return client;
}

function nextClient(server: OCPPServer): Promise<ServerClient> {
  return new Promise((resolve) => server.once('client', resolve));
}

const now = (): string => new Date().toISOString();

describe('OCPPClient ⇄ OCPPServer round trips', () => {
  it('ocpp1.6: BootNotification up, RemoteStartTransaction down', async () => {
    const { server, url } = await startServer({ protocols: ['ocpp1.6'] });
    server.on('client', (sc: ServerClient) => {
      sc.handle('ocpp1.6', 'BootNotification', ({ params }) => ({
        status: params.chargePointVendor === 'ACME' ? 'Accepted' : 'Rejected',
        currentTime: now(),
        interval: 300,
      }));
    });
    const client = startClient(url);
    client.handle('ocpp1.6', 'RemoteStartTransaction', ({ params }) => ({ status: params.idTag === 'TAG-1' ? 'Accepted' : 'Rejected' }));
    const serverSide = nextClient(server);
    expect(await client.connect()).toBe('ocpp1.6');
    const boot = await client.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'ACME', chargePointModel: 'X1' });
    expect(boot).toMatchObject({ status: 'Accepted', interval: 300 });
    const sc = await serverSide;
    expect(sc.identity).toBe('CP-1');
    await expect(sc.call('ocpp1.6', 'RemoteStartTransaction', { connectorId: 1, idTag: 'TAG-1' })).resolves.toEqual({ status: 'Accepted' });
    // An invalid payload is refused by strict mode before it is sent.
    await expect(
      client.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'A'.repeat(21), chargePointModel: 'X' }),
    ).rejects.toBeInstanceOf(RpcError);
  });

  it('ocpp2.0.1: BootNotification up, RequestStartTransaction down (idToken reaches the handler)', async () => {
    const { server, url } = await startServer({ protocols: ['ocpp2.0.1'] });
    server.on('client', (sc: ServerClient) => {
      sc.handle('ocpp2.0.1', 'BootNotification', () => ({ status: 'Accepted', currentTime: now(), interval: 60 }));
    });
    const client = startClient(url, { protocols: ['ocpp2.1', 'ocpp2.0.1', 'ocpp1.6'] });
    let seenIdToken: string | undefined;
    client.handle('ocpp2.0.1', 'RequestStartTransaction', ({ params }) => {
      seenIdToken = params.idToken.idToken;
      return { status: 'Accepted', transactionId: 'tx-1' };
    });
    const serverSide = nextClient(server);
    expect(await client.connect()).toBe('ocpp2.0.1');
    const boot = await client.call('ocpp2.0.1', 'BootNotification', {
      reason: 'PowerUp',
      chargingStation: { model: 'X1', vendorName: 'ACME' },
    });
    expect(boot.status).toBe('Accepted');
    const sc = await serverSide;
    const res = await sc.call('ocpp2.0.1', 'RequestStartTransaction', {
      idToken: { idToken: 'ABC123', type: 'ISO14443' },
      remoteStartId: 7,
    });
    expect(res).toEqual({ status: 'Accepted', transactionId: 'tx-1' });
    expect(seenIdToken).toBe('ABC123');
  });

  it('ocpp2.1: both directions, and a CALLERROR from the handler reaches the CSMS', async () => {
    const { server, url } = await startServer({ protocols: ['ocpp2.1'] });
    server.on('client', (sc: ServerClient) => {
      sc.handle('ocpp2.1', 'BootNotification', () => ({ status: 'Pending', currentTime: now(), interval: 10 }));
      sc.handle('ocpp2.1', 'Heartbeat', () => ({ currentTime: now() }));
    });
    const client = startClient(url, { protocols: ['ocpp2.1'] });
    client.handle('ocpp2.1', 'RequestStartTransaction', () => {
      throw new RpcError('SecurityError', 'Unknown token');
    });
    client.handle('ocpp2.1', 'GetVariables', ({ params }) => ({
      getVariableResult: params.getVariableData.map((d) => ({
        attributeStatus: 'Accepted' as const,
        attributeValue: '42',
        component: d.component,
        variable: d.variable,
      })),
    }));
    const serverSide = nextClient(server);
    expect(await client.connect()).toBe('ocpp2.1');
    const boot = await client.call('ocpp2.1', 'BootNotification', { reason: 'PowerUp', chargingStation: { model: 'X1', vendorName: 'ACME' } });
    expect(boot.status).toBe('Pending');
    expect(typeof (await client.call('ocpp2.1', 'Heartbeat', {})).currentTime).toBe('string');
    const sc = await serverSide;
    const err = await sc
      .call('ocpp2.1', 'RequestStartTransaction', { idToken: { idToken: 'X', type: 'Central' }, remoteStartId: 1 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect(err).toMatchObject({ code: 'SecurityError', description: 'Unknown token' });
    const vars = await sc.call('ocpp2.1', 'GetVariables', {
      getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }],
    });
    expect(vars.getVariableResult[0]).toMatchObject({ attributeStatus: 'Accepted', attributeValue: '42' });
    // 2.1 SEND [6]: delivered, never answered.
    const streamed = new Promise<unknown>((resolve) =>
      sc.handle('ocpp2.1', 'NotifyPeriodicEventStream', ({ params }) => {
        resolve(params);
        return NOREPLY;
      }),
    );
    const stream = { id: 1, pending: 0, basetime: now(), data: [{ t: 0, v: '230.1' }] };
    client.send('ocpp2.1', 'NotifyPeriodicEventStream', stream);
    expect(await streamed).toEqual(stream);
  });

  it('offers permessage-deflate as given: the fleet settings ask for no context takeover either way', async () => {
    const { server, url } = await startServer({ protocols: ['ocpp2.0.1'] });
    server.on('client', (sc: ServerClient) => sc.handle('ocpp2.0.1', 'DataTransfer', ({ params }) => ({ status: 'Accepted', data: params.data })));
    const serverSide = nextClient(server);
    const client = startClient(url, { protocols: ['ocpp2.0.1'], perMessageDeflate: FLEET_PER_MESSAGE_DEFLATE });
    await client.connect();
    const offer = (await serverSide).handshake.headers['sec-websocket-extensions'];
    expect(offer).toMatch(/^permessage-deflate;.*client_no_context_takeover/);
    expect(offer).toContain('server_no_context_takeover');
    // Compressed frames (over the 1 KB threshold) still round-trip both ways.
    const data = 'y'.repeat(4096);
    expect(await client.call('ocpp2.0.1', 'DataTransfer', { vendorId: 'chargewire', data })).toEqual({ status: 'Accepted', data });
  });

  it('refuses when there is no common subprotocol and does not retry', async () => {
    const { server, url } = await startServer({ protocols: ['ocpp2.0.1'] });
    let clients = 0;
    server.on('client', () => clients++);
    const client = startClient(url, { protocols: ['ocpp1.6'] });
    await expect(client.connect()).rejects.toBeInstanceOf(SubprotocolMismatchError);
    expect(client.state).toBe('closed');
    expect(clients).toBe(0);
  });

  it('times out a call the CSMS never answers', async () => {
    const { server, url } = await startServer({ protocols: ['ocpp1.6'] });
    server.on('client', (sc: ServerClient) => sc.handle('ocpp1.6', 'Heartbeat', () => NOREPLY));
    const client = startClient(url, { callTimeoutMs: 100 });
    await client.connect();
    const err = await client.call('ocpp1.6', 'Heartbeat', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ action: 'Heartbeat', timeoutMs: 100 });
    const ac = new AbortController();
    const aborted = client.call('ocpp1.6', 'Heartbeat', {}, { signal: ac.signal });
    ac.abort(new Error('user gave up'));
    await expect(aborted).rejects.toThrow('user gave up');
    expect(client.state).toBe('open');
  });
});

describe('OCPPClient reconnect against a restarted server', () => {
  it('queued calls complete exactly once after the server comes back on the same port', async () => {
    const counts = new Map<string, number>();
    const onClient = (sc: ServerClient): void => {
      sc.handle('ocpp1.6', 'DataTransfer', ({ params }) => {
        counts.set(params.messageId ?? '', (counts.get(params.messageId ?? '') ?? 0) + 1);
        return { status: 'Accepted', data: params.messageId ?? '' };
      });
      sc.handle('ocpp1.6', 'BootNotification', () => ({ status: 'Accepted', currentTime: now(), interval: 300 }));
    };
    const first = await startServer({ protocols: ['ocpp1.6'] });
    first.server.on('client', onClient);
    const client = startClient(first.url, { offlineQueue: 50, backoff: { initialMs: 25, maxMs: 150, jitter: 'full' } });
    await client.connect();
    await client.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'ACME', chargePointModel: 'X1' });

    const disconnected = new Promise((resolve) => client.once('disconnect', resolve));
    await first.server.close();
    await disconnected;
    expect(['reconnecting', 'connecting']).toContain(client.state === 'reconnecting' ? 'reconnecting' : client.state);
    const ids = Array.from({ length: 20 }, (_, i) => `m-${i}`);
    const calls = ids.map((id) => client.call('ocpp1.6', 'DataTransfer', { vendorId: 'ACME', messageId: id }));
    // Let a few attempts fail against the closed port before the server returns.
    await new Promise<void>((resolve) => client.once('reconnect', () => client.once('reconnect', () => resolve())));

    const second = await startServer({ protocols: ['ocpp1.6'] }, first.port);
    let boots = 0;
    second.server.on('client', (sc: ServerClient) => {
      onClient(sc);
      sc.on('call', () => undefined);
      sc.handle('ocpp1.6', 'BootNotification', () => {
        boots++;
        return { status: 'Accepted', currentTime: now(), interval: 300 };
      });
    });
    const results = await Promise.all(calls);
    expect(results.map((r) => r.data)).toEqual(ids);
    for (const id of ids) expect(counts.get(id)).toBe(1);
    expect(client.state).toBe('open');
    expect(client.protocol).toBe('ocpp1.6');
    expect(boots).toBe(0); // rule 10: no BootNotification because of a reconnect
  });

  it('stops reconnecting once the restarted server refuses the credentials', async () => {
    const password = 'correct-horse-battery';
    const first = await startServer({ protocols: ['ocpp1.6'] });
    first.server.auth((ctx) => (ctx.handshake.password?.toString() === password ? ctx.accept() : ctx.reject(401)));
    const client = startClient(first.url, { password, offlineQueue: 5 });
    await client.connect();
    const closed = new Promise<{ error?: Error }>((resolve) => client.once('close', resolve));
    await first.server.close();
    const second = await startServer({ protocols: ['ocpp1.6'] }, first.port);
    let attempts = 0;
    second.server.auth((ctx) => {
      attempts++;
      ctx.reject(401, 'Unauthorized');
    });
    const queued = client.call('ocpp1.6', 'Heartbeat', {});
    const { error } = await closed;
    expect(error).toBeInstanceOf(ConnectionRefusedError);
    expect(error).toMatchObject({ status: 401, retryable: false });
    await expect(queued).rejects.toThrow();
    expect(attempts).toBe(1);
    expect(client.state).toBe('closed');
  });
});

describe('OCPPClient auth and TLS', () => {
  let certs: TestCertificates;
  let pki: { ca: Buffer; otherCa: Buffer; serverCert: Buffer; serverKey: Buffer; clientCert: Buffer; clientKey: Buffer };
  beforeAll(() => {
    certs = generateTestCertificates();
    const client = certs.client('CP-MTLS');
    pki = { ca: certs.ca, otherCa: certs.rogueCa, serverCert: certs.serverCert, serverKey: certs.serverKey, clientCert: client.cert, clientKey: client.key };
  });
  afterAll(() => certs?.cleanup());

  it('sends Basic auth with the password as bytes (security profile 1)', async () => {
    const password = Buffer.from([0x70, 0x3a, 0xff, 0x00, ...Buffer.from('0123456789abcdef')]);
    const { url } = await startServer({ protocols: ['ocpp1.6'], securityProfile: 1, verifyPassword: (identity, pw) => identity === 'CP-1' && pw.equals(password) });
    await expect(startClient(url, { password }).connect()).resolves.toBe('ocpp1.6');
    const wrong = startClient(url, { password: Buffer.from('wrong-password-123') });
    await expect(wrong.connect()).rejects.toMatchObject({ status: 401, retryable: false });
  });

  it('connects over TLS with a custom CA and Basic auth (security profile 2)', async () => {
    const https = createHttpsServer({ cert: pki.serverCert, key: pki.serverKey });
    const server = new OCPPServer({ server: https, protocols: ['ocpp2.0.1'], securityProfile: 2, pingIntervalMs: 0 });
    server.auth((ctx) => (ctx.handshake.secure && ctx.handshake.password?.toString() === 'tls-password-0123' ? ctx.accept() : ctx.reject(401)));
    server.on('client', (sc: ServerClient) => sc.handle('ocpp2.0.1', 'Heartbeat', () => ({ currentTime: now() })));
    await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => https.close(r)));
    cleanups.push(() => server.close());
    const port = (https.address() as AddressInfo).port;
    const client = startClient(`wss://localhost:${port}/ocpp`, {
      protocols: ['ocpp2.0.1'],
      password: 'tls-password-0123',
      tls: { ca: pki.ca },
    });
    expect(await client.connect()).toBe('ocpp2.0.1');
    await expect(client.call('ocpp2.0.1', 'Heartbeat', {})).resolves.toHaveProperty('currentTime');
    const untrusted = startClient(`wss://localhost:${port}/ocpp`, { protocols: ['ocpp2.0.1'], tls: { ca: pki.otherCa } });
    await expect(untrusted.connect()).rejects.toMatchObject({ name: 'ConnectionFailedError', retryable: true });
  });

  it('authenticates with a client certificate (security profile 3)', async () => {
    const https = createHttpsServer({
      cert: pki.serverCert,
      key: pki.serverKey,
      ca: pki.ca,
      requestCert: true,
      rejectUnauthorized: false,
    });
    const server = new OCPPServer({ server: https, protocols: ['ocpp2.0.1'], securityProfile: 3, pingIntervalMs: 0 });
    const identities: string[] = [];
    server.on('client', (sc: ServerClient) => identities.push(sc.identity));
    await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => https.close(r)));
    cleanups.push(() => server.close());
    const port = (https.address() as AddressInfo).port;
    const client = startClient(`wss://127.0.0.1:${port}/ocpp`, {
      identity: 'CP-MTLS',
      protocols: ['ocpp2.0.1'],
      tls: { ca: pki.ca, cert: pki.clientCert, key: pki.clientKey },
    });
    expect(await client.connect()).toBe('ocpp2.0.1');
    expect(identities).toEqual(['CP-MTLS']);
    const noCert = startClient(`wss://127.0.0.1:${port}/ocpp`, { identity: 'CP-MTLS', protocols: ['ocpp2.0.1'], tls: { ca: pki.ca } });
    const err = await noCert.connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionRefusedError);
    expect((err as ConnectionRefusedError).retryable).toBe(false);
  });
});
