import type { ServerClient } from '@chargewire/server';
import type { CsmsService } from '../domain/csmsService.js';
import type { MessageLog } from '../domain/messageLog.js';
import type { Logger } from '../logger.js';
import { logFrames } from './frameLog.js';
import { registerOcpp16Handlers } from './ocpp16Handlers.js';
import { registerOcpp201Handlers } from './ocpp201Handlers.js';

/**
 * Wires one accepted charger connection: records the connection, installs the handler set of its
 * protocol version, and records the disconnect (fenced by connection id, so a replaced connection's
 * late close does not mark the new one offline).
 */
export function attachCharger(client: ServerClient, service: CsmsService, messages: MessageLog, logger: Logger): void {
  const chargerId = client.identity;
  const deps = { service, logger };
  if (client.protocol === 'ocpp1.6') registerOcpp16Handlers(client, chargerId, deps);
  else if (client.protocol === 'ocpp2.0.1') registerOcpp201Handlers(client, chargerId, deps);
  else {
    // The route only offers the two protocols above; anything else is a wiring mistake.
    logger.error('charger connected with a protocol this CSMS has no handlers for', { chargerId, protocol: client.protocol });
    client.close(1002, 'Unsupported protocol');
    return;
  }
  client.on('close', ({ code }) => {
    if (!service.store.isOpen) return;
    service.chargerDisconnected(chargerId, client.nodeId, client.connectionId, code);
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
  service.chargerConnected(chargerId, client.protocol, client.nodeId, client.connectionId);
}
