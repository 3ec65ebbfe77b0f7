/** TLS on both legs and several proxy instances sharing one Redis session store. */
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { OCPPClient } from '@chargewire/client';
import { OCPPServer, type ServerClient } from '@chargewire/server';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RedisSessionStore } from '../store/redisSessionStore.js';
import { generateTestCertificates } from '@chargewire/server/testing';
import { createProtocolProxy } from './protocolProxy.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const redis = new Redis({ host: '127.0.0.1', port: 6379, maxRetriesPerRequest: 2 });
const prefix = `test:proxy-e2e:${randomUUID()}:`;
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

function recordingBackend(server: OCPPServer, received: Array<{ action: string; params: any }>): void {
  server.on('client', (sc: ServerClient) =>
    sc.handle(({ action, params }) => {
      received.push({ action, params });
      if (action === 'BootNotification') return { status: 'Accepted', currentTime: new Date().toISOString(), interval: 60 };
      if (action === 'TransactionEvent') return (params as { eventType: string }).eventType === 'Updated' ? {} : { idTokenInfo: { status: 'Accepted' } };
      return {};
    }),
  );
}

function charger(url: string, identity: string, tls?: { ca: string | Buffer }): OCPPClient {
  const cp = new OCPPClient({ endpoint: url, identity, protocols: ['ocpp1.6'], reconnect: false, pingIntervalMs: 0, ...(tls && { tls }) });
  cp.on('error', () => undefined);
  cleanups.push(() => cp.close({ force: true }));
  return cp;
}

describe('protocol proxy transport', () => {
  it('speaks TLS to the charger and to the backend', async () => {
    const pki = generateTestCertificates();
    cleanups.push(async () => pki.cleanup());
    const https = createHttpsServer({ key: pki.serverKey, cert: pki.serverCert });
    const backend = new OCPPServer({ protocols: ['ocpp2.0.1'], server: https, pingIntervalMs: 0 });
    const received: Array<{ action: string; params: any }> = [];
    recordingBackend(backend, received);
    await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      await backend.close();
      await new Promise((resolve) => https.close(resolve));
    });
    const proxy = createProtocolProxy({
      tls: { key: pki.serverKey, cert: pki.serverCert },
      upstream: { url: `wss://127.0.0.1:${(https.address() as AddressInfo).port}/csms`, tls: { ca: pki.ca }, pingIntervalMs: 0 },
      downstream: { pingIntervalMs: 0 },
    });
    const address = await proxy.listen();
    cleanups.push(() => proxy.close());
    const cp = charger(`wss://127.0.0.1:${address.port}/ocpp`, 'CP-TLS', { ca: pki.ca });
    await cp.connect();
    expect(await cp.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' })).toMatchObject({ status: 'Accepted' });
    expect(received.map((r) => r.action)).toEqual(['BootNotification']);
    const secure = [...backend.clients.values()][0]?.handshake.secure;
    expect(secure).toBe(true);
  });

  it('lets a transaction started through one proxy instance end through another (shared Redis store)', async () => {
    const backend = new OCPPServer({ protocols: ['ocpp2.0.1'], pingIntervalMs: 0 });
    const received: Array<{ action: string; params: any }> = [];
    recordingBackend(backend, received);
    const backendPort = (await backend.listen(0, '127.0.0.1')).port;
    cleanups.push(() => backend.close());
    const make = async () => {
      const proxy = createProtocolProxy({
        upstream: { url: `ws://127.0.0.1:${backendPort}/csms`, pingIntervalMs: 0 },
        downstream: { pingIntervalMs: 0 },
        translator: { store: new RedisSessionStore({ redis, keyPrefix: prefix }) },
      });
      const { port } = await proxy.listen();
      cleanups.push(() => proxy.close());
      return `ws://127.0.0.1:${port}/ocpp`;
    };
    const [urlA, urlB] = [await make(), await make()];
    const identity = `CP-${randomUUID().slice(0, 8)}`;
    const a = charger(urlA, identity);
    await a.connect();
    const start = await a.call('ocpp1.6', 'StartTransaction', { connectorId: 1, idTag: 'T', meterStart: 0, timestamp: new Date().toISOString() });
    await a.close();
    const b = charger(urlB, identity);
    await b.connect();
    await b.call('ocpp1.6', 'StopTransaction', { transactionId: start.transactionId, meterStop: 42, timestamp: new Date().toISOString() });
    const events = received.filter((r) => r.action === 'TransactionEvent').map((r) => r.params);
    expect(events.map((e) => [e.eventType, e.seqNo])).toEqual([['Started', 0], ['Ended', 1]]);
    expect(events[1].transactionInfo.transactionId).toBe(events[0].transactionInfo.transactionId);
  });

  it('attaches to an existing HTTP server (its other routes keep working)', async () => {
    const backend = new OCPPServer({ protocols: ['ocpp2.0.1'], pingIntervalMs: 0 });
    recordingBackend(backend, []);
    const backendPort = (await backend.listen(0, '127.0.0.1')).port;
    cleanups.push(() => backend.close());
    const http = createHttpServer((_req, res) => res.end('ok'));
    const proxy = createProtocolProxy({ server: http, upstream: { url: `ws://127.0.0.1:${backendPort}/csms`, pingIntervalMs: 0 }, downstream: { pingIntervalMs: 0 } });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      await proxy.close();
      await new Promise((resolve) => http.close(resolve));
    });
    await expect(proxy.listen()).rejects.toBeInstanceOf(TypeError);
    const port = (http.address() as AddressInfo).port;
    expect(await (await fetch(`http://127.0.0.1:${port}/health`)).text()).toBe('ok');
    const cp = charger(`ws://127.0.0.1:${port}/ocpp`, 'CP-HTTP');
    await cp.connect();
    expect(await cp.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' })).toMatchObject({ status: 'Accepted' });
  });
});
