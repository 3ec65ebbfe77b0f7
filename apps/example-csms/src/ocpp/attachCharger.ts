import type { ServerClient } from '@chargewire/server';
import type { CsmsService } from '../domain/csmsService.js';
import type { MessageLog } from '../domain/messageLog.js';
import type { Logger } from '../logger.js';
import { logFrames } from './frameLog.js';
import type { ChargerRoute } from './handlerContext.js';
import { registerOcpp16Handlers } from './ocpp16Handlers.js';
import { registerOcpp201Handlers } from './ocpp201Handlers.js';

/**
 * Wires one accepted charger connection (its OCPP handlers are the route's, see registerOcppHandlers):
 * records the connection and the disconnect (fenced by connection id, so a replaced connection's
 * late close does not mark the new one offline).
 */
export function attachCharger(client: ServerClient, service: CsmsService, messages: MessageLog, logger: Logger): void {
  const chargerId = client.identity;
  if (client.protocol !== 'ocpp1.6' && client.protocol !== 'ocpp2.0.1') {
    // The route only offers the two protocols above; anything else is a wiring mistake.
    logger.error('charger connected with a protocol this CSMS has no handlers for', { chargerId, protocol: client.protocol });
    client.close(1002, 'Unsupported protocol');
    return;
  }
  // The connection is recorded before any of its messages is handled (BootNotification of a charger
  // registered just now must find it) and before its close is: the disconnect write waits for the connect
  // write, or a quick close could be overwritten by it and leave the charger "connected" for good.
  const recorded = service.chargerConnected(chargerId, client.protocol, client.nodeId, client.connectionId);
  recorded.catch((err: unknown) => logger.error('could not record a charger connection', { chargerId, err }));
  client.use(async (ctx, next) => {
    if (ctx.direction === 'in') await recorded;
    await next();
  });
  client.on('close', ({ code }) => {
    void recorded
      .then(() => (service.store.isOpen ? service.chargerDisconnected(chargerId, client.nodeId, client.connectionId, code) : undefined))
      .catch((err: unknown) => logger.error('could not record a charger disconnect', { chargerId, err }));
  });
  // The dashboard's message log: each CALL in either direction, settled by its CALLRESULT or CALLERROR.
  client.on('call', (e: { direction: 'in' | 'out'; messageId: string; action: string }) => messages.call(chargerId, e.direction, e.messageId, e.action));
  client.on('callResult', (e: { direction: 'in' | 'out'; messageId: string }) => messages.settle(chargerId, e.direction, e.messageId));
  client.on('callError', (e: { direction: 'in' | 'out'; messageId: string; error: { code: string } }) =>
    messages.settle(chargerId, e.direction, e.messageId, e.error.code),
  );
  logFrames(client, chargerId, logger);
  client.on('strictValidationFailure', (failure: { direction?: string; action?: string; violations?: unknown[] }) => {
    logger.warn('schema violation', { chargerId, direction: failure.direction, action: failure.action, violations: failure.violations?.length });
  });
}

/** Registers the handlers of both OCPP versions once on the chargers' route: no handler table per connection. */
export function registerOcppHandlers(route: ChargerRoute, service: CsmsService, logger: Logger): void {
  registerOcpp16Handlers(route, { service, logger });
  registerOcpp201Handlers(route, { service, logger });
}
