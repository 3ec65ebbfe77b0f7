import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OCPPClient } from '@chargewire/client';
import { DEMO_ID_TAG } from './seed.js';
import { NOW, eventually, startTestCsms, type TestCsms } from './testing/harness.fixture.js';

interface Tx {
  id: number;
  chargerId: string;
  connectorId: number;
  idTag: string | null;
  authStatus: string | null;
  active: boolean;
  energyWh: number;
  meterStopWh: number | null;
  stopReason: string | null;
  closedBy: string | null;
  ocppTransactionId: string;
}

const register = (kwh: number) => [
  { timestamp: NOW(), sampledValue: [{ value: String(kwh), unit: 'kWh' as const, measurand: 'Energy.Active.Import.Register' as const }] },
];

/**
 * Real-charger quirks (issue 21): each test drives a charger over a real socket through what real
 * chargers do, then checks what the store holds.
 */
describe('transactions stay right when chargers misbehave', () => {
  let t: TestCsms;
  beforeEach(async () => {
    t = await startTestCsms();
  });
  afterEach(async () => {
    await t.stop();
  });

  const boot16 = async (id: string): Promise<OCPPClient> => {
    const cp = t.charger(id, 'ocpp1.6');
    cp.handle('ocpp1.6', 'Reset', () => ({ status: 'Accepted' }));
    cp.handle('ocpp1.6', 'RemoteStopTransaction', () => ({ status: 'Accepted' }));
    await cp.connect();
    expect((await cp.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'One' })).status).toBe('Accepted');
    return cp;
  };
  const tx = async (id: number): Promise<Tx> => (await t.api<Tx>('GET', `/api/v1/transactions/${id}`)).body;
  const active = async (): Promise<Tx[]> => (await t.api<{ items: Tx[] }>('GET', '/api/v1/transactions?status=active')).body.items;

  it('a start answered ConcurrentTx and dropped without StopTransaction is refused, never active, and never blocks the tag', async () => {
    const a = await boot16('CP-A');
    const b = await boot16('CP-B');
    const first = await a.call('ocpp1.6', 'StartTransaction', { connectorId: 1, idTag: DEMO_ID_TAG, meterStart: 0, timestamp: NOW() });
    expect(first.idTagInfo.status).toBe('Accepted');
    // The quirk: charger B is told ConcurrentTx and simply drops the transaction, three times over.
    const refused: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = await b.call('ocpp1.6', 'StartTransaction', { connectorId: 1, idTag: DEMO_ID_TAG, meterStart: 100 * i, timestamp: NOW() });
      expect(start.idTagInfo.status).toBe('ConcurrentTx');
      refused.push(start.transactionId);
    }
    for (const id of refused) {
      expect(await tx(id)).toMatchObject({ active: false, authStatus: 'ConcurrentTx', stopReason: 'refused (ConcurrentTx)', closedBy: 'csms', energyWh: 0 });
    }
    expect((await active()).map((x) => x.id)).toEqual([first.transactionId]);

    await a.call('ocpp1.6', 'StopTransaction', { transactionId: first.transactionId, meterStop: 2000, timestamp: NOW(), reason: 'Local' });
    // With the accepted one stopped, the tag is free again: the refused ones do not count.
    const again = await b.call('ocpp1.6', 'StartTransaction', { connectorId: 1, idTag: DEMO_ID_TAG, meterStart: 500, timestamp: NOW() });
    expect(again.idTagInfo.status).toBe('Accepted');
    expect((await active()).map((x) => x.id)).toEqual([again.transactionId]);
    // Remote stop of the live one reaches the charger.
    expect((await t.api('POST', '/api/v1/chargers/CP-B/remote-stop', { transactionId: again.transactionId })).body).toMatchObject({ status: 'Accepted' });
  });

  it('a refused start the charger does stop (DeAuthorized) keeps the charger\'s own end', async () => {
    const a = await boot16('CP-A');
    const b = await boot16('CP-B');
    await a.call('ocpp1.6', 'StartTransaction', { connectorId: 1, idTag: DEMO_ID_TAG, meterStart: 0, timestamp: NOW() });
    const start = await b.call('ocpp1.6', 'StartTransaction', { connectorId: 2, idTag: DEMO_ID_TAG, meterStart: 1000, timestamp: NOW() });
    expect(start.idTagInfo.status).toBe('ConcurrentTx');
    await b.call('ocpp1.6', 'StopTransaction', { transactionId: start.transactionId, meterStop: 1010, timestamp: NOW(), reason: 'DeAuthorized' });
    expect(await tx(start.transactionId)).toMatchObject({ active: false, authStatus: 'ConcurrentTx', stopReason: 'DeAuthorized', closedBy: 'charger', energyWh: 10 });
  });

  it('a new transaction on a connector closes an older one still open there', async () => {
    const cp = await boot16('CP-S');
    const old = await cp.call('ocpp1.6', 'StartTransaction', { connectorId: 1, idTag: DEMO_ID_TAG, meterStart: 1000, timestamp: NOW() });
    await cp.call('ocpp1.6', 'MeterValues', { connectorId: 1, transactionId: old.transactionId, meterValue: register(1.4) });
    const other = await cp.call('ocpp1.6', 'StartTransaction', { connectorId: 2, idTag: 'OTHER-TAG', meterStart: 0, timestamp: NOW() });
    expect((await t.api('POST', '/api/v1/id-tags', { idTag: 'TAG-2' })).status).toBe(201);
    const next = await cp.call('ocpp1.6', 'StartTransaction', { connectorId: 1, idTag: 'TAG-2', meterStart: 1500, timestamp: NOW() });
    expect(next.idTagInfo.status).toBe('Accepted');
    expect(await tx(old.transactionId)).toMatchObject({
      active: false, closedBy: 'csms', stopReason: `superseded by transaction ${next.transactionId}`, meterStopWh: 1400, energyWh: 400,
    });
    // Another connector's transaction (refused: unknown tag) is not touched by it.
    expect(await tx(other.transactionId)).toMatchObject({ active: false, authStatus: 'Unknown', stopReason: 'refused (Invalid)' });
    expect((await active()).map((x) => x.id)).toEqual([next.transactionId]);
  });

  it('1.6: a hard reset without StopTransaction, then boot and Available, closes the transaction at its last meter value', async () => {
    const cp = await boot16('CP-H');
    const start = await cp.call('ocpp1.6', 'StartTransaction', { connectorId: 1, idTag: DEMO_ID_TAG, meterStart: 1000, timestamp: NOW() });
    await cp.call('ocpp1.6', 'MeterValues', { connectorId: 1, transactionId: start.transactionId, meterValue: register(3.25) });
    expect((await t.api('POST', '/api/v1/chargers/CP-H/reset', { type: 'Hard' })).body).toMatchObject({ status: 'Accepted' });
    // The charger reboots: the socket drops, no StopTransaction is ever sent.
    await cp.close({ force: true });
    await eventually(async () => !(await t.api<{ connected: boolean }>('GET', '/api/v1/chargers/CP-H')).body.connected);
    expect(await tx(start.transactionId)).toMatchObject({ active: true });
    const rebooted = await boot16('CP-H');
    expect(await tx(start.transactionId)).toMatchObject({ active: false, closedBy: 'csms', stopReason: 'charger rebooted', meterStopWh: 3250, energyWh: 2250 });
    await rebooted.call('ocpp1.6', 'StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: NOW() });
    expect(await tx(start.transactionId)).toMatchObject({ stopReason: 'charger rebooted' });
    expect(await active()).toEqual([]);
    // The tag is free for the next session.
    const next = await rebooted.call('ocpp1.6', 'StartTransaction', { connectorId: 1, idTag: DEMO_ID_TAG, meterStart: 3250, timestamp: NOW() });
    expect(next.idTagInfo.status).toBe('Accepted');
  });

  it('1.6: a connector reported Available closes the transaction the charger left open there', async () => {
    const cp = await boot16('CP-V');
    const start = await cp.call('ocpp1.6', 'StartTransaction', { connectorId: 2, idTag: DEMO_ID_TAG, meterStart: 0, timestamp: NOW() });
    await cp.call('ocpp1.6', 'MeterValues', { connectorId: 2, transactionId: start.transactionId, meterValue: register(0.5) });
    await cp.call('ocpp1.6', 'StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available', timestamp: NOW() });
    expect(await tx(start.transactionId)).toMatchObject({ active: true });
    await cp.call('ocpp1.6', 'StatusNotification', { connectorId: 2, errorCode: 'NoError', status: 'Available', timestamp: NOW() });
    expect(await tx(start.transactionId)).toMatchObject({ active: false, closedBy: 'csms', stopReason: 'connector available', energyWh: 500 });
    // The StopTransaction it sends late (from its offline queue) replaces the inferred end.
    await cp.call('ocpp1.6', 'StopTransaction', { transactionId: start.transactionId, meterStop: 600, timestamp: NOW(), reason: 'EVDisconnected' });
    expect(await tx(start.transactionId)).toMatchObject({ closedBy: 'charger', stopReason: 'EVDisconnected', energyWh: 600 });
  });

  it('2.0.1: TransactionEvents without idToken after a remote start are bound to its token; the tag is refused on a second charger', async () => {
    const cs = t.charger('CS-R', 'ocpp2.0.1');
    const remoteStartIds: number[] = [];
    cs.handle('ocpp2.0.1', 'RequestStartTransaction', ({ params }) => (remoteStartIds.push(params.remoteStartId), { status: 'Accepted' }));
    await cs.connect();
    await cs.call('ocpp2.0.1', 'BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'Acme', model: 'Two' } });
    const remote = await t.api<{ status: string; remoteStartId: number }>('POST', '/api/v1/chargers/CS-R/remote-start', { connectorId: 1, idTag: DEMO_ID_TAG });
    expect(remote.body.status).toBe('Accepted');
    expect(remoteStartIds).toEqual([remote.body.remoteStartId]);
    // The quirk: the events name the remoteStartId but carry no idToken.
    const started = await cs.call('ocpp2.0.1', 'TransactionEvent', {
      eventType: 'Started', timestamp: NOW(), triggerReason: 'RemoteStart', seqNo: 0,
      transactionInfo: { transactionId: 'rs-1', remoteStartId: remote.body.remoteStartId, chargingState: 'Charging' }, evse: { id: 1, connectorId: 1 },
    });
    expect(started.idTokenInfo).toBeUndefined();
    await cs.call('ocpp2.0.1', 'TransactionEvent', {
      eventType: 'Updated', timestamp: NOW(), triggerReason: 'MeterValuePeriodic', seqNo: 1, transactionInfo: { transactionId: 'rs-1' },
    });
    const [live] = await active();
    expect(live).toMatchObject({ chargerId: 'CS-R', ocppTransactionId: 'rs-1', idTag: DEMO_ID_TAG, authStatus: 'Accepted', active: true });

    // The same tag on a second charger, of either version, while the first charges: ConcurrentTx.
    const cp = await boot16('CP-2');
    expect((await cp.call('ocpp1.6', 'StartTransaction', { connectorId: 1, idTag: DEMO_ID_TAG, meterStart: 0, timestamp: NOW() })).idTagInfo.status).toBe('ConcurrentTx');
    const cs2 = t.charger('CS-2', 'ocpp2.0.1');
    await cs2.connect();
    await cs2.call('ocpp2.0.1', 'BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'Acme', model: 'Two' } });
    const second = await cs2.call('ocpp2.0.1', 'TransactionEvent', {
      eventType: 'Started', timestamp: NOW(), triggerReason: 'Authorized', seqNo: 0, transactionInfo: { transactionId: 'other-1' },
      evse: { id: 1, connectorId: 1 }, idToken: { idToken: DEMO_ID_TAG, type: 'ISO14443' },
    });
    expect(second.idTokenInfo?.status).toBe('ConcurrentTx');
    expect((await active()).filter((x) => x.authStatus === 'Accepted').map((x) => x.chargerId)).toEqual(['CS-R']);
  });

  it('2.0.1: Available ends a transaction that had an EV connected, not one still waiting for the cable', async () => {
    const cs = t.charger('CS-A', 'ocpp2.0.1');
    await cs.connect();
    await cs.call('ocpp2.0.1', 'BootNotification', { reason: 'PowerUp', chargingStation: { vendorName: 'Acme', model: 'Two' } });
    const event = (id: string, evse: number, chargingState: 'Charging' | 'Idle') =>
      cs.call('ocpp2.0.1', 'TransactionEvent', {
        eventType: 'Started', timestamp: NOW(), triggerReason: 'Authorized', seqNo: 0, transactionInfo: { transactionId: id, chargingState },
        evse: { id: evse, connectorId: 1 }, meterValue: [{ timestamp: NOW(), sampledValue: [{ value: 100, context: 'Transaction.Begin', measurand: 'Energy.Active.Import.Register' }] }],
      });
    await event('plugged', 1, 'Charging');
    await event('waiting', 2, 'Idle');
    for (const evseId of [1, 2]) {
      await cs.call('ocpp2.0.1', 'StatusNotification', { timestamp: NOW(), connectorStatus: 'Available', evseId, connectorId: 1 });
    }
    const all = (await t.api<{ items: Tx[] }>('GET', '/api/v1/transactions?chargerId=CS-A')).body.items;
    expect(all.find((x) => x.ocppTransactionId === 'plugged')).toMatchObject({ active: false, stopReason: 'connector available', closedBy: 'csms' });
    expect(all.find((x) => x.ocppTransactionId === 'waiting')).toMatchObject({ active: true });
    // A BootNotification answering TriggerMessage is no reboot; any other is.
    await cs.call('ocpp2.0.1', 'BootNotification', { reason: 'Triggered', chargingStation: { vendorName: 'Acme', model: 'Two' } });
    expect((await active()).map((x) => x.ocppTransactionId)).toEqual(['waiting']);
    await cs.call('ocpp2.0.1', 'BootNotification', { reason: 'RemoteReset', chargingStation: { vendorName: 'Acme', model: 'Two' } });
    expect(await active()).toEqual([]);
  });

  it('operators force-close a transaction over REST, with a reason; cross-site and anonymous requests are refused', async () => {
    const cp = await boot16('CP-F');
    const start = await cp.call('ocpp1.6', 'StartTransaction', { connectorId: 1, idTag: DEMO_ID_TAG, meterStart: 200, timestamp: NOW() });
    await cp.call('ocpp1.6', 'MeterValues', { connectorId: 1, transactionId: start.transactionId, meterValue: register(0.7) });
    const path = `/api/v1/transactions/${start.transactionId}/close`;
    expect((await t.api('POST', path, { reason: 'x' }, { authorization: '' })).status).toBe(401);
    expect((await t.api('POST', path, { reason: 'x' }, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await t.api('POST', path, { reason: 'x'.repeat(201) })).status).toBe(400);
    expect((await t.api('POST', path, { colour: 'red' })).status).toBe(400);
    expect((await t.api('POST', '/api/v1/transactions/999999/close', {})).status).toBe(404);
    expect(await tx(start.transactionId)).toMatchObject({ active: true });

    const closed = await t.api<Tx>('POST', path, { reason: 'charger replaced' });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ active: false, closedBy: 'operator', stopReason: 'charger replaced', meterStopWh: 700, energyWh: 500 });
    expect((await t.api<{ error: string }>('POST', path, {})).body).toMatchObject({ error: 'TransactionNotActive' });
    expect(await active()).toEqual([]);

    const other = await cp.call('ocpp1.6', 'StartTransaction', { connectorId: 2, idTag: DEMO_ID_TAG, meterStart: 0, timestamp: NOW() });
    expect(other.idTagInfo.status).toBe('Accepted');
    expect((await t.api<Tx>('POST', `/api/v1/transactions/${other.transactionId}/close`)).body).toMatchObject({ stopReason: 'closed by operator', closedBy: 'operator' });
  });
});
