import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InMemorySessionStore } from '../store/inMemorySessionStore.js';
import { backendExchange, chargerExchange, type Peer } from '../testing/harness.fixture.js';
import { createTranslator, type Translator } from './translator.js';

/**
 * Backend requests a 2.0.1 station answers with a status of its own: what a 1.6 charger would do with the
 * translated request differs (it would stop the transaction, reset at once, or could not address the
 * connector), so the proxy answers as a 2.0.1 station would.
 */

const NOW = '2025-03-01T10:00:00.000Z';
const accept: Peer = () => ({ status: 'Accepted' });
const make = () => createTranslator({ store: new InMemorySessionStore(), now: () => new Date(NOW) });

async function start(t: Translator, connectorId: number, status = 'Accepted'): Promise<number> {
  const ex = await chargerExchange(t, 'CP1', 'StartTransaction', { connectorId, idTag: `TAG-${connectorId}`, meterStart: 0, timestamp: NOW }, () => ({ idTokenInfo: { status } }));
  return (ex.result as { transactionId: number }).transactionId;
}

async function stop(t: Translator, transactionId: number) {
  return chargerExchange(t, 'CP1', 'StopTransaction', { transactionId, meterStop: 10, timestamp: NOW }, () => ({}));
}

describe('UnlockConnector during a transaction (F05.FR.02)', () => {
  it('answers OngoingAuthorizedTransaction without a 1.6 call while an authorized transaction runs on the EVSE', async () => {
    const t = make();
    const id = await start(t, 2);
    const busy = await backendExchange(t, 'CP1', 'UnlockConnector', { evseId: 2, connectorId: 1 }, () => ({ status: 'Unlocked' }));
    expect(busy.calls).toEqual([]);
    expect(busy.result).toEqual({ status: 'OngoingAuthorizedTransaction' });
    // Another EVSE is not affected, and after the stop the unlock goes through.
    expect((await backendExchange(t, 'CP1', 'UnlockConnector', { evseId: 1, connectorId: 1 }, () => ({ status: 'Unlocked' }))).calls).toHaveLength(1);
    await stop(t, id);
    const free = await backendExchange(t, 'CP1', 'UnlockConnector', { evseId: 2, connectorId: 1 }, () => ({ status: 'Unlocked' }));
    expect(free.calls).toEqual([{ action: 'UnlockConnector', params: { connectorId: 2 } }]);
    expect(free.result).toEqual({ status: 'Unlocked' });
  });

  it('forwards the unlock when the backend refused the transaction\'s token (not authorized)', async () => {
    const t = make();
    await start(t, 1, 'Blocked');
    const ex = await backendExchange(t, 'CP1', 'UnlockConnector', { evseId: 1, connectorId: 1 }, () => ({ status: 'Unlocked' }));
    expect(ex.calls).toHaveLength(1);
  });
});

describe('Reset OnIdle with transactions running', () => {
  it('is Scheduled, and the 1.6 Soft reset follows the StopTransaction of the last one', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }), fc.boolean(), async (connectors, resetTwice) => {
        const t = make();
        const ids = [];
        for (const c of connectors) ids.push(await start(t, c));
        const reset = await backendExchange(t, 'CP1', 'Reset', { type: 'OnIdle' }, accept);
        expect(reset.calls).toEqual([]);
        expect(reset.result).toEqual({ status: 'Scheduled' });
        if (resetTwice) expect((await backendExchange(t, 'CP1', 'Reset', { type: 'OnIdle' }, accept)).result).toEqual({ status: 'Scheduled' });
        const followUps = [];
        for (const id of ids) {
          const ex = await stop(t, id);
          followUps.push(ex.followUps ?? []);
        }
        // Only the last stop carries the reset, exactly once.
        expect(followUps.slice(0, -1).every((f) => f.length === 0)).toBe(true);
        expect(followUps.at(-1)).toEqual([{ action: 'Reset', params: { type: 'Soft' } }]);
        // Nothing pending any more: a later stop (a retry) brings no second reset.
        expect((await stop(t, ids.at(-1) as number)).followUps ?? []).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it('Immediate stays immediate and cancels a scheduled OnIdle reset', async () => {
    const t = make();
    const id = await start(t, 1);
    expect((await backendExchange(t, 'CP1', 'Reset', { type: 'OnIdle' }, accept)).result).toEqual({ status: 'Scheduled' });
    const hard = await backendExchange(t, 'CP1', 'Reset', { type: 'Immediate' }, accept);
    expect(hard.calls).toEqual([{ action: 'Reset', params: { type: 'Hard' } }]);
    expect((await stop(t, id)).followUps ?? []).toEqual([]);
  });
});

describe('spec-defined statuses instead of CALLERRORs', () => {
  it.each(['SignV2GCertificate', 'SignCombinedCertificate', 'PublishFirmwareStatusNotification', 'SignChargingStationCertificate'])(
    'TriggerMessage %s (the charger cannot send it) is answered NotImplemented',
    async (requestedMessage) => {
      const ex = await backendExchange(make(), 'CP1', 'TriggerMessage', { requestedMessage }, accept);
      expect(ex.calls).toEqual([]);
      expect(ex.result).toEqual({ status: 'NotImplemented' });
    },
  );

  it('TriggerMessage for a connector a 1.6 charger cannot have is Rejected', async () => {
    const ex = await backendExchange(make(), 'CP1', 'TriggerMessage', { requestedMessage: 'StatusNotification', evse: { id: 1, connectorId: 2 } }, accept);
    expect(ex.result).toMatchObject({ status: 'Rejected' });
  });

  it('SetChargingProfile ChargingStationExternalConstraints is Rejected (K01.FR.22)', async () => {
    const ex = await backendExchange(make(), 'CP1', 'SetChargingProfile', {
      evseId: 0,
      chargingProfile: {
        id: 1,
        stackLevel: 0,
        chargingProfilePurpose: 'ChargingStationExternalConstraints',
        chargingProfileKind: 'Absolute',
        chargingSchedule: [{ id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] }],
      },
    }, accept);
    expect(ex.calls).toEqual([]);
    expect(ex.result).toMatchObject({ status: 'Rejected' });
  });

  it('ClearChargingProfile for ChargingStationExternalConstraints is Unknown', async () => {
    const ex = await backendExchange(make(), 'CP1', 'ClearChargingProfile', { chargingProfileCriteria: { chargingProfilePurpose: 'ChargingStationExternalConstraints' } }, accept);
    expect(ex.result).toEqual({ status: 'Unknown' });
  });

  it('Reset with evseId is Rejected; ChangeAvailability for a connector the charger cannot address is Rejected', async () => {
    const t = make();
    expect((await backendExchange(t, 'CP1', 'Reset', { type: 'Immediate', evseId: 2 }, accept)).result).toMatchObject({ status: 'Rejected' });
    const ca = await backendExchange(t, 'CP1', 'ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 1, connectorId: 2 } }, accept);
    expect(ca.calls).toEqual([]);
    expect(ca.result).toMatchObject({ status: 'Rejected' });
  });
});

describe('GetTransactionStatus (E14) answered from the session store', () => {
  it('reports ongoing transactions and an Ended the backend has not accepted yet', async () => {
    const t = make();
    const ask = async (params: object) => (await backendExchange(t, 'CP1', 'GetTransactionStatus', params, accept)).result;
    expect(await ask({})).toEqual({ messagesInQueue: false });
    expect(await ask({ transactionId: 'unknown' })).toEqual({ ongoingIndicator: false, messagesInQueue: false });
    const started = await chargerExchange(t, 'CP1', 'StartTransaction', { connectorId: 1, idTag: 'T', meterStart: 0, timestamp: NOW }, () => ({ idTokenInfo: { status: 'Accepted' } }));
    const id201 = (started.calls[0]?.params as { transactionInfo: { transactionId: string } }).transactionInfo.transactionId;
    const id16 = (started.result as { transactionId: number }).transactionId;
    expect(await ask({ transactionId: id201 })).toEqual({ ongoingIndicator: true, messagesInQueue: false });
    // The Ended event is lost on its way to the backend: the charger will repeat its StopTransaction.
    await chargerExchange(t, 'CP1', 'StopTransaction', { transactionId: id16, meterStop: 1, timestamp: NOW }, () => ({ error: { ok: false, error: { code: 'InternalError', description: 'lost', details: {} } } }));
    expect(await ask({ transactionId: id201 })).toEqual({ ongoingIndicator: false, messagesInQueue: true });
    expect(await ask({})).toEqual({ messagesInQueue: true });
    await chargerExchange(t, 'CP1', 'StopTransaction', { transactionId: id16, meterStop: 1, timestamp: NOW }, () => ({}));
    expect(await ask({ transactionId: id201 })).toEqual({ ongoingIndicator: false, messagesInQueue: false });
    expect(await ask({})).toEqual({ messagesInQueue: false });
  });
});
