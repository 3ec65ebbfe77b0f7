import { describe, expect, it } from 'vitest';
import { InMemorySessionStore } from '../store/inMemorySessionStore.js';
import { callError, chargerExchange, type Peer } from '../testing/harness.fixture.js';
import { createTranslator } from './translator.js';

const NOW = '2025-03-01T10:00:00.000Z';
let n = 0;
function make(policy = {}) {
  return createTranslator({ store: new InMemorySessionStore(), policy, now: () => new Date(NOW), newTransactionId: () => `tx-${++n}` });
}
const ok: Peer = (call) => {
  switch (call.action) {
    case 'BootNotification':
      return { status: 'Accepted', currentTime: NOW, interval: 300 };
    case 'Heartbeat':
      return { currentTime: NOW };
    case 'Authorize':
      return { idTokenInfo: { status: 'Accepted' } };
    case 'TransactionEvent':
      return { idTokenInfo: { status: 'Accepted' } };
    case 'DataTransfer':
      return { status: 'Accepted', data: { reply: true } };
    case 'SignCertificate':
      return { status: 'Accepted' };
    default:
      return {};
  }
};

describe('charger-initiated calls', () => {
  it('BootNotification maps the charge point fields and keeps the backend answer', async () => {
    const ex = await chargerExchange(make(), 'CP1', 'BootNotification', {
      chargePointVendor: 'V',
      chargePointModel: 'M',
      chargeBoxSerialNumber: 'SN',
      firmwareVersion: '1.0',
      iccid: 'I',
      meterType: 'MT',
    }, ok);
    expect(ex.calls).toEqual([
      {
        action: 'BootNotification',
        params: { reason: 'PowerUp', chargingStation: { vendorName: 'V', model: 'M', serialNumber: 'SN', firmwareVersion: '1.0', modem: { iccid: 'I' } } },
      },
    ]);
    expect(ex.result).toEqual({ status: 'Accepted', currentTime: NOW, interval: 300 });
    expect(ex.notes.join()).toContain('meterType');
  });

  it('Authorize narrows 2.0.1-only statuses to Invalid and maps groupIdToken', async () => {
    const t = make({ idTokenType: 'Central' });
    const ex = await chargerExchange(t, 'CP1', 'Authorize', { idTag: 'TAG1' }, () => ({
      idTokenInfo: { status: 'NoCredit', cacheExpiryDateTime: NOW, groupIdToken: { idToken: 'G', type: 'Central' } },
    }));
    expect(ex.calls[0]?.params).toEqual({ idToken: { idToken: 'TAG1', type: 'Central' } });
    expect(ex.result).toEqual({ idTagInfo: { status: 'Invalid', expiryDate: NOW, parentIdTag: 'G' } });
  });

  it('runs a full transaction: Started, periodic Updated, chargingState, Ended with seqNo per transaction', async () => {
    const t = make();
    const start = await chargerExchange(t, 'CP1', 'StartTransaction', { connectorId: 2, idTag: 'TAG', meterStart: 1000, timestamp: NOW }, ok);
    const started = start.calls[0]?.params as Record<string, any>;
    expect(started).toMatchObject({
      eventType: 'Started',
      triggerReason: 'Authorized',
      seqNo: 0,
      evse: { id: 2, connectorId: 1 },
      idToken: { idToken: 'TAG', type: 'ISO14443' },
      meterValue: [{ timestamp: NOW, sampledValue: [{ value: 1000, context: 'Transaction.Begin', measurand: 'Energy.Active.Import.Register' }] }],
    });
    const txId = (start.result as { transactionId: number }).transactionId;
    expect(start.result).toEqual({ transactionId: txId, idTagInfo: { status: 'Accepted' } });

    const status = await chargerExchange(t, 'CP1', 'StatusNotification', { connectorId: 2, status: 'Charging', errorCode: 'NoError', timestamp: NOW }, ok);
    expect(status.calls.map((c) => c.action)).toEqual(['StatusNotification', 'TransactionEvent']);
    expect(status.calls[0]?.params).toEqual({ timestamp: NOW, connectorStatus: 'Occupied', evseId: 2, connectorId: 1 });
    expect(status.calls[1]?.params).toMatchObject({ triggerReason: 'ChargingStateChanged', seqNo: 1, transactionInfo: { transactionId: started.transactionInfo.transactionId, chargingState: 'Charging' } });
    // Same state again: no second TransactionEvent.
    const again = await chargerExchange(t, 'CP1', 'StatusNotification', { connectorId: 2, status: 'Charging', errorCode: 'NoError' }, ok);
    expect(again.calls.map((c) => c.action)).toEqual(['StatusNotification']);

    const mv = await chargerExchange(t, 'CP1', 'MeterValues', {
      connectorId: 2,
      transactionId: txId,
      meterValue: [{ timestamp: NOW, sampledValue: [{ value: '1.5', unit: 'kWh', measurand: 'Energy.Active.Import.Register', context: 'Sample.Clock' }, { value: '21', measurand: 'Temperature' }] }],
    }, ok);
    expect(mv.calls[0]?.params).toMatchObject({
      eventType: 'Updated',
      triggerReason: 'MeterValueClock',
      seqNo: 2,
      meterValue: [{ sampledValue: [{ value: 1.5, unitOfMeasure: { unit: 'kWh', multiplier: 0 } }] }],
    });
    expect(mv.notes.join()).toContain('Temperature');

    const stop = await chargerExchange(t, 'CP1', 'StopTransaction', { transactionId: txId, meterStop: 2500, timestamp: NOW, reason: 'HardReset', idTag: 'TAG' }, ok);
    expect(stop.calls[0]?.params).toMatchObject({
      eventType: 'Ended',
      triggerReason: 'ResetCommand',
      seqNo: 3,
      transactionInfo: { transactionId: started.transactionInfo.transactionId, stoppedReason: 'ImmediateReset' },
      meterValue: [{ sampledValue: [{ value: 2500, context: 'Transaction.End' }] }],
    });
    expect(stop.result).toEqual({ idTagInfo: { status: 'Accepted' } });

    // After the end, meter values go out as plain MeterValues.
    const late = await chargerExchange(t, 'CP1', 'MeterValues', { connectorId: 2, transactionId: txId, meterValue: [{ timestamp: NOW, sampledValue: [{ value: '3' }] }] }, ok);
    expect(late.calls[0]?.action).toBe('MeterValues');
  });

  it('a retried StartTransaction keeps the same transaction ids', async () => {
    const t = make();
    const params = { connectorId: 1, idTag: 'TAG', meterStart: 5, timestamp: NOW };
    const first = await chargerExchange(t, 'CP1', 'StartTransaction', params, () => callError('InternalError'));
    expect(first.error?.code).toBe('InternalError');
    const second = await chargerExchange(t, 'CP1', 'StartTransaction', params, ok);
    expect((second.calls[0]?.params as any).transactionInfo.transactionId).toBe((first.calls[0]?.params as any).transactionInfo.transactionId);
    expect((second.calls[0]?.params as any).seqNo).toBe(0);
  });

  it('StartTransaction without idTokenInfo answers the policy status', async () => {
    const ex = await chargerExchange(make({ missingIdTokenInfoStatus: 'Invalid' }), 'CP1', 'StartTransaction', { connectorId: 1, idTag: 'T', meterStart: 0, timestamp: NOW }, () => ({}));
    expect(ex.result).toMatchObject({ idTagInfo: { status: 'Invalid' } });
  });

  it('StopTransaction reason Reboot (the charger rebooted by itself) is triggerReason AbnormalCondition, not ResetCommand', async () => {
    const t = make();
    const start = await chargerExchange(t, 'CP1', 'StartTransaction', { connectorId: 1, idTag: 'T', meterStart: 0, timestamp: NOW }, ok);
    const transactionId = (start.result as { transactionId: number }).transactionId;
    const stop = await chargerExchange(t, 'CP1', 'StopTransaction', { transactionId, meterStop: 9, timestamp: NOW, reason: 'Reboot' }, ok);
    expect(stop.calls[0]?.params).toMatchObject({ eventType: 'Ended', triggerReason: 'AbnormalCondition', transactionInfo: { stoppedReason: 'Reboot' } });
  });

  it('StopTransaction of an unknown transaction is reported under a new id', async () => {
    const ex = await chargerExchange(make(), 'CP1', 'StopTransaction', { transactionId: 77, meterStop: 10, timestamp: NOW }, () => ({}));
    expect(ex.calls[0]?.params).toMatchObject({ eventType: 'Ended', triggerReason: 'StopAuthorized', seqNo: 0, transactionInfo: { stoppedReason: 'Local' } });
    expect(ex.result).toEqual({});
    expect(ex.notes.join()).toContain('unknown');
  });

  it('StatusNotification with an errorCode raises and clears a Problem NotifyEvent; connector 0 becomes AvailabilityState', async () => {
    const t = make();
    const fault = await chargerExchange(t, 'CP1', 'StatusNotification', { connectorId: 1, status: 'Faulted', errorCode: 'GroundFailure', info: 'rcd', timestamp: NOW }, ok);
    expect(fault.calls.map((c) => c.action)).toEqual(['StatusNotification', 'NotifyEvent']);
    expect(fault.calls[1]?.params).toMatchObject({
      eventData: [{ actualValue: 'true', techCode: 'GroundFailure', techInfo: 'info=rcd', component: { name: 'Connector', evse: { id: 1, connectorId: 1 } }, variable: { name: 'Problem' } }],
    });
    const cleared = await chargerExchange(t, 'CP1', 'StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError', timestamp: NOW }, ok);
    expect(cleared.calls[1]?.params).toMatchObject({ eventData: [{ actualValue: 'false', cleared: true }] });
    const station = await chargerExchange(t, 'CP1', 'StatusNotification', { connectorId: 0, status: 'Unavailable', errorCode: 'NoError' }, ok);
    expect(station.calls).toHaveLength(1);
    expect(station.calls[0]?.params).toMatchObject({ eventData: [{ actualValue: 'Unavailable', component: { name: 'ChargingStation' }, variable: { name: 'AvailabilityState' } }] });
  });

  it('rejects a non-numeric sampled value with FormatViolation', async () => {
    const ex = await chargerExchange(make(), 'CP1', 'MeterValues', { connectorId: 1, meterValue: [{ timestamp: NOW, sampledValue: [{ value: '' }] }] }, ok);
    expect(ex.error?.code).toBe('FormatViolation');
  });

  it('passes DataTransfer strings unchanged and JSON-encodes structured replies for the charger', async () => {
    const ex = await chargerExchange(make(), 'CP1', 'DataTransfer', { vendorId: 'acme', messageId: 'm', data: '{"x":1}' }, ok);
    expect(ex.calls[0]?.params).toEqual({ vendorId: 'acme', messageId: 'm', data: '{"x":1}' });
    expect(ex.result).toEqual({ status: 'Accepted', data: '{"reply":true}' });
  });

  it('DiagnosticsStatusNotification becomes LogStatusNotification with the GetLog requestId', async () => {
    const t = make();
    await t.store.setValue('CP1', 'logRequestId', '42');
    const ex = await chargerExchange(t, 'CP1', 'DiagnosticsStatusNotification', { status: 'UploadFailed' }, ok);
    expect(ex.calls[0]).toEqual({ action: 'LogStatusNotification', params: { status: 'UploadFailure', requestId: 42 } });
  });

  it('security extension messages map to their 2.0.1 counterparts', async () => {
    const t = make();
    const sign = await chargerExchange(t, 'CP1', 'SignCertificate', { csr: 'CSR' }, ok);
    expect(sign.calls[0]?.params).toEqual({ csr: 'CSR', certificateType: 'ChargingStationCertificate' });
    const fw = await chargerExchange(t, 'CP1', 'SignedFirmwareStatusNotification', { status: 'SignatureVerified', requestId: 3 }, ok);
    expect(fw.calls[0]).toEqual({ action: 'FirmwareStatusNotification', params: { status: 'SignatureVerified', requestId: 3 } });
  });

  it('passes a backend CALLERROR back re-coded for 1.6', async () => {
    const ex = await chargerExchange(make(), 'CP1', 'Heartbeat', {}, () => callError('RpcFrameworkError', 'boom'));
    expect(ex.error).toMatchObject({ code: 'ProtocolError', description: 'boom' });
  });

  it('answers NotSupported for an action without a translation, naming it', async () => {
    const t = make();
    const tr = await t.chargerCall('CP1', 'GetDiagnostics', {});
    expect(tr.ok).toBe(false);
    if (!tr.ok) {
      expect(tr.error.code).toBe('NotSupported');
      expect(tr.error.description).toContain('GetDiagnostics');
    }
  });

  it('answers an invalid 1.6 payload with the schema violation code', async () => {
    const tr = await make().chargerCall('CP1', 'Authorize', { idTag: 5 });
    expect(tr.ok ? undefined : tr.error.code).toBe('TypeConstraintViolation');
  });

  it('summarises the translated actions per direction', async () => {
    const { translatedActions } = await import('./tables.js');
    const { charger, backend } = translatedActions();
    expect(charger['StartTransaction']).toBe('TransactionEvent');
    expect(charger['DiagnosticsStatusNotification']).toBe('LogStatusNotification');
    expect(backend['GetLog']).toBe('GetDiagnostics');
    expect(Object.keys(backend)).toContain('SetVariables');
  });

  it('marks transaction events that predate the charger connection as offline', async () => {
    const t = make();
    const connectedSince = new Date(NOW);
    const earlier = new Date(Date.parse(NOW) - 3_600_000).toISOString();
    const skewed = new Date(Date.parse(NOW) - 30_000).toISOString();
    const queued = await t.chargerCall('CP1', 'StartTransaction', { connectorId: 1, idTag: 'T', meterStart: 0, timestamp: earlier }, { connectedSince });
    expect(queued.ok && queued.calls[0]?.params).toMatchObject({ offline: true });
    const live = await t.chargerCall('CP2', 'StartTransaction', { connectorId: 1, idTag: 'T', meterStart: 0, timestamp: skewed }, { connectedSince });
    expect(live.ok && 'offline' in (live.calls[0]?.params ?? {})).toBe(false);
  });
});
