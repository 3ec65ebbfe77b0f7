import { describe, expect, it } from 'vitest';
import { InMemorySessionStore } from '../store/inMemorySessionStore.js';
import { backendExchange, callError, chargerExchange, type Peer } from '../testing/harness.fixture.js';
import { createTranslator } from './translator.js';
import type { TranslationPolicy } from './policy.js';

const NOW = '2025-03-01T10:00:00.000Z';
let n = 0;
function make(policy: Partial<TranslationPolicy> = {}) {
  return createTranslator({ store: new InMemorySessionStore(), policy, now: () => new Date(NOW), newTransactionId: () => `tx-${++n}` });
}
const accept: Peer = () => ({ status: 'Accepted' });
const backendOk: Peer = (call) => (call.action === 'TransactionEvent' ? { idTokenInfo: { status: 'Accepted' } } : {});

describe('backend-initiated calls', () => {
  it('RequestStartTransaction → RemoteStartTransaction; the next StartTransaction carries remoteStartId', async () => {
    const t = make();
    const req = await backendExchange(t, 'CP1', 'RequestStartTransaction', { idToken: { idToken: 'TAG', type: 'Central' }, remoteStartId: 44, evseId: 1 }, accept);
    expect(req.calls).toEqual([{ action: 'RemoteStartTransaction', params: { idTag: 'TAG', connectorId: 1 } }]);
    expect(req.result).toEqual({ status: 'Accepted' });
    const start = await chargerExchange(t, 'CP1', 'StartTransaction', { connectorId: 1, idTag: 'TAG', meterStart: 0, timestamp: NOW }, backendOk);
    expect(start.calls[0]?.params).toMatchObject({ triggerReason: 'RemoteStart', transactionInfo: { remoteStartId: 44 } });
    // Consumed: a second start is a local one.
    const stopId = (start.result as { transactionId: number }).transactionId;
    await chargerExchange(t, 'CP1', 'StopTransaction', { transactionId: stopId, meterStop: 1, timestamp: NOW }, backendOk);
    const next = await chargerExchange(t, 'CP1', 'StartTransaction', { connectorId: 1, idTag: 'TAG', meterStart: 1, timestamp: NOW }, backendOk);
    expect(next.calls[0]?.params).toMatchObject({ triggerReason: 'Authorized' });
  });

  it('a refused remote start is forgotten', async () => {
    const t = make();
    await backendExchange(t, 'CP1', 'RequestStartTransaction', { idToken: { idToken: 'TAG', type: 'Central' }, remoteStartId: 1 }, () => ({ status: 'Rejected' }));
    const start = await chargerExchange(t, 'CP1', 'StartTransaction', { connectorId: 1, idTag: 'TAG', meterStart: 0, timestamp: NOW }, backendOk);
    expect(start.calls[0]?.params).toMatchObject({ triggerReason: 'Authorized' });
  });

  it('RequestStopTransaction maps the id; unknown ids are Rejected without a call', async () => {
    const t = make();
    const start = await chargerExchange(t, 'CP1', 'StartTransaction', { connectorId: 1, idTag: 'TAG', meterStart: 0, timestamp: NOW }, backendOk);
    const id201 = (start.calls[0]?.params as { transactionInfo: { transactionId: string } }).transactionInfo.transactionId;
    const stop = await backendExchange(t, 'CP1', 'RequestStopTransaction', { transactionId: id201 }, accept);
    expect(stop.calls).toEqual([{ action: 'RemoteStopTransaction', params: { transactionId: (start.result as { transactionId: number }).transactionId } }]);
    expect(stop.result).toEqual({ status: 'Accepted' });
    const unknown = await backendExchange(t, 'CP1', 'RequestStopTransaction', { transactionId: 'nope' }, accept);
    expect(unknown.calls).toEqual([]);
    expect(unknown.result).toMatchObject({ status: 'Rejected' });
  });

  it('Reset maps Immediate/OnIdle to Hard/Soft and answers a per-EVSE reset Rejected', async () => {
    const t = make();
    expect((await backendExchange(t, 'CP1', 'Reset', { type: 'Immediate' }, accept)).calls[0]?.params).toEqual({ type: 'Hard' });
    expect((await backendExchange(t, 'CP1', 'Reset', { type: 'OnIdle' }, accept)).calls[0]?.params).toEqual({ type: 'Soft' });
    const evse = await backendExchange(t, 'CP1', 'Reset', { type: 'OnIdle', evseId: 1 }, accept);
    expect(evse.calls).toEqual([]);
    expect(evse.result).toMatchObject({ status: 'Rejected', statusInfo: { reasonCode: 'UnsupportedRequest' } });
  });

  it('ChangeAvailability, UnlockConnector and TriggerMessage use 1.6 connector numbering', async () => {
    const t = make();
    expect((await backendExchange(t, 'CP1', 'ChangeAvailability', { operationalStatus: 'Inoperative' }, accept)).calls[0]?.params).toEqual({ connectorId: 0, type: 'Inoperative' });
    expect((await backendExchange(t, 'CP1', 'ChangeAvailability', { operationalStatus: 'Operative', evse: { id: 2 } }, accept)).calls[0]?.params).toEqual({ connectorId: 2, type: 'Operative' });
    const unlock = await backendExchange(t, 'CP1', 'UnlockConnector', { evseId: 3, connectorId: 1 }, () => ({ status: 'NotSupported' }));
    expect(unlock.calls[0]?.params).toEqual({ connectorId: 3 });
    expect(unlock.result).toMatchObject({ status: 'UnlockFailed' });
    expect((await backendExchange(t, 'CP1', 'UnlockConnector', { evseId: 3, connectorId: 2 }, accept)).result).toEqual({ status: 'UnknownConnector' });
    const trig = await backendExchange(t, 'CP1', 'TriggerMessage', { requestedMessage: 'TransactionEvent', evse: { id: 1 } }, accept);
    expect(trig.calls[0]?.params).toEqual({ requestedMessage: 'MeterValues', connectorId: 1 });
    expect((await backendExchange(t, 'CP1', 'TriggerMessage', { requestedMessage: 'SignV2GCertificate' }, accept)).result).toEqual({ status: 'NotImplemented' });
    const ext = await backendExchange(make({ securityExtension: true }), 'CP1', 'TriggerMessage', { requestedMessage: 'SignChargingStationCertificate' }, accept);
    expect(ext.calls[0]).toEqual({ action: 'ExtendedTriggerMessage', params: { requestedMessage: 'SignChargePointCertificate' } });
  });

  it('GetVariables reads mapped keys with one GetConfiguration and answers the rest locally', async () => {
    const t = make();
    const ex = await backendExchange(t, 'CP1', 'GetVariables', {
      getVariableData: [
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } },
        { component: { name: 'SmartChargingCtrlr' }, variable: { name: 'RateUnit' } },
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'MessageAttempts', instance: 'TransactionEvent' } },
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'NoSuchVariable' } },
        { component: { name: 'NoSuchCtrlr' }, variable: { name: 'X' } },
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, attributeType: 'MaxSet' },
      ],
    }, () => ({
      configurationKey: [
        { key: 'HeartbeatInterval', readonly: false, value: '300' },
        { key: 'ChargingScheduleAllowedChargingRateUnit', readonly: true, value: 'Current,Power' },
      ],
      unknownKey: ['TransactionMessageAttempts'],
    }));
    expect(ex.calls).toEqual([{ action: 'GetConfiguration', params: { key: ['HeartbeatInterval', 'ChargingScheduleAllowedChargingRateUnit', 'TransactionMessageAttempts'] } }]);
    const statuses = (ex.result as { getVariableResult: Array<{ attributeStatus: string; attributeValue?: string }> }).getVariableResult;
    expect(statuses.map((r) => r.attributeStatus)).toEqual(['Accepted', 'Accepted', 'UnknownVariable', 'UnknownVariable', 'UnknownComponent', 'NotSupportedAttributeType']);
    expect(statuses[0]?.attributeValue).toBe('300');
    expect(statuses[1]?.attributeValue).toBe('A,W');
  });

  it('SetVariables sends one ChangeConfiguration per entry and maps each status', async () => {
    const t = make({ changeConfigurationNotSupported: 'Rejected' });
    const answers = [{ status: 'RebootRequired' }, { status: 'NotSupported' }];
    let i = 0;
    const ex = await backendExchange(t, 'CP1', 'SetVariables', {
      setVariableData: [
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, attributeValue: '60' },
        { component: { name: 'AuthCtrlr' }, variable: { name: 'AuthorizeRemoteStart' }, attributeValue: 'true' },
        { component: { name: 'SmartChargingCtrlr' }, variable: { name: 'RateUnit' }, attributeValue: 'W' },
        { component: { name: 'Foo' }, variable: { name: 'Bar' }, attributeValue: '1' },
      ],
    }, () => answers[i++] ?? callError('GenericError'));
    expect(ex.calls).toEqual([
      { action: 'ChangeConfiguration', params: { key: 'HeartbeatInterval', value: '60' } },
      { action: 'ChangeConfiguration', params: { key: 'AuthorizeRemoteTxRequests', value: 'true' } },
      { action: 'ChangeConfiguration', params: { key: 'ChargingScheduleAllowedChargingRateUnit', value: 'Power' } },
    ]);
    const statuses = (ex.result as { setVariableResult: Array<{ attributeStatus: string }> }).setVariableResult.map((r) => r.attributeStatus);
    expect(statuses).toEqual(['RebootRequired', 'Rejected', 'Rejected', 'UnknownComponent']);
  });

  it('user rows extend the configuration-key table', async () => {
    const t = createTranslator({ configKeys: [{ key: 'VendorLedBrightness', component: { name: 'DisplayCtrlr' }, variable: { name: 'Brightness' } }] });
    const ex = await backendExchange(t, 'CP1', 'SetVariables', {
      setVariableData: [{ component: { name: 'DisplayCtrlr' }, variable: { name: 'Brightness' }, attributeValue: '80' }],
    }, accept);
    expect(ex.calls[0]?.params).toEqual({ key: 'VendorLedBrightness', value: '80' });
  });

  it('SetChargingProfile maps purpose and transaction id; more than one schedule is Rejected with the reason', async () => {
    const t = make();
    const start = await chargerExchange(t, 'CP1', 'StartTransaction', { connectorId: 1, idTag: 'TAG', meterStart: 0, timestamp: NOW }, backendOk);
    const id201 = (start.calls[0]?.params as { transactionInfo: { transactionId: string } }).transactionInfo.transactionId;
    const schedule = { id: 1, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] };
    const ex = await backendExchange(t, 'CP1', 'SetChargingProfile', {
      evseId: 1,
      chargingProfile: { id: 9, stackLevel: 1, chargingProfilePurpose: 'TxProfile', chargingProfileKind: 'Relative', transactionId: id201, chargingSchedule: [schedule] },
    }, () => ({ status: 'NotSupported' }));
    expect(ex.calls[0]?.params).toEqual({
      connectorId: 1,
      csChargingProfiles: {
        chargingProfileId: 9,
        transactionId: (start.result as { transactionId: number }).transactionId,
        stackLevel: 1,
        chargingProfilePurpose: 'TxProfile',
        chargingProfileKind: 'Relative',
        chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] },
      },
    });
    expect(ex.result).toMatchObject({ status: 'Rejected' });
    const two = await backendExchange(t, 'CP1', 'SetChargingProfile', {
      evseId: 0,
      chargingProfile: { id: 9, stackLevel: 1, chargingProfilePurpose: 'ChargingStationMaxProfile', chargingProfileKind: 'Absolute', chargingSchedule: [schedule, { ...schedule, id: 2 }] },
    }, accept);
    expect(two.calls).toEqual([]);
    expect(two.result).toMatchObject({ status: 'Rejected', statusInfo: { reasonCode: 'UnsupportedRequest', additionalInfo: expect.stringContaining('one schedule') } });
  });

  it('GetCompositeSchedule wraps the 1.6 schedule into the 2.0.1 schedule object', async () => {
    const ex = await backendExchange(make(), 'CP1', 'GetCompositeSchedule', { evseId: 1, duration: 600, chargingRateUnit: 'W' }, () => ({
      status: 'Accepted',
      connectorId: 1,
      scheduleStart: NOW,
      chargingSchedule: { chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 7000, numberPhases: 3 }] },
    }));
    expect(ex.calls[0]?.params).toEqual({ connectorId: 1, duration: 600, chargingRateUnit: 'W' });
    expect(ex.result).toEqual({
      status: 'Accepted',
      schedule: { evseId: 1, duration: 600, scheduleStart: NOW, chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 7000, numberPhases: 3 }] },
    });
  });

  it('GetLog → GetDiagnostics; no fileName means Rejected; the requestId labels later notifications', async () => {
    const t = make();
    const ex = await backendExchange(t, 'CP1', 'GetLog', { logType: 'DiagnosticsLog', requestId: 12, log: { remoteLocation: 'ftp://logs.example.com/up', oldestTimestamp: NOW } }, () => ({ fileName: 'diag.zip' }));
    expect(ex.calls[0]).toEqual({ action: 'GetDiagnostics', params: { location: 'ftp://logs.example.com/up', startTime: NOW } });
    expect(ex.result).toEqual({ status: 'Accepted', filename: 'diag.zip' });
    const status = await chargerExchange(t, 'CP1', 'DiagnosticsStatusNotification', { status: 'Uploading' }, () => ({}));
    expect(status.calls[0]?.params).toEqual({ status: 'Uploading', requestId: 12 });
    expect((await backendExchange(t, 'CP1', 'GetLog', { logType: 'DiagnosticsLog', requestId: 13, log: { remoteLocation: 'ftp://x/y' } }, () => ({}))).result).toMatchObject({ status: 'Rejected' });
    expect((await backendExchange(t, 'CP1', 'GetLog', { logType: 'SecurityLog', requestId: 14, log: { remoteLocation: 'ftp://x/y' } }, () => ({}))).error?.code).toBe('NotSupported');
  });

  it('GetLog with a location that is not a URI cannot become GetDiagnostics', async () => {
    const ex = await backendExchange(make(), 'CP1', 'GetLog', { logType: 'DiagnosticsLog', requestId: 1, log: { remoteLocation: 'not a uri' } }, () => ({}));
    expect(ex.error?.code).toBe('FormatViolation');
    expect(ex.error?.description).toContain('GetDiagnostics');
  });

  it('UpdateFirmware: empty 1.6 answer means Accepted; signed firmware needs the security extension', async () => {
    const t = make();
    const ex = await backendExchange(t, 'CP1', 'UpdateFirmware', { requestId: 5, firmware: { location: 'https://fw.example.com/1.bin', retrieveDateTime: NOW } }, () => ({}));
    expect(ex.calls[0]?.params).toEqual({ location: 'https://fw.example.com/1.bin', retrieveDate: NOW });
    expect(ex.result).toEqual({ status: 'Accepted' });
    const fw = await chargerExchange(t, 'CP1', 'FirmwareStatusNotification', { status: 'Downloading' }, () => ({}));
    expect(fw.calls[0]?.params).toEqual({ status: 'Downloading', requestId: 5 });
    const signed = { requestId: 6, firmware: { location: 'https://fw.example.com/2.bin', retrieveDateTime: NOW, signature: 'sig', signingCertificate: 'cert' } };
    expect((await backendExchange(t, 'CP1', 'UpdateFirmware', signed, () => ({}))).error?.code).toBe('NotSupported');
    const ext = await backendExchange(make({ securityExtension: true }), 'CP1', 'UpdateFirmware', signed, accept);
    expect(ext.calls[0]?.action).toBe('SignedUpdateFirmware');
  });

  it('ReserveNow, CancelReservation, SendLocalList, GetLocalListVersion, ClearCache, DataTransfer', async () => {
    const t = make();
    const reserve = await backendExchange(t, 'CP1', 'ReserveNow', { id: 3, expiryDateTime: NOW, idToken: { idToken: 'T', type: 'ISO14443' }, groupIdToken: { idToken: 'G', type: 'Central' } }, accept);
    expect(reserve.calls[0]?.params).toEqual({ connectorId: 0, expiryDate: NOW, idTag: 'T', parentIdTag: 'G', reservationId: 3 });
    expect((await backendExchange(t, 'CP1', 'CancelReservation', { reservationId: 3 }, accept)).calls[0]?.params).toEqual({ reservationId: 3 });
    const list = await backendExchange(t, 'CP1', 'SendLocalList', {
      versionNumber: 4,
      updateType: 'Full',
      localAuthorizationList: [{ idToken: { idToken: 'A', type: 'Local' }, idTokenInfo: { status: 'NotAtThisTime' } }],
    }, () => ({ status: 'NotSupported' }));
    expect(list.calls[0]?.params).toEqual({ listVersion: 4, updateType: 'Full', localAuthorizationList: [{ idTag: 'A', idTagInfo: { status: 'Invalid' } }] });
    expect(list.result).toMatchObject({ status: 'Failed' });
    expect((await backendExchange(t, 'CP1', 'GetLocalListVersion', {}, () => ({ listVersion: 4 }))).result).toEqual({ versionNumber: 4 });
    expect((await backendExchange(t, 'CP1', 'ClearCache', {}, accept)).result).toEqual({ status: 'Accepted' });
    const dt = await backendExchange(t, 'CP1', 'DataTransfer', { vendorId: 'acme', data: { a: [1, 2] } }, () => ({ status: 'Accepted', data: 'ok' }));
    expect(dt.calls[0]?.params).toEqual({ vendorId: 'acme', data: '{"a":[1,2]}' });
    expect(dt.result).toEqual({ status: 'Accepted', data: 'ok' });
    expect((await backendExchange(make({ dataTransferEncoding: 'reject' }), 'CP1', 'DataTransfer', { vendorId: 'a', data: 1 }, accept)).error?.code).toBe('NotSupported');
  });

  it('answers NotSupported naming actions with no 1.6 counterpart', async () => {
    for (const action of ['SetVariableMonitoring', 'SetDisplayMessage', 'CostUpdated', 'GetReport']) {
      const tr = await make().backendCall('CP1', action, {});
      expect(tr.ok).toBe(false);
      if (!tr.ok) expect(tr.error).toMatchObject({ code: 'NotSupported', description: expect.stringContaining(action) });
    }
  });

  it('passes a charger CALLERROR back to the backend', async () => {
    const ex = await backendExchange(make(), 'CP1', 'ClearCache', {}, () => callError('NotSupported', 'nope'));
    expect(ex.error).toMatchObject({ code: 'NotSupported', description: 'nope' });
  });

  it('a charger answer that breaks the 1.6 schema becomes a CALLERROR, never a bad 2.0.1 frame', async () => {
    const ex = await backendExchange(make(), 'CP1', 'ClearCache', {}, () => ({ status: 'Maybe' }));
    expect(ex.error?.code).toBe('FormatViolation');
  });

  it('security extension: certificates map to the 1.6 security messages; without it they are NotSupported', async () => {
    const hash = { hashAlgorithm: 'SHA256', issuerNameHash: 'a', issuerKeyHash: 'b', serialNumber: 'c' };
    expect((await backendExchange(make(), 'CP1', 'InstallCertificate', { certificateType: 'CSMSRootCertificate', certificate: 'PEM' }, accept)).error?.code).toBe('NotSupported');
    const t = make({ securityExtension: true });
    const install = await backendExchange(t, 'CP1', 'InstallCertificate', { certificateType: 'CSMSRootCertificate', certificate: 'PEM' }, accept);
    expect(install.calls[0]?.params).toEqual({ certificateType: 'CentralSystemRootCertificate', certificate: 'PEM' });
    expect((await backendExchange(t, 'CP1', 'InstallCertificate', { certificateType: 'V2GRootCertificate', certificate: 'PEM' }, accept)).error?.code).toBe('NotSupported');
    expect((await backendExchange(t, 'CP1', 'CertificateSigned', { certificateChain: 'CHAIN' }, accept)).calls[0]?.params).toEqual({ certificateChain: 'CHAIN' });
    expect((await backendExchange(t, 'CP1', 'DeleteCertificate', { certificateHashData: hash }, () => ({ status: 'NotFound' }))).result).toEqual({ status: 'NotFound' });
    const ids = await backendExchange(t, 'CP1', 'GetInstalledCertificateIds', {}, (call) =>
      (call.params as { certificateType: string }).certificateType === 'CentralSystemRootCertificate' ? { status: 'Accepted', certificateHashData: [hash] } : { status: 'NotFound' },
    );
    expect(ids.calls.map((c) => c.params)).toEqual([{ certificateType: 'CentralSystemRootCertificate' }, { certificateType: 'ManufacturerRootCertificate' }]);
    expect(ids.result).toEqual({ status: 'Accepted', certificateHashDataChain: [{ certificateHashData: hash, certificateType: 'CSMSRootCertificate' }] });
    const v2g = await backendExchange(t, 'CP1', 'GetInstalledCertificateIds', { certificateType: ['V2GRootCertificate'] }, accept);
    expect(v2g).toMatchObject({ calls: [], result: { status: 'NotFound' } });
  });

  it('GetBaseReport reads every key and follows the answer with a NotifyReport of the mapped ones', async () => {
    const t = make();
    const ex = await backendExchange(t, 'CP1', 'GetBaseReport', { requestId: 8, reportBase: 'FullInventory' }, () => ({
      configurationKey: [
        { key: 'HeartbeatInterval', readonly: false, value: '300' },
        { key: 'ChargingScheduleAllowedChargingRateUnit', readonly: true, value: 'Current' },
        { key: 'NumberOfConnectors', readonly: true, value: '2' },
      ],
    }));
    expect(ex.calls).toEqual([{ action: 'GetConfiguration', params: {} }]);
    expect(ex.result).toEqual({ status: 'Accepted' });
    expect(ex.followUps).toEqual([
      {
        action: 'NotifyReport',
        params: {
          requestId: 8,
          generatedAt: NOW,
          seqNo: 0,
          tbc: false,
          reportData: [
            { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, variableAttribute: [{ type: 'Actual', value: '300', mutability: 'ReadWrite' }] },
            { component: { name: 'SmartChargingCtrlr' }, variable: { name: 'RateUnit' }, variableAttribute: [{ type: 'Actual', value: 'A', mutability: 'ReadOnly' }] },
          ],
        },
      },
    ]);
    expect(ex.notes.join()).toContain('NumberOfConnectors');
    const summary = await backendExchange(t, 'CP1', 'GetBaseReport', { requestId: 9, reportBase: 'SummaryInventory' }, () => ({}));
    expect(summary).toMatchObject({ calls: [], result: { status: 'NotSupported' }, followUps: [] });
    const empty = await backendExchange(t, 'CP1', 'GetBaseReport', { requestId: 10, reportBase: 'ConfigurationInventory' }, () => ({ configurationKey: [] }));
    expect(empty).toMatchObject({ result: { status: 'EmptyResultSet' }, followUps: [] });
  });
});
