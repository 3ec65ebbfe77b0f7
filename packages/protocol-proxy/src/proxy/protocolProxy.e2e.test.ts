/**
 * End to end over real sockets: a 1.6 OCPPClient (strict) → the proxy → a 2.0.1-only OCPPServer (strict).
 */
import { OCPPClient } from '@chargewire/client';
import { RpcError } from '@chargewire/rpc-core';
import { OCPPServer, type ServerClient } from '@chargewire/server';
import { afterEach, describe, expect, it } from 'vitest';
import { createProtocolProxy, type ProtocolProxy, type TranslationEvent } from './protocolProxy.js';
import type { ProtocolProxyOptions } from './options.js';

const PASSWORD = 'charger-secret-0123456789';
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Backend {
  server: OCPPServer;
  url: string;
  port: number;
  received: Array<{ action: string; params: any }>;
  client(identity: string): Promise<ServerClient>;
  /** Resolves with the params of the next call of this action the backend receives. */
  next(action: string): Promise<any>;
}

async function startBackend(port = 0): Promise<Backend> {
  const server = new OCPPServer({ protocols: ['ocpp2.0.1'], strictMode: true, pingIntervalMs: 0 });
  server.auth((ctx) => (ctx.handshake.password?.toString() === PASSWORD ? ctx.accept() : ctx.reject(401)));
  const received: Backend['received'] = [];
  const clients = new Map<string, ServerClient>();
  const waiters = new Map<string, Array<(c: ServerClient) => void>>();
  const callWaiters: Array<{ action: string; resolve: (params: unknown) => void }> = [];
  server.on('client', (sc: ServerClient) => {
    clients.set(sc.identity, sc);
    for (const w of waiters.get(sc.identity) ?? []) w(sc);
    waiters.delete(sc.identity);
    sc.handle(({ action, params }) => {
      received.push({ action, params });
      const waiter = callWaiters.findIndex((w) => w.action === action);
      if (waiter >= 0) callWaiters.splice(waiter, 1)[0]?.resolve(params);
      const now = new Date().toISOString();
      switch (action) {
        case 'BootNotification':
          return { status: 'Accepted', currentTime: now, interval: 300 };
        case 'Heartbeat':
          return { currentTime: now };
        case 'Authorize':
          return { idTokenInfo: { status: (params as any).idToken.idToken === 'BLOCKED' ? 'Blocked' : 'Accepted' } };
        case 'TransactionEvent':
          return (params as any).eventType === 'Updated' ? {} : { idTokenInfo: { status: 'Accepted' } };
        default:
          return {};
      }
    });
  });
  const address = await server.listen(port, '127.0.0.1');
  cleanups.push(() => server.close());
  return {
    server,
    port: address.port,
    url: `ws://127.0.0.1:${address.port}/ocpp`,
    received,
    next: (action) => new Promise((resolve) => callWaiters.push({ action, resolve })),
    client: (identity) => {
      const existing = clients.get(identity);
      if (existing?.connected) return Promise.resolve(existing);
      return new Promise((resolve) => waiters.set(identity, [...(waiters.get(identity) ?? []), resolve]));
    },
  };
}

async function startProxy(backend: Backend, options: Partial<ProtocolProxyOptions> = {}): Promise<{ proxy: ProtocolProxy; url: string; events: TranslationEvent[] }> {
  const proxy = createProtocolProxy({
    upstream: { url: backend.url, protocol: 'ocpp2.0.1', backoff: { initialMs: 20, maxMs: 200, jitter: 'none' }, pingIntervalMs: 0 },
    downstream: { pingIntervalMs: 0 },
    ...options,
  });
  const events: TranslationEvent[] = [];
  proxy.on('translation', (e: TranslationEvent) => events.push(e));
  const address = await proxy.listen();
  cleanups.push(() => proxy.close());
  return { proxy, url: `ws://127.0.0.1:${address.port}/ocpp16`, events };
}

function charger(url: string, identity = 'CP-1', password: string = PASSWORD): OCPPClient {
  const client = new OCPPClient({ endpoint: url, identity, protocols: ['ocpp1.6'], password, strictMode: true, reconnect: false, pingIntervalMs: 0 });
  client.on('error', () => undefined);
  cleanups.push(() => client.close({ force: true }));
  return client;
}

const now = () => new Date().toISOString();

describe('protocol proxy end to end', () => {
  it('boot, authorize, a full transaction, remote start/stop, configuration, reset and an unmappable call', async () => {
    const backend = await startBackend();
    const { url, events } = await startProxy(backend);
    const cp = charger(url);
    const config = new Map([['HeartbeatInterval', '300'], ['AuthorizeRemoteTxRequests', 'false']]);
    const seen: Array<{ action: string; params: any }> = [];
    cp.handle(({ action, params }) => {
      seen.push({ action, params });
      switch (action) {
        case 'RemoteStartTransaction':
        case 'RemoteStopTransaction':
        case 'Reset':
          return { status: 'Accepted' };
        case 'GetConfiguration': {
          const keys = ((params as { key?: string[] }).key ?? [...config.keys()]);
          return {
            configurationKey: keys.filter((k) => config.has(k)).map((k) => ({ key: k, readonly: false, value: config.get(k) })),
            unknownKey: keys.filter((k) => !config.has(k)),
          };
        }
        case 'ChangeConfiguration': {
          const { key, value } = params as { key: string; value: string };
          if (!config.has(key)) return { status: 'NotSupported' };
          config.set(key, value);
          return { status: 'Accepted' };
        }
        default:
          throw new RpcError('NotImplemented', action);
      }
    });
    expect(await cp.connect()).toBe('ocpp1.6');
    const upstream = await backend.client('CP-1');
    expect(upstream.protocol).toBe('ocpp2.0.1');

    // Boot and authorize.
    expect(await cp.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'ACME', chargePointModel: 'X1', chargePointSerialNumber: 'SN-1' })).toMatchObject({ status: 'Accepted', interval: 300 });
    expect(backend.received.at(-1)).toEqual({ action: 'BootNotification', params: { reason: 'PowerUp', chargingStation: { vendorName: 'ACME', model: 'X1', serialNumber: 'SN-1' } } });
    expect(await cp.call('ocpp1.6', 'Authorize', { idTag: 'BLOCKED' })).toEqual({ idTagInfo: { status: 'Blocked' } });
    expect(backend.received.at(-1)?.params).toEqual({ idToken: { idToken: 'BLOCKED', type: 'ISO14443' } });

    // Remote start from the backend, then the charger starts the transaction.
    expect(await upstream.call('ocpp2.0.1', 'RequestStartTransaction', { idToken: { idToken: 'TAG-1', type: 'Central' }, remoteStartId: 77, evseId: 1 })).toEqual({ status: 'Accepted' });
    expect(seen.at(-1)).toEqual({ action: 'RemoteStartTransaction', params: { idTag: 'TAG-1', connectorId: 1 } });
    const start = await cp.call('ocpp1.6', 'StartTransaction', { connectorId: 1, idTag: 'TAG-1', meterStart: 1000, timestamp: now() });
    expect(start.idTagInfo.status).toBe('Accepted');
    const started = backend.received.at(-1)?.params;
    expect(started).toMatchObject({ eventType: 'Started', triggerReason: 'RemoteStart', seqNo: 0, transactionInfo: { remoteStartId: 77 }, evse: { id: 1, connectorId: 1 } });
    const txId201: string = started.transactionInfo.transactionId;

    await cp.call('ocpp1.6', 'StatusNotification', { connectorId: 1, status: 'Charging', errorCode: 'NoError' });
    expect(backend.received.slice(-2).map((r) => r.action)).toEqual(['StatusNotification', 'TransactionEvent']);
    expect(backend.received.at(-1)?.params).toMatchObject({ triggerReason: 'ChargingStateChanged', seqNo: 1, transactionInfo: { chargingState: 'Charging' } });
    await cp.call('ocpp1.6', 'MeterValues', {
      connectorId: 1,
      transactionId: start.transactionId,
      meterValue: [{ timestamp: now(), sampledValue: [{ value: '1500', measurand: 'Energy.Active.Import.Register', unit: 'Wh' }, { value: '7.2', measurand: 'Power.Active.Import', unit: 'kW' }] }],
    });
    expect(backend.received.at(-1)?.params).toMatchObject({
      eventType: 'Updated',
      seqNo: 2,
      transactionInfo: { transactionId: txId201 },
      meterValue: [{ sampledValue: [{ value: 1500 }, { value: 7.2, measurand: 'Power.Active.Import', unitOfMeasure: { unit: 'kW' } }] }],
    });

    // Remote stop: the backend's string id reaches the charger as the integer it was given.
    expect(await upstream.call('ocpp2.0.1', 'RequestStopTransaction', { transactionId: txId201 })).toEqual({ status: 'Accepted' });
    expect(seen.at(-1)).toEqual({ action: 'RemoteStopTransaction', params: { transactionId: start.transactionId } });
    expect(await cp.call('ocpp1.6', 'StopTransaction', { transactionId: start.transactionId, meterStop: 2600, timestamp: now(), reason: 'Remote' })).toEqual({ idTagInfo: { status: 'Accepted' } });
    expect(backend.received.at(-1)?.params).toMatchObject({ eventType: 'Ended', seqNo: 3, triggerReason: 'RemoteStop', transactionInfo: { transactionId: txId201, stoppedReason: 'Remote' } });

    // Configuration get/set through the key table.
    const got = await upstream.call('ocpp2.0.1', 'GetVariables', {
      getVariableData: [
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } },
        { component: { name: 'AuthCtrlr' }, variable: { name: 'AuthorizeRemoteStart' } },
        { component: { name: 'TxCtrlr' }, variable: { name: 'EVConnectionTimeOut' } },
      ],
    });
    expect(got.getVariableResult.map((r) => [r.attributeStatus, r.attributeValue])).toEqual([['Accepted', '300'], ['Accepted', 'false'], ['UnknownVariable', undefined]]);
    const set = await upstream.call('ocpp2.0.1', 'SetVariables', {
      setVariableData: [
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, attributeValue: '60' },
        { component: { name: 'TxCtrlr' }, variable: { name: 'EVConnectionTimeOut' }, attributeValue: '30' },
      ],
    });
    expect(set.setVariableResult.map((r) => r.attributeStatus)).toEqual(['Accepted', 'UnknownVariable']);
    expect(config.get('HeartbeatInterval')).toBe('60');

    // A base report built from GetConfiguration arrives after the answer.
    const report = backend.next('NotifyReport');
    expect(await upstream.call('ocpp2.0.1', 'GetBaseReport', { requestId: 5, reportBase: 'ConfigurationInventory' })).toEqual({ status: 'Accepted' });
    expect(await report).toMatchObject({
      requestId: 5,
      reportData: expect.arrayContaining([expect.objectContaining({ variable: { name: 'HeartbeatInterval' }, variableAttribute: [{ type: 'Actual', value: '60', mutability: 'ReadWrite' }] })]),
    });

    // Reset.
    expect(await upstream.call('ocpp2.0.1', 'Reset', { type: 'OnIdle' })).toEqual({ status: 'Accepted' });
    expect(seen.at(-1)).toEqual({ action: 'Reset', params: { type: 'Soft' } });

    // Unmappable: a CALLERROR NotSupported naming the action, the charger never sees it.
    const before = seen.length;
    const err = await upstream.call('ocpp2.0.1', 'SetDisplayMessage', { message: { id: 1, priority: 'AlwaysFront', message: { format: 'UTF8', content: 'hi' } } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect(err).toMatchObject({ code: 'NotSupported', description: expect.stringContaining('SetDisplayMessage') });
    expect(seen.length).toBe(before);

    // Every call produced one translation event, with latency.
    expect(events.find((e) => e.actionIn === 'StartTransaction')).toMatchObject({ direction: 'charger', actionsOut: ['TransactionEvent'], ok: true });
    expect(events.find((e) => e.actionIn === 'SetDisplayMessage')).toMatchObject({ direction: 'backend', ok: false, errorCode: 'NotSupported' });
    expect(events.every((e) => e.latencyMs >= 0)).toBe(true);
  });

  it('Reset OnIdle during a transaction is Scheduled and reaches the charger as Soft once the transaction ended', async () => {
    const backend = await startBackend();
    const { url } = await startProxy(backend);
    const cp = charger(url, 'CP-R');
    const resets: unknown[] = [];
    let resetSeen: () => void = () => undefined;
    const gotReset = new Promise<void>((resolve) => (resetSeen = resolve));
    cp.handle('ocpp1.6', 'Reset', ({ params }) => {
      resets.push(params);
      resetSeen();
      return { status: 'Accepted' };
    });
    await cp.connect();
    const upstream = await backend.client('CP-R');
    const { transactionId } = await cp.call('ocpp1.6', 'StartTransaction', { connectorId: 1, idTag: 'TAG', meterStart: 0, timestamp: now() });
    expect(await upstream.call('ocpp2.0.1', 'Reset', { type: 'OnIdle' })).toEqual({ status: 'Scheduled' });
    expect(resets).toEqual([]);
    await cp.call('ocpp1.6', 'StopTransaction', { transactionId, meterStop: 10, timestamp: now() });
    await gotReset;
    expect(resets).toEqual([{ type: 'Soft' }]);
  });

  it('passes the charger credentials upstream: the backend refusal reaches the charger as 401', async () => {
    const backend = await startBackend();
    const { url } = await startProxy(backend);
    await expect(charger(url, 'CP-2', 'wrong-password-0123456').connect()).rejects.toMatchObject({ status: 401 });
  });

  it('re-credentials chargers with a per-charger password function', async () => {
    const backend = await startBackend();
    const { url } = await startProxy(backend, { auth: { upstreamPassword: () => PASSWORD, verify: (hs) => hs.identity.startsWith('CP-') } });
    await expect(charger(url, 'CP-3', 'whatever-the-charger-has-1').connect()).resolves.toBe('ocpp1.6');
    await expect(charger(url, 'XX-1').connect()).rejects.toMatchObject({ status: 401 });
  });

  it('refuses a charger with 503 when the backend is unreachable', async () => {
    const backend = await startBackend();
    const { url } = await startProxy(backend);
    await backend.server.close();
    await expect(charger(url, 'CP-4').connect()).rejects.toMatchObject({ status: 503 });
  });

  it('keeps the charger while the upstream reconnects and answers each call once', async () => {
    const backend = await startBackend();
    const { proxy, url } = await startProxy(backend, { upstreamWaitMs: 15_000 });
    const cp = charger(url, 'CP-5');
    await cp.connect();
    const first = await backend.client('CP-5');
    const dropped = new Promise((resolve) => proxy.once('upstreamDisconnect', resolve));
    const reconnected = new Promise((resolve) => proxy.once('upstreamReconnect', resolve));
    first.close(1012, 'restart');
    await dropped;
    // A call made during the outage waits for the upstream and is answered once.
    const beat = await cp.call('ocpp1.6', 'Heartbeat', {});
    expect(typeof beat.currentTime).toBe('string');
    await reconnected;
    expect(backend.received.filter((r) => r.action === 'Heartbeat')).toHaveLength(1);
    expect(cp.state).toBe('open');
  });

  it('with whenUpstreamDown "disconnect" the charger is disconnected when the backend goes away', async () => {
    const backend = await startBackend();
    const { url } = await startProxy(backend, { whenUpstreamDown: 'disconnect' });
    const cp = charger(url, 'CP-6');
    await cp.connect();
    const closed = new Promise<{ code: number }>((resolve) => cp.once('close', resolve));
    (await backend.client('CP-6')).close(1012, 'restart');
    expect((await closed).code).toBe(1013);
  });

  it('answers the charger with a CALLERROR when the backend stays away', async () => {
    const backend = await startBackend();
    const { proxy, url } = await startProxy(backend, { upstreamWaitMs: 200 });
    const cp = charger(url, 'CP-7');
    await cp.connect();
    const dropped = new Promise((resolve) => proxy.once('upstreamDisconnect', resolve));
    await backend.server.close();
    await dropped;
    const err = await cp.call('ocpp1.6', 'Heartbeat', {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'InternalError', description: expect.stringContaining('unreachable') });
  });

  it('runs middleware before and after translation', async () => {
    const backend = await startBackend();
    const logged: object[] = [];
    const noop = () => undefined;
    const { proxy, url } = await startProxy(backend, { logger: { debug: (obj: object) => void logged.push(obj), info: noop, warn: noop, error: noop } });
    const log: string[] = [];
    proxy.use(async (ctx, next) => {
      log.push(`before ${ctx.direction} ${ctx.action}`);
      if (ctx.action === 'DataTransfer') {
        ctx.result = { status: 'Rejected' };
        return;
      }
      await next();
      log.push(`after ${ctx.action} → ${ctx.calls?.map((c) => c.action).join(',')}`);
    });
    const cp = charger(url, 'CP-8');
    await cp.connect();
    await cp.call('ocpp1.6', 'Heartbeat', {});
    expect(await cp.call('ocpp1.6', 'DataTransfer', { vendorId: 'acme' })).toEqual({ status: 'Rejected' });
    expect(log).toEqual(['before charger Heartbeat', 'after Heartbeat → Heartbeat', 'before charger DataTransfer']);
    expect(backend.received.some((r) => r.action === 'DataTransfer')).toBe(false);
    expect(logged.filter((o) => (o as { event?: string }).event === 'translation')).toEqual([
      expect.objectContaining({ actionIn: 'Heartbeat', actionsOut: ['Heartbeat'], ok: true }),
      expect.objectContaining({ actionIn: 'DataTransfer', actionsOut: [], ok: true }),
    ]);
  });

  it('a second connection of the same identity replaces the first on both legs', async () => {
    const backend = await startBackend();
    const { proxy, url } = await startProxy(backend);
    const first = charger(url, 'CP-9');
    await first.connect();
    const firstClosed = new Promise<{ code: number }>((resolve) => first.once('close', resolve));
    const second = charger(url, 'CP-9');
    await second.connect();
    await firstClosed;
    expect(await second.call('ocpp1.6', 'Heartbeat', {})).toHaveProperty('currentTime');
    expect(proxy.sessions.size).toBe(1);
    expect([...backend.server.clients.keys()]).toEqual(['CP-9']);
    const upstream = await backend.client('CP-9');
    second.handle('ocpp1.6', 'ClearCache', () => ({ status: 'Accepted' }));
    expect(await upstream.call('ocpp2.0.1', 'ClearCache', {})).toEqual({ status: 'Accepted' });
  });

  it('a refused connection attempt under an existing identity does not disturb the connected charger', async () => {
    const backend = await startBackend();
    const { url } = await startProxy(backend);
    const legit = charger(url, 'CP-10');
    await legit.connect();
    await expect(charger(url, 'CP-10', 'not-the-password-000000').connect()).rejects.toMatchObject({ status: 401 });
    expect(legit.state).toBe('open');
    expect(await legit.call('ocpp1.6', 'Heartbeat', {})).toHaveProperty('currentTime');
  });
});
