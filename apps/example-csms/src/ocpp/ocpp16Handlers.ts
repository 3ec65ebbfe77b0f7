import type { OcppPeer } from '@chargewire/rpc-core';
import type { Ocpp16 } from '@chargewire/ocpp-types';
import type { AuthorizationResult } from '../domain/csmsService.js';
import { requireAccepted, type OcppHandlerDeps } from './handlerContext.js';
import { samplesFrom16 } from './samples.js';

/** 1.6 IdTagInfo (§7.29): a tag not in the table is `Invalid` (1.6 has no `Unknown`). */
export function idTagInfo16(auth: AuthorizationResult): Ocpp16.AuthorizeResponse['idTagInfo'] {
  const info: Ocpp16.AuthorizeResponse['idTagInfo'] = { status: auth.status === 'Unknown' ? 'Invalid' : auth.status };
  if (auth.expiryDate !== undefined) info.expiryDate = auth.expiryDate;
  if (auth.parentIdTag !== undefined) info.parentIdTag = auth.parentIdTag;
  return info;
}

/** Registers the OCPP 1.6 (Core profile + status notifications) handlers on one charger connection. */
export function registerOcpp16Handlers(client: OcppPeer<'CSMS'>, chargerId: string, { service, logger }: OcppHandlerDeps): void {
  client.handle('ocpp1.6', 'BootNotification', async ({ params }) => {
    const result = await service.boot(chargerId, {
      vendor: params.chargePointVendor,
      model: params.chargePointModel,
      serialNumber: params.chargePointSerialNumber ?? params.chargeBoxSerialNumber,
      firmwareVersion: params.firmwareVersion,
    });
    return { status: result.status, currentTime: result.currentTime, interval: result.interval };
  });

  client.handle('ocpp1.6', 'Heartbeat', () => service.heartbeat(chargerId));

  client.handle('ocpp1.6', 'StatusNotification', async ({ params, action }) => {
    await requireAccepted(service, chargerId, action);
    await service.connectorStatus(
      chargerId,
      params.connectorId,
      params.status,
      params.timestamp === undefined ? undefined : new Date(params.timestamp).toISOString(),
      params.errorCode,
      params.info ?? params.vendorErrorCode,
    );
    return {};
  });

  client.handle('ocpp1.6', 'Authorize', async ({ params, action }) => {
    await requireAccepted(service, chargerId, action);
    return { idTagInfo: idTagInfo16(await service.authorize(params.idTag)) };
  });

  client.handle('ocpp1.6', 'StartTransaction', async ({ params, action }) => {
    await requireAccepted(service, chargerId, action);
    const { transaction, authorization } = await service.startTransaction16(chargerId, {
      connectorId: params.connectorId,
      idTag: params.idTag,
      meterStartWh: params.meterStart,
      timestamp: new Date(params.timestamp).toISOString(),
      reservationId: params.reservationId,
    });
    return { transactionId: transaction.id, idTagInfo: idTagInfo16(authorization) };
  });

  client.handle('ocpp1.6', 'StopTransaction', async ({ params, action }) => {
    await requireAccepted(service, chargerId, action);
    const { authorization } = await service.stopTransaction16(
      chargerId,
      {
        transactionId: params.transactionId,
        idTag: params.idTag,
        meterStopWh: params.meterStop,
        timestamp: new Date(params.timestamp).toISOString(),
        reason: params.reason,
      },
      samplesFrom16(params.transactionData ?? []),
    );
    return authorization === undefined ? {} : { idTagInfo: idTagInfo16(authorization) };
  });

  client.handle('ocpp1.6', 'MeterValues', async ({ params, action }) => {
    await requireAccepted(service, chargerId, action);
    await service.meterValues(chargerId, params.connectorId, params.transactionId, samplesFrom16(params.meterValue));
    return {};
  });

  client.handle('ocpp1.6', 'DataTransfer', ({ params }) => {
    // No vendor extensions here (1.6 §4.3): say so instead of pretending to accept the data.
    logger.info('DataTransfer from charger (no vendor extension installed)', { chargerId, vendorId: params.vendorId });
    return { status: 'UnknownVendorId' };
  });

  client.handle('ocpp1.6', 'DiagnosticsStatusNotification', ({ params }) => {
    logger.info('diagnostics status', { chargerId, status: params.status });
    return {};
  });

  client.handle('ocpp1.6', 'FirmwareStatusNotification', ({ params }) => {
    logger.info('firmware status', { chargerId, status: params.status });
    return {};
  });
}
