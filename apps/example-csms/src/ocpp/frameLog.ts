import type { ServerClient } from '@chargewire/server';
import type { CallErrorEvent, CallEvent, CallResultEvent } from '@chargewire/rpc-core';
import type { Logger } from '../logger.js';
import { redactPayload } from './redactPayload.js';

/**
 * Logs every OCPP frame of one charger connection at debug level: direction (`in` = from the charger),
 * charger id, frame type, action, message id and the payload with secrets redacted (see redactPayload).
 * Nothing is installed when the logger says debug is off, so the frames cost nothing then.
 */
export function logFrames(client: ServerClient, chargerId: string, logger: Logger): void {
  if (logger.enabled?.('debug') === false) return;
  client.on('call', (e: CallEvent) => {
    logger.debug('ocpp frame', { direction: e.direction, chargerId, type: 'CALL', action: e.action, messageId: e.messageId, payload: redactPayload(e.params) });
  });
  client.on('callResult', (e: CallResultEvent) => {
    logger.debug('ocpp frame', { direction: e.direction === 'in' ? 'out' : 'in', chargerId, type: 'CALLRESULT', action: e.action, messageId: e.messageId, payload: redactPayload(e.result) });
  });
  client.on('callError', (e: CallErrorEvent) => {
    logger.debug('ocpp frame', {
      direction: e.direction === 'in' ? 'out' : 'in',
      chargerId,
      type: 'CALLERROR',
      action: e.action,
      messageId: e.messageId,
      payload: { errorCode: e.error.code, errorDescription: e.error.description, errorDetails: redactPayload(e.error.details) },
    });
  });
  // A frame that could not be parsed is not echoed: it may hold anything, secrets included.
  client.on('badMessage', (e: { error: { code: string } }) => logger.debug('ocpp frame unreadable', { direction: 'in', chargerId, errorCode: e.error.code }));
}
