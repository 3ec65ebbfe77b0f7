import type { RpcErrorCode } from '../wire/types.js';

/** A CALLERROR the engine wants sent (internal 2.x code set; the RPC layer spells it per protocol). */
export interface TranslationFailure {
  readonly code: RpcErrorCode;
  /** At most 255 characters (OCPP-J 2.x §4.2.3). */
  readonly description: string;
  readonly details: Record<string, unknown>;
}

/** Thrown inside action translators; the translator turns it into a {@link TranslationFailure}. */
export class TranslationError extends Error {
  readonly code: RpcErrorCode;
  readonly description: string;
  readonly details: Record<string, unknown>;
  constructor(code: RpcErrorCode, description: string, details: Record<string, unknown> = {}) {
    super(description);
    this.name = 'TranslationError';
    this.code = code;
    this.description = truncate(description, 255);
    this.details = details;
  }
  toFailure(): TranslationFailure {
    return { code: this.code, description: this.description, details: this.details };
  }
}

/** NotSupported naming the action: what the issue requires for anything without a faithful translation. */
export function notSupported(action: string, why: string, details: Record<string, unknown> = {}): TranslationError {
  return new TranslationError('NotSupported', `${action}: ${why}`, { action, ...details });
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Translates a CALLERROR received from one side into the one to send to the other side.
 * Codes are kept in one internal set; only two 2.x codes have no 1.6 counterpart and become
 * ProtocolError (OCPP-J 1.6 §4.2.3 has no RpcFrameworkError / MessageTypeNotSupported).
 * The description is kept (bounded to 255 characters), details pass unchanged.
 */
export function translateError(
  target: 'ocpp1.6' | 'ocpp2.0.1' | 'ocpp2.1',
  error: { code: RpcErrorCode; description?: string; details?: Record<string, unknown> },
): TranslationFailure {
  let code = error.code;
  if (target === 'ocpp1.6' && (code === 'RpcFrameworkError' || code === 'MessageTypeNotSupported')) code = 'ProtocolError';
  return { code, description: truncate(error.description ?? '', 255), details: { ...(error.details ?? {}) } };
}
