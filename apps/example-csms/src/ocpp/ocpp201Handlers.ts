import type { OcppPeer } from '@chargewire/rpc-core';
import type { Ocpp201 } from '@chargewire/ocpp-types';
import type { AuthorizationResult } from '../domain/csmsService.js';
import { requireAccepted, type OcppHandlerDeps } from './handlerContext.js';
import { samplesFrom201 } from './samples.js';

/** 2.0.1 IdTokenInfoType: the table's expiry becomes the cache expiry (C01.FR.xx). */
export function idTokenInfo201(auth: AuthorizationResult): Ocpp201.IdTokenInfoType {
  const info: Ocpp201.IdTokenInfoType = { status: auth.status };
  if (auth.expiryDate !== undefined) info.cacheExpiryDateTime = auth.expiryDate;
  if (auth.parentIdTag !== undefined) info.groupIdToken = { idToken: auth.parentIdTag, type: 'Central' };
  return info;
}

/**
 * Registers the OCPP 2.0.1 handlers (provisioning B01–B03, authorization C01, transactions E01–E15,
 * meter values J01/J02, availability G01) on one charger connection.
 */
export function registerOcpp201Handlers(client: OcppPeer<'CSMS'>, chargerId: string, { service, logger }: OcppHandlerDeps): void {
  client.handle('ocpp2.0.1', 'BootNotification', async ({ params }) => {
    const station = params.chargingStation;
    const result = await service.boot(chargerId, {
      vendor: station.vendorName,
      model: station.model,
      serialNumber: station.serialNumber,
      firmwareVersion: station.firmwareVersion,
    }, params.reason !== 'Triggered');
    return { status: result.status, currentTime: result.currentTime, interval: result.interval };
  });

  client.handle('ocpp2.0.1', 'Heartbeat', () => service.heartbeat(chargerId));

  client.handle('ocpp2.0.1', 'StatusNotification', async ({ params, action }) => {
    await requireAccepted(service, chargerId, action);
    // The REST model has one connector per EVSE: the evseId is the connector number there.
    await service.connectorStatus(chargerId, params.evseId, params.connectorStatus, new Date(params.timestamp).toISOString());
    return {};
  });

  client.handle('ocpp2.0.1', 'Authorize', async ({ params, action }) => {
    await requireAccepted(service, chargerId, action);
    return { idTokenInfo: idTokenInfo201(await service.authorize(params.idToken.idToken)) };
  });

  client.handle('ocpp2.0.1', 'TransactionEvent', async ({ params, action }) => {
    await requireAccepted(service, chargerId, action);
    const info = params.transactionInfo;
    // A NoAuthorization token (free charging, 2.0.1 C.IdTokenEnumType) has nothing to look up.
    const freeCharging = params.idToken?.type === 'NoAuthorization';
    const { authorization } = await service.transactionEvent(chargerId, {
      eventType: params.eventType,
      ocppTransactionId: info.transactionId,
      timestamp: new Date(params.timestamp).toISOString(),
      connectorId: params.evse?.id,
      idTag: freeCharging ? undefined : params.idToken?.idToken,
      chargingState: info.chargingState,
      stoppedReason: info.stoppedReason,
      remoteStartId: info.remoteStartId,
      samples: samplesFrom201(params.meterValue),
    });
    // idTokenInfo is answered when the request carried an idToken (E01/E05).
    if (freeCharging) return { idTokenInfo: { status: 'Accepted' } };
    return authorization === undefined ? {} : { idTokenInfo: idTokenInfo201(authorization) };
  });

  client.handle('ocpp2.0.1', 'MeterValues', async ({ params, action }) => {
    await requireAccepted(service, chargerId, action);
    await service.meterValues(chargerId, params.evseId, undefined, samplesFrom201(params.meterValue));
    return {};
  });

  client.handle('ocpp2.0.1', 'NotifyEvent', ({ params }) => {
    logger.debug('NotifyEvent', { chargerId, seqNo: params.seqNo, events: params.eventData.length });
    return {};
  });

  client.handle('ocpp2.0.1', 'NotifyReport', ({ params }) => {
    logger.debug('NotifyReport', { chargerId, requestId: params.requestId, seqNo: params.seqNo });
    return {};
  });

  client.handle('ocpp2.0.1', 'SecurityEventNotification', ({ params }) => {
    logger.info('security event', { chargerId, type: params.type, techInfo: params.techInfo });
    return {};
  });

  client.handle('ocpp2.0.1', 'FirmwareStatusNotification', ({ params }) => {
    logger.info('firmware status', { chargerId, status: params.status });
    return {};
  });

  client.handle('ocpp2.0.1', 'LogStatusNotification', ({ params }) => {
    logger.info('log status', { chargerId, status: params.status });
    return {};
  });

  client.handle('ocpp2.0.1', 'DataTransfer', ({ params }) => {
    logger.info('DataTransfer from charger (no vendor extension installed)', { chargerId, vendorId: params.vendorId });
    return { status: 'UnknownVendorId' };
  });
}
