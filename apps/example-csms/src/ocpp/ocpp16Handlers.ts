import type { Ocpp16 } from '@chargewire/ocpp-types';
import type { AuthorizationResult } from '../domain/csmsService.js';
import { acceptedOnly, requireAccepted, type ChargerRoute, type OcppHandlerDeps } from './handlerContext.js';
import { samplesFrom16 } from './samples.js';

/** 1.6 IdTagInfo (§7.29): a tag not in the table is `Invalid` (1.6 has no `Unknown`). */
export function idTagInfo16(auth: AuthorizationResult): Ocpp16.AuthorizeResponse['idTagInfo'] {
  const info: Ocpp16.AuthorizeResponse['idTagInfo'] = { status: auth.status === 'Unknown' ? 'Invalid' : auth.status };
  if (auth.expiryDate !== undefined) info.expiryDate = auth.expiryDate;
  if (auth.parentIdTag !== undefined) info.parentIdTag = auth.parentIdTag;
  return info;
}

/** Registers, once on the chargers' route (shared by every connection), the OCPP 1.6 (Core profile + status notifications) handlers: each answers for the charger that called (`ctx.client`). */
export function registerOcpp16Handlers(route: ChargerRoute, { service, logger }: OcppHandlerDeps): void {
  route.handle('ocpp1.6', 'BootNotification', async ({ client, params }) => {
    const result = await service.boot(client.identity, {
      vendor: params.chargePointVendor,
      model: params.chargePointModel,
      serialNumber: params.chargePointSerialNumber ?? params.chargeBoxSerialNumber,
      firmwareVersion: params.firmwareVersion,
    });
    return { status: result.status, currentTime: result.currentTime, interval: result.interval };
  });

  route.handle('ocpp1.6', 'Heartbeat', ({ client }) => service.heartbeat(client.identity));

  route.handle('ocpp1.6', 'StatusNotification', async ({ client, params, action }) => {
    await service.connectorStatus(
      client.identity,
      params.connectorId,
      params.status,
      params.timestamp === undefined ? undefined : new Date(params.timestamp).toISOString(),
      params.errorCode,
      params.info ?? params.vendorErrorCode,
      acceptedOnly(action),
    );
    return {};
  });

  route.handle('ocpp1.6', 'Authorize', async ({ client, params, action }) => {
    await requireAccepted(service, client.identity, action);
    return { idTagInfo: idTagInfo16(await service.authorize(params.idTag)) };
  });

  route.handle('ocpp1.6', 'StartTransaction', async ({ client, params, action }) => {
    const { transaction, authorization } = await service.startTransaction16(client.identity, {
      connectorId: params.connectorId,
      idTag: params.idTag,
      meterStartWh: params.meterStart,
      timestamp: new Date(params.timestamp).toISOString(),
      reservationId: params.reservationId,
    }, acceptedOnly(action));
    return { transactionId: transaction.id, idTagInfo: idTagInfo16(authorization) };
  });

  route.handle('ocpp1.6', 'StopTransaction', async ({ client, params, action }) => {
    const { authorization } = await service.stopTransaction16(
      client.identity,
      {
        transactionId: params.transactionId,
        idTag: params.idTag,
        meterStopWh: params.meterStop,
        timestamp: new Date(params.timestamp).toISOString(),
        reason: params.reason,
      },
      samplesFrom16(params.transactionData ?? []),
      acceptedOnly(action),
    );
    return authorization === undefined ? {} : { idTagInfo: idTagInfo16(authorization) };
  });

  route.handle('ocpp1.6', 'MeterValues', async ({ client, params, action }) => {
    await service.meterValues(client.identity, params.connectorId, params.transactionId, samplesFrom16(params.meterValue), acceptedOnly(action));
    return {};
  });

  route.handle('ocpp1.6', 'DataTransfer', ({ client, params }) => {
    // No vendor extensions here (1.6 §4.3): say so instead of pretending to accept the data.
    logger.info('DataTransfer from charger (no vendor extension installed)', { chargerId: client.identity, vendorId: params.vendorId });
    return { status: 'UnknownVendorId' };
  });

  route.handle('ocpp1.6', 'DiagnosticsStatusNotification', ({ client, params }) => {
    logger.info('diagnostics status', { chargerId: client.identity, status: params.status });
    return {};
  });

  route.handle('ocpp1.6', 'FirmwareStatusNotification', ({ client, params }) => {
    logger.info('firmware status', { chargerId: client.identity, status: params.status });
    return {};
  });
}
