import type { Action16, Action201, Req16, Req201 } from '../wire/types.js';
import * as dataTransfer from './backend/dataTransfer.js';
import * as device from './backend/device.js';
import * as firmware from './backend/firmware.js';
import * as localList from './backend/localList.js';
import * as remote from './backend/remote.js';
import * as reports from './backend/reports.js';
import * as reservation from './backend/reservation.js';
import * as security from './backend/security.js';
import * as smartCharging from './backend/smartCharging.js';
import { getTransactionStatus } from './backend/transactionStatus.js';
import * as variables from './backend/variables.js';
import * as simple from './charger/simple.js';
import { statusNotification } from './charger/status.js';
import * as tx from './charger/transactions.js';
import type { ActionTranslator } from './plan.js';

type ChargerTable = { [A in Action16]?: { target: string; translate: ActionTranslator<Req16<A>> } };
type BackendTable = { [A in Action201]?: { target: string; translate: ActionTranslator<Req201<A>> } };

/** 1.6 charger-initiated action → the 2.0.1 action it mainly becomes, and its translator. */
export const CHARGER_ACTIONS: ChargerTable = {
  BootNotification: { target: 'BootNotification', translate: simple.bootNotification },
  Heartbeat: { target: 'Heartbeat', translate: simple.heartbeat },
  StatusNotification: { target: 'StatusNotification', translate: statusNotification },
  Authorize: { target: 'Authorize', translate: simple.authorize },
  StartTransaction: { target: 'TransactionEvent', translate: tx.startTransaction },
  MeterValues: { target: 'TransactionEvent', translate: tx.meterValues },
  StopTransaction: { target: 'TransactionEvent', translate: tx.stopTransaction },
  DataTransfer: { target: 'DataTransfer', translate: simple.dataTransfer },
  FirmwareStatusNotification: { target: 'FirmwareStatusNotification', translate: simple.firmwareStatusNotification },
  DiagnosticsStatusNotification: { target: 'LogStatusNotification', translate: simple.diagnosticsStatusNotification },
  SecurityEventNotification: { target: 'SecurityEventNotification', translate: simple.securityEventNotification },
  SignCertificate: { target: 'SignCertificate', translate: simple.signCertificate },
  LogStatusNotification: { target: 'LogStatusNotification', translate: simple.logStatusNotification },
  SignedFirmwareStatusNotification: { target: 'FirmwareStatusNotification', translate: simple.signedFirmwareStatusNotification },
};

/** 2.0.1 backend-initiated action → the 1.6 action it mainly becomes, and its translator. */
export const BACKEND_ACTIONS: BackendTable = {
  RequestStartTransaction: { target: 'RemoteStartTransaction', translate: remote.requestStartTransaction },
  RequestStopTransaction: { target: 'RemoteStopTransaction', translate: remote.requestStopTransaction },
  Reset: { target: 'Reset', translate: device.reset },
  ChangeAvailability: { target: 'ChangeAvailability', translate: device.changeAvailability },
  UnlockConnector: { target: 'UnlockConnector', translate: device.unlockConnector },
  TriggerMessage: { target: 'TriggerMessage', translate: device.triggerMessage },
  ClearCache: { target: 'ClearCache', translate: device.clearCache },
  GetVariables: { target: 'GetConfiguration', translate: variables.getVariables },
  GetBaseReport: { target: 'GetConfiguration', translate: reports.getBaseReport },
  SetVariables: { target: 'ChangeConfiguration', translate: variables.setVariables },
  SetChargingProfile: { target: 'SetChargingProfile', translate: smartCharging.setChargingProfile },
  ClearChargingProfile: { target: 'ClearChargingProfile', translate: smartCharging.clearChargingProfile },
  GetCompositeSchedule: { target: 'GetCompositeSchedule', translate: smartCharging.getCompositeSchedule },
  UpdateFirmware: { target: 'UpdateFirmware', translate: firmware.updateFirmware },
  GetLog: { target: 'GetDiagnostics', translate: firmware.getLog },
  ReserveNow: { target: 'ReserveNow', translate: reservation.reserveNow },
  CancelReservation: { target: 'CancelReservation', translate: reservation.cancelReservation },
  GetLocalListVersion: { target: 'GetLocalListVersion', translate: localList.getLocalListVersion },
  SendLocalList: { target: 'SendLocalList', translate: localList.sendLocalList },
  DataTransfer: { target: 'DataTransfer', translate: dataTransfer.dataTransfer },
  CertificateSigned: { target: 'CertificateSigned', translate: security.certificateSigned },
  InstallCertificate: { target: 'InstallCertificate', translate: security.installCertificate },
  DeleteCertificate: { target: 'DeleteCertificate', translate: security.deleteCertificate },
  GetInstalledCertificateIds: { target: 'GetInstalledCertificateIds', translate: security.getInstalledCertificateIds },
  GetTransactionStatus: { target: '(answered by the proxy)', translate: getTransactionStatus },
};

/** Which action each translated action mainly becomes, per direction (read-only summary of the tables). */
export function translatedActions(): { charger: Readonly<Record<string, string>>; backend: Readonly<Record<string, string>> } {
  const summary = (table: Record<string, { target: string } | undefined>) =>
    Object.freeze(Object.fromEntries(Object.entries(table).flatMap(([action, entry]) => (entry ? [[action, entry.target]] : []))));
  return { charger: summary(CHARGER_ACTIONS), backend: summary(BACKEND_ACTIONS) };
}
