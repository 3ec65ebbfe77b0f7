import type { Ocpp201 } from '@chargewire/ocpp-types';
import type { AuthorizationResult } from '../domain/csmsService.js';
import { acceptedOnly, requireAccepted, type ChargerRoute, type OcppHandlerDeps } from './handlerContext.js';
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
export function registerOcpp201Handlers(route: ChargerRoute, { service, logger }: OcppHandlerDeps): void {
  route.handle('ocpp2.0.1', 'BootNotification', async ({ client, params }) => {
    const station = params.chargingStation;
    const result = await service.boot(client.identity, {
      vendor: station.vendorName,
      model: station.model,
      serialNumber: station.serialNumber,
      firmwareVersion: station.firmwareVersion,
    }, params.reason !== 'Triggered');
    return { status: result.status, currentTime: result.currentTime, interval: result.interval };
  });

  route.handle('ocpp2.0.1', 'Heartbeat', ({ client }) => service.heartbeat(client.identity));

  route.handle('ocpp2.0.1', 'StatusNotification', async ({ client, params, action }) => {
    // The REST model has one connector per EVSE: the evseId is the connector number there.
    await service.connectorStatus(client.identity, params.evseId, params.connectorStatus, new Date(params.timestamp).toISOString(), undefined, undefined, acceptedOnly(action));
    return {};
  });

  route.handle('ocpp2.0.1', 'Authorize', async ({ client, params, action }) => {
    await requireAccepted(service, client.identity, action);
    return { idTokenInfo: idTokenInfo201(await service.authorize(params.idToken.idToken)) };
  });

  route.handle('ocpp2.0.1', 'TransactionEvent', async ({ client, params, action }) => {
    const info = params.transactionInfo;
    // A NoAuthorization token (free charging, 2.0.1 C.IdTokenEnumType) has nothing to look up.
    const freeCharging = params.idToken?.type === 'NoAuthorization';
    const { authorization } = await service.transactionEvent(client.identity, {
      eventType: params.eventType,
      ocppTransactionId: info.transactionId,
      timestamp: new Date(params.timestamp).toISOString(),
      connectorId: params.evse?.id,
      idTag: freeCharging ? undefined : params.idToken?.idToken,
      chargingState: info.chargingState,
      stoppedReason: info.stoppedReason,
      remoteStartId: info.remoteStartId,
      samples: samplesFrom201(params.meterValue),
    }, acceptedOnly(action));
    // idTokenInfo is answered when the request carried an idToken (E01/E05).
    if (freeCharging) return { idTokenInfo: { status: 'Accepted' } };
    return authorization === undefined ? {} : { idTokenInfo: idTokenInfo201(authorization) };
  });

  route.handle('ocpp2.0.1', 'MeterValues', async ({ client, params, action }) => {
    await service.meterValues(client.identity, params.evseId, undefined, samplesFrom201(params.meterValue), acceptedOnly(action));
    return {};
  });

  route.handle('ocpp2.0.1', 'NotifyEvent', ({ client, params }) => {
    logger.debug('NotifyEvent', { chargerId: client.identity, seqNo: params.seqNo, events: params.eventData.length });
    return {};
  });

  route.handle('ocpp2.0.1', 'NotifyReport', ({ client, params }) => {
    logger.debug('NotifyReport', { chargerId: client.identity, requestId: params.requestId, seqNo: params.seqNo });
    return {};
  });

  route.handle('ocpp2.0.1', 'SecurityEventNotification', ({ client, params }) => {
    logger.info('security event', { chargerId: client.identity, type: params.type, techInfo: params.techInfo });
    return {};
  });

  route.handle('ocpp2.0.1', 'FirmwareStatusNotification', ({ client, params }) => {
    logger.info('firmware status', { chargerId: client.identity, status: params.status });
    return {};
  });

  route.handle('ocpp2.0.1', 'LogStatusNotification', ({ client, params }) => {
    logger.info('log status', { chargerId: client.identity, status: params.status });
    return {};
  });

  route.handle('ocpp2.0.1', 'DataTransfer', ({ client, params }) => {
    logger.info('DataTransfer from charger (no vendor extension installed)', { chargerId: client.identity, vendorId: params.vendorId });
    return { status: 'UnknownVendorId' };
  });
}
