import type { EventEmitter } from 'node:events';
import { RpcError } from './errors.js';
import type { Direction, RpcEndpointEvents } from './events.js';
import type { PayloadKind, Violation } from './ocppTypes.js';

export type EndpointEmitter = EventEmitter<RpcEndpointEvents>;

/**
 * Emits 'callError' when someone listens. `error` defaults to `cause` when that is an RpcError, else to a
 * GenericError describing the local failure (timeout, abort, closed connection…).
 */
export function reportCallError(
  emitter: EndpointEmitter,
  direction: Direction,
  messageId: string,
  action: string,
  cause: unknown,
  error?: RpcError,
): void {
  if (emitter.listenerCount('callError') === 0) return;
  const rpcError =
    error ??
    (cause instanceof RpcError ? cause : new RpcError('GenericError', cause instanceof Error ? cause.message : 'Call failed', {}, { cause }));
  emitter.emit('callError', { direction, messageId, action, error: rpcError, cause });
}

/** Emits 'strictValidationFailure' when someone listens. */
export function reportValidationFailure(
  emitter: EndpointEmitter,
  direction: Direction,
  kind: PayloadKind,
  action: string,
  messageId: string,
  violations: Violation[],
): void {
  if (emitter.listenerCount('strictValidationFailure') > 0) {
    emitter.emit('strictValidationFailure', { direction, kind, action, messageId, violations });
  }
}
