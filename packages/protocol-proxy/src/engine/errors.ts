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
    this.description = sanitizeDescription(description);
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

/** Cuts `text` to at most `max` UTF-16 units, ending in `…` when cut, never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1; // a high surrogate whose low half would be cut off
  return `${text.slice(0, end)}…`;
}

/** OCPP-J 2.x Part 4 §4.2.3: errorDescription is at most 255 characters. */
export const MAX_ERROR_DESCRIPTION = 255;

/**
 * C0 and C1 control characters, DEL, and the Unicode bidirectional overrides and isolates: text that can move a
 * terminal cursor, forge log lines or reorder what an operator reads (CVE-2021-42574).
 */
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * An error description as it may be relayed to the other side: control characters stripped, at most 255
 * characters. The proxy relays descriptions written by one peer to another (a backend's CALLERROR reaches a
 * charger's logs and display), so it never forwards them raw.
 */
export function sanitizeDescription(text: string): string {
  return truncate(text.replace(UNSAFE_CHARACTERS, ''), MAX_ERROR_DESCRIPTION);
}

/**
 * Translates a CALLERROR received from one side into the one to send to the other side.
 * Codes are kept in one internal set; only two 2.x codes have no 1.6 counterpart and become
 * ProtocolError (OCPP-J 1.6 §4.2.3 has no RpcFrameworkError / MessageTypeNotSupported).
 * The description is kept, with control characters stripped and bounded to 255 characters
 * ({@link sanitizeDescription}); details pass unchanged.
 */
export function translateError(
  target: 'ocpp1.6' | 'ocpp2.0.1' | 'ocpp2.1',
  error: { code: RpcErrorCode; description?: string; details?: Record<string, unknown> },
): TranslationFailure {
  let code = error.code;
  if (target === 'ocpp1.6' && (code === 'RpcFrameworkError' || code === 'MessageTypeNotSupported')) code = 'ProtocolError';
  return { code, description: sanitizeDescription(error.description ?? ''), details: { ...(error.details ?? {}) } };
}
