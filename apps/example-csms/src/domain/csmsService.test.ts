import { describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import { openStore } from '../store/openStore.js';
import { CsmsService } from './csmsService.js';
import type { CsmsEvent } from './events.js';

async function setup(now = '2030-01-01T00:00:00.000Z') {
  const store = await openStore({ databaseFile: ':memory:' });
  const service = new CsmsService({ store, logger: silentLogger, unknownChargers: 'accept', now: () => new Date(now) });
  const events: CsmsEvent[] = [];
  service.on('event', (e) => events.push(e));
  await service.chargerConnected('CP', 'ocpp1.6', 'node', 'conn-1');
  await store.idTags.upsert({ idTag: 'OK', status: 'Accepted', expiryDate: null, parentIdTag: 'GROUP', description: null }, now);
  await store.idTags.upsert({ idTag: 'OLD', status: 'Accepted', expiryDate: '2029-01-01T00:00:00.000Z', parentIdTag: null, description: null }, now);
  await store.idTags.upsert({ idTag: 'BAD', status: 'Blocked', expiryDate: null, parentIdTag: null, description: null }, now);
  return { store, service, events };
}

describe('CsmsService', async () => {
  it('authorizes against the id-tag table, with expiry and parent tags', async () => {
    const { service } = await setup();
    expect(await service.authorize('OK')).toEqual({ status: 'Accepted', parentIdTag: 'GROUP' });
    expect(await service.authorize('OLD')).toEqual({ status: 'Expired', expiryDate: '2029-01-01T00:00:00.000Z' });
    expect(await service.authorize('BAD')).toEqual({ status: 'Blocked' });
    expect(await service.authorize('NONE')).toEqual({ status: 'Unknown' });
  });

  it('answers a re-sent 1.6 StartTransaction with the same transaction and flags a concurrent one', async () => {
    const { service, store } = await setup();
    const input = { connectorId: 1, idTag: 'OK', meterStartWh: 10, timestamp: '2030-01-01T00:00:00.000Z' };
    const first = await service.startTransaction16('CP', input);
    const again = await service.startTransaction16('CP', input);
    expect(again.transaction.id).toBe(first.transaction.id);
    expect(again.authorization.status).toBe('Accepted');
    const other = await service.startTransaction16('CP', { ...input, connectorId: 2 });
    expect(other.authorization.status).toBe('ConcurrentTx');
    expect((await store.transactions.list({ limit: 10, offset: 0 })).total).toBe(2);
  });

  it('answers a StopTransaction for an unknown transaction without failing, and stops a transaction once', async () => {
    const { service, store, events } = await setup();
    expect(await service.stopTransaction16('CP', { transactionId: 999, meterStopWh: 1, timestamp: '2030-01-01T00:00:00.000Z', idTag: 'OK' }, [])).toEqual({
      authorization: { status: 'Accepted', parentIdTag: 'GROUP' },
    });
    const { transaction } = await service.startTransaction16('CP', { connectorId: 1, idTag: 'OK', meterStartWh: 0, timestamp: '2030-01-01T00:00:00.000Z' });
    const stop = { transactionId: transaction.id, meterStopWh: 100, timestamp: '2030-01-01T01:00:00.000Z' };
    await service.stopTransaction16('CP', stop, []);
    await service.stopTransaction16('CP', { ...stop, meterStopWh: 999 }, []);
    expect(await store.transactions.get(transaction.id)).toMatchObject({ energyWh: 100, active: false });
    expect(events.filter((e) => e.type === 'transaction.stopped')).toHaveLength(1);
  });

  it('creates a 2.0.1 transaction from an Updated event whose Started was lost, and tracks energy', async () => {
    const { service, store } = await setup();
    const sample = (value: number, context?: string) => ({ timestamp: '2030-01-01T00:00:00.000Z', measurand: 'Energy.Active.Import.Register', value, unit: 'Wh', context });
    await service.transactionEvent('CP', { eventType: 'Updated', ocppTransactionId: 'T1', timestamp: '2030-01-01T00:00:00.000Z', connectorId: 2, samples: [sample(1000)] });
    await service.transactionEvent('CP', { eventType: 'Updated', ocppTransactionId: 'T1', timestamp: '2030-01-01T00:10:00.000Z', idTag: 'OK', samples: [sample(1600)] });
    const ended = await service.transactionEvent('CP', { eventType: 'Ended', ocppTransactionId: 'T1', timestamp: '2030-01-01T00:20:00.000Z', stoppedReason: 'EVDisconnected', samples: [sample(2000, 'Transaction.End')] });
    expect(ended).toEqual({});
    const tx = await store.transactions.findByOcppId('CP', 'T1');
    expect(tx).toMatchObject({ connectorId: 2, idTag: 'OK', authStatus: 'Accepted', meterStartWh: 1000, meterStopWh: 2000, energyWh: 1000, stopReason: 'EVDisconnected', active: false });
    expect(await store.meterValues.listByTransaction(tx!.id)).toHaveLength(3);
  });

  it('answers Rejected to an unknown charger under the reject policy and does not register it', async () => {
    const store = await openStore({ databaseFile: ':memory:' });
    const service = new CsmsService({ store, logger: silentLogger, unknownChargers: 'reject' });
    await service.chargerConnected('X', 'ocpp2.0.1', 'node', 'c');
    expect(await service.boot('X', { vendor: 'v', model: 'm' })).toMatchObject({ status: 'Rejected', interval: 60 });
    expect(await store.chargers.get('X')).toBeUndefined();
    expect(await service.isAccepted('X')).toBe(false);
  });

  it('fences disconnects by connection id', async () => {
    const { service, store } = await setup();
    await service.chargerConnected('CP', 'ocpp2.0.1', 'node', 'conn-2');
    await service.chargerDisconnected('CP', 'node', 'conn-1', 1000); // the replaced connection closing late
    expect(await store.chargers.get('CP')).toMatchObject({ connected: true, protocol: 'ocpp2.0.1' });
    await service.chargerDisconnected('CP', 'node', 'conn-2', 1006);
    expect((await store.chargers.get('CP'))?.connected).toBe(false);
  });
});
