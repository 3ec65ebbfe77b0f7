import { describe, expect, it } from 'vitest';
import { backendExchange, chargerExchange } from '../testing/harness.fixture.js';
import { createTranslator } from './translator.js';

const NOW = '2025-03-01T10:00:00.000Z';
const t21 = () => createTranslator({ upstreamProtocol: 'ocpp2.1' });

describe('a 2.1 upstream', () => {
  it('translates the actions that keep the 2.0.1 shape and validates against the 2.1 schemas', async () => {
    const t = t21();
    const boot = await chargerExchange(t, 'CP', 'BootNotification', { chargePointVendor: 'V', chargePointModel: 'M' }, () => ({ status: 'Accepted', currentTime: NOW, interval: 60 }));
    expect(boot.result).toEqual({ status: 'Accepted', currentTime: NOW, interval: 60 });
    const reset = await backendExchange(t, 'CP', 'Reset', { type: 'OnIdle' }, () => ({ status: 'Accepted' }));
    expect(reset.calls[0]?.params).toEqual({ type: 'Soft' });
  });

  it('refuses 2.1-only content with NotSupported naming the action', async () => {
    const t = t21();
    const resume = await backendExchange(t, 'CP', 'Reset', { type: 'ImmediateAndResume' }, () => ({ status: 'Accepted' }));
    expect(resume.error).toMatchObject({ code: 'NotSupported', description: expect.stringContaining('Reset') });
    const custom = await backendExchange(t, 'CP', 'TriggerMessage', { requestedMessage: 'Heartbeat', customTrigger: 'x' }, () => ({ status: 'Accepted' }));
    expect(custom.error?.code).toBe('NotSupported');
    const dynamic = await backendExchange(t, 'CP', 'SetChargingProfile', {
      evseId: 1,
      chargingProfile: { id: 1, stackLevel: 0, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Dynamic', chargingSchedule: [{ id: 1, chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 1 }] }] },
    }, () => ({ status: 'Accepted' }));
    expect(dynamic.error?.code).toBe('NotSupported');
    const log = await backendExchange(t, 'CP', 'GetLog', { logType: 'DataCollectorLog', requestId: 1, log: { remoteLocation: 'ftp://x/y' } }, () => ({}));
    expect(log.error?.code).toBe('NotSupported');
  });

  it('notes 2.1 response content that the 1.6 answer cannot carry', async () => {
    const ex = await chargerExchange(t21(), 'CP', 'StartTransaction', { connectorId: 1, idTag: 'A', meterStart: 0, timestamp: NOW }, () => ({
      idTokenInfo: { status: 'Accepted' },
      transactionLimit: { maxEnergy: 1000 },
    }));
    expect(ex.result).toMatchObject({ idTagInfo: { status: 'Accepted' } });
    expect(ex.notes.join()).toContain('/transactionLimit');
  });
});
