import { ConnectionClosedError, NotConnectedError, RpcError, TimeoutError } from '@chargewire/rpc-core';
import type { SerializedError } from './adapter.js';

/**
 * Turns an error from a local call into plain data that can cross to another node. RpcErrors keep their
 * code, description and details; anything unexpected becomes `internal` with a generic message (its text
 * never leaves the node).
 */
export function serializeError(err: unknown): SerializedError {
  if (err instanceof RpcError) return { kind: 'rpc', code: err.code, description: err.description, details: err.details };
  if (err instanceof TimeoutError) return { kind: 'timeout', message: err.message };
  if (err instanceof NotConnectedError) return { kind: 'notConnected', message: err.message };
  if (err instanceof ConnectionClosedError) return { kind: 'closed', message: err.message };
  return { kind: 'internal', message: 'Internal error on the node that owns the charger' };
}

/** Context that lets `deserializeError` fill the fields of the typed rpc-core errors. */
export interface DeserializeContext {
  action?: string;
  timeoutMs?: number;
}

/** An error raised on another node for which no more specific class exists. */
export class RemoteCallError extends Error {
  override name = 'RemoteCallError';
}

/** The inverse of `serializeError`: rebuilds the rpc-core error classes so `instanceof` checks keep working. */
export function deserializeError(e: SerializedError, context: DeserializeContext = {}): Error {
  switch (e.kind) {
    case 'rpc':
      return new RpcError(e.code, e.description, e.details);
    case 'timeout': {
      const err = new TimeoutError(context.action ?? 'unknown', '', context.timeoutMs ?? 0);
      err.message = e.message;
      return err;
    }
    case 'notConnected':
      return new NotConnectedError(e.message);
    case 'closed':
      return new ConnectionClosedError(1006, '', e.message);
    default:
      return new RemoteCallError(e.message);
  }
}
