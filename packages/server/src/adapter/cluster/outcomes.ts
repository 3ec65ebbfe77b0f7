import type { PresenceRecord, RemoteCallOutcome } from '../adapter.js';

/** A failed call outcome of one of the transport kinds (the server maps each to an rpc-core error class). */
export function failure(kind: 'timeout' | 'notConnected' | 'closed' | 'internal', message: string): RemoteCallOutcome {
  return { ok: false, error: { kind, message } };
}

export function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/** Resolves with `promise`'s value, or with undefined once `ms` have passed (the promise keeps running). */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(toError(e));
      },
    );
  });
}

/** Presence records come from the server, or from untyped JavaScript: check them before they reach Redis. */
export function assertPresenceRecord(record: PresenceRecord): void {
  const ok =
    typeof record === 'object' &&
    record !== null &&
    typeof record.identity === 'string' &&
    record.identity.length > 0 &&
    typeof record.nodeId === 'string' &&
    record.nodeId.length > 0 &&
    typeof record.connectionId === 'string' &&
    record.connectionId.length > 0 &&
    typeof record.protocol === 'string' &&
    record.protocol.length > 0 &&
    Number.isFinite(record.connectedAt);
  if (!ok) throw new TypeError('invalid presence record: identity, nodeId, connectionId and protocol must be non-empty strings, connectedAt a finite number');
}
