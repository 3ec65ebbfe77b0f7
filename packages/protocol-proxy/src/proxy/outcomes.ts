import { ConnectionClosedError, NotConnectedError, RpcError, TimeoutError } from '@chargewire/rpc-core';
import type { CallOutcome } from '../engine/plan.js';

/** Turns what a `callRaw` threw into the outcome the engine expects; the description names the leg. */
export function failedOutcome(err: unknown, action: string, peer: 'backend' | 'charger'): CallOutcome & { ok: false } {
  if (err instanceof RpcError) return { ok: false, error: { code: err.code, description: err.description, details: err.details } };
  if (err instanceof TimeoutError) {
    return { ok: false, error: { code: 'InternalError', description: `${action}: the ${peer} did not answer in time`, details: {} } };
  }
  if (err instanceof ConnectionClosedError || err instanceof NotConnectedError) {
    return { ok: false, error: { code: 'InternalError', description: `${action}: the ${peer} connection was lost`, details: {} } };
  }
  return { ok: false, error: { code: 'InternalError', description: `${action}: the call to the ${peer} failed`, details: {} } };
}
