import { describe, expect, it } from 'vitest';
import { actionOrigin, isKnownAction, isSendOnly, listActions, PROTOCOLS } from './index.js';

const byOrigin = (protocol: (typeof PROTOCOLS)[number], origin: string) =>
  listActions(protocol).filter((a) => actionOrigin(protocol, a)?.join('+') === origin);

describe('action tables', () => {
  it('OCPP 1.6 has 39 actions: 28 core + 11 security extension', () => {
    const actions = listActions('ocpp1.6');
    expect(actions).toHaveLength(39);
    const security = ['CertificateSigned', 'DeleteCertificate', 'ExtendedTriggerMessage', 'GetInstalledCertificateIds',
      'GetLog', 'InstallCertificate', 'LogStatusNotification', 'SecurityEventNotification', 'SignCertificate',
      'SignedFirmwareStatusNotification', 'SignedUpdateFirmware'];
    expect(actions.filter((a) => security.includes(a))).toHaveLength(11);
    expect(actions.filter((a) => !security.includes(a))).toHaveLength(28);
  });

  it('OCPP 2.0.1 has 64 actions and 2.1 has 90 request/response pairs plus one SEND', () => {
    expect(listActions('ocpp2.0.1')).toHaveLength(64);
    const v21 = listActions('ocpp2.1');
    expect(v21).toHaveLength(91);
    expect(v21.filter((a) => isSendOnly('ocpp2.1', a))).toEqual(['NotifyPeriodicEventStream']);
    expect(listActions('ocpp2.0.1').some((a) => isSendOnly('ocpp2.0.1', a))).toBe(false);
  });

  it('lists are sorted and frozen', () => {
    for (const p of PROTOCOLS) {
      const list = listActions(p);
      expect([...list].sort()).toEqual(list);
      expect(Object.isFrozen(list)).toBe(true);
    }
  });

  it('derives origins from the spec message direction', () => {
    // 1.6 core and security extension
    expect(byOrigin('ocpp1.6', 'ChargingStation')).toEqual(['Authorize', 'BootNotification',
      'DiagnosticsStatusNotification', 'FirmwareStatusNotification', 'Heartbeat', 'LogStatusNotification', 'MeterValues',
      'SecurityEventNotification', 'SignCertificate', 'SignedFirmwareStatusNotification', 'StartTransaction',
      'StatusNotification', 'StopTransaction']);
    for (const a of ['CertificateSigned', 'DeleteCertificate', 'ExtendedTriggerMessage', 'GetInstalledCertificateIds',
      'GetLog', 'InstallCertificate', 'SignedUpdateFirmware', 'RemoteStartTransaction', 'TriggerMessage']) {
      expect(actionOrigin('ocpp1.6', a)).toEqual(['CSMS']);
    }
    expect(byOrigin('ocpp2.0.1', 'ChargingStation')).toHaveLength(24);
    expect(byOrigin('ocpp2.0.1', 'CSMS')).toHaveLength(39);
    // 2.1 additions
    for (const a of ['BatterySwap', 'GetCertificateChainStatus', 'NotifyDERAlarm', 'NotifyDERStartStop', 'ReportDERControl',
      'NotifyPriorityCharging', 'NotifySettlement', 'VatNumberValidation', 'PullDynamicScheduleUpdate',
      'OpenPeriodicEventStream', 'ClosePeriodicEventStream', 'NotifyPeriodicEventStream']) {
      expect(actionOrigin('ocpp2.1', a), a).toEqual(['ChargingStation']);
    }
    for (const a of ['AFRRSignal', 'AdjustPeriodicEventStream', 'GetPeriodicEventStream', 'ChangeTransactionTariff',
      'ClearDERControl', 'ClearTariffs', 'GetDERControl', 'GetTariffs', 'NotifyAllowedEnergyTransfer',
      'NotifyWebPaymentStarted', 'RequestBatterySwap', 'SetDERControl', 'SetDefaultTariff', 'UpdateDynamicSchedule',
      'UsePriorityCharging']) {
      expect(actionOrigin('ocpp2.1', a), a).toEqual(['CSMS']);
    }
    for (const p of PROTOCOLS) {
      expect(byOrigin(p, 'ChargingStation+CSMS')).toEqual(['DataTransfer']);
    }
  });

  it('treats unknown protocols, unknown actions and prototype keys as unknown', () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '../BootNotification', '', 'bootnotification']) {
      expect(isKnownAction('ocpp1.6', name)).toBe(false);
      expect(actionOrigin('ocpp1.6', name)).toBeUndefined();
      expect(isSendOnly('ocpp1.6', name)).toBe(false);
    }
    expect(isKnownAction('ocpp1.5', 'BootNotification')).toBe(false);
    expect(isKnownAction('__proto__', 'BootNotification')).toBe(false);
    expect(isKnownAction('ocpp2.1', 'BootNotification')).toBe(true);
    expect(() => listActions('ocpp9' as never)).toThrow(TypeError);
  });
});
