import type { RpcChannel } from './channel.js';
import type { Connection } from './connection.js';
import { NotConnectedError } from './errors.js';
import { reportCallError, reportValidationFailure, type EndpointEmitter } from './eventReports.js';
import { isPlainObject, serializeFrame } from './frames.js';
import { runMiddleware, type MessageContext } from './middleware.js';
import type { Side } from './ocppTypes.js';
import { checkRequest } from './strict.js';
import type { ValidatorCache } from './validatorCache.js';

/**
 * Writes a 2.1 SEND on `channel` (attached, with `conn.ruleSet` 2.1: the caller checked), through the
 * outbound message middleware if there is any. A SEND has no caller to reject once middleware is involved,
 * so failures from then on are reported as 'callError'; without middleware they throw. Not part of
 * OutboundCalls: a SEND is never queued, so sending one does not create the endpoint's outbound side.
 */
export function sendMessage(
  events: EndpointEmitter,
  conn: Connection,
  side: Side,
  validators: ValidatorCache,
  channel: RpcChannel,
  action: string,
  messageId: string,
  params: unknown,
): void {
  const protocol = conn.protocol;
  if (conn.middleware.length === 0) {
    transmitSend(events, conn, side, validators, channel, protocol, action, messageId, params);
    return;
  }
  const ctx: MessageContext = { direction: 'out', kind: 'send', protocol, action, messageId, params, state: {} };
  runMiddleware(conn.middleware, ctx, async () => {
    if (conn.channel !== channel) throw new NotConnectedError('Channel closed before the SEND went out');
    transmitSend(events, conn, side, validators, channel, protocol, action, messageId, ctx.params);
  }).catch((err: unknown) => reportCallError(events, 'out', messageId, action, err));
}

function transmitSend(
  events: EndpointEmitter,
  conn: Connection,
  side: Side,
  validators: ValidatorCache,
  channel: RpcChannel,
  protocol: string,
  action: string,
  messageId: string,
  params: unknown,
): void {
  const payload = params === undefined ? {} : params;
  if (!isPlainObject(payload)) throw new TypeError('SEND params must be a JSON object');
  if (conn.strict.outboundRequests) {
    const refusal = checkRequest(validators.get(protocol, action, 'request'), protocol, action, payload, side, true);
    if (refusal) {
      if (refusal.violations) reportValidationFailure(events, 'out', 'request', action, messageId, refusal.violations);
      throw refusal.error;
    }
  }
  const text = serializeFrame({ type: 6, messageId, action, payload });
  if (events.listenerCount('call') > 0) events.emit('call', { direction: 'out', kind: 'send', messageId, action, params: payload });
  channel.send(text);
}
