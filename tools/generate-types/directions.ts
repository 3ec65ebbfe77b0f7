import type { ProtocolName } from './protocols.js';

/**
 * Message direction, as data. For each protocol: the actions whose request is sent by the Charging Station
 * (Charge Point in 1.6). Every other action is sent by the CSMS (Central System), except those listed in
 * `BOTH_WAYS`. The generator fails if a name here does not exist in that protocol's schemas, and
 * a test pins the resulting counts.
 *
 * Sources: OCPP 1.6 edition 2 §4 ("Operations initiated by Charge Point") and §5 ("Operations initiated by
 * Central System"); the 1.6 Security Whitepaper edition 3 §5 (message list with direction); OCPP 2.0.1 and
 * 2.1 Part 2, the "Messages" chapter and each use case's sequence diagram.
 */
export const CHARGING_STATION_INITIATED: Readonly<Record<ProtocolName, readonly string[]>> = {
  'ocpp1.6': [
    // Core profile, §4
    'Authorize', 'BootNotification', 'DiagnosticsStatusNotification', 'FirmwareStatusNotification', 'Heartbeat',
    'MeterValues', 'StartTransaction', 'StatusNotification', 'StopTransaction',
    // Security extension
    'LogStatusNotification', 'SecurityEventNotification', 'SignCertificate', 'SignedFirmwareStatusNotification',
  ],
  'ocpp2.0.1': [
    'Authorize', 'BootNotification', 'ClearedChargingLimit', 'FirmwareStatusNotification', 'Get15118EVCertificate',
    'GetCertificateStatus', 'Heartbeat', 'LogStatusNotification', 'MeterValues', 'NotifyChargingLimit',
    'NotifyCustomerInformation', 'NotifyDisplayMessages', 'NotifyEVChargingNeeds', 'NotifyEVChargingSchedule',
    'NotifyEvent', 'NotifyMonitoringReport', 'NotifyReport', 'PublishFirmwareStatusNotification',
    'ReportChargingProfiles', 'ReservationStatusUpdate', 'SecurityEventNotification', 'SignCertificate',
    'StatusNotification', 'TransactionEvent',
  ],
  'ocpp2.1': [
    // Carried over from 2.0.1
    'Authorize', 'BootNotification', 'ClearedChargingLimit', 'FirmwareStatusNotification', 'Get15118EVCertificate',
    'GetCertificateStatus', 'Heartbeat', 'LogStatusNotification', 'MeterValues', 'NotifyChargingLimit',
    'NotifyCustomerInformation', 'NotifyDisplayMessages', 'NotifyEVChargingNeeds', 'NotifyEVChargingSchedule',
    'NotifyEvent', 'NotifyMonitoringReport', 'NotifyReport', 'PublishFirmwareStatusNotification',
    'ReportChargingProfiles', 'ReservationStatusUpdate', 'SecurityEventNotification', 'SignCertificate',
    'StatusNotification', 'TransactionEvent',
    // New in 2.1: battery swap, certificate chains, DER, priority charging, payment, dynamic schedules, streams
    'BatterySwap', 'GetCertificateChainStatus', 'NotifyDERAlarm', 'NotifyDERStartStop', 'ReportDERControl',
    'NotifyPriorityCharging', 'NotifySettlement', 'VatNumberValidation', 'PullDynamicScheduleUpdate',
    'OpenPeriodicEventStream', 'ClosePeriodicEventStream',
    // SEND-only (2.1 Part 4 §4.2.6): the station streams data, the CSMS never answers
    'NotifyPeriodicEventStream',
  ],
};

/** Actions either side may initiate (1.6 §4.3/§5.6, 2.x P "DataTransfer"). */
export const BOTH_WAYS: readonly string[] = ['DataTransfer'];
