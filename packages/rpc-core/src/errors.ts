import { isRpcErrorCode, type RpcErrorCode } from './ocppTypes.js';

/**
 * Generic descriptions per code, from the CALLERROR tables of OCPP-J 1.6 §4.2.3 and 2.0.1/2.1 Part 4 §4.3.
 * Used when an error is raised without a description and for errors whose own text must not leak.
 */
export const RPC_ERROR_DESCRIPTIONS: Readonly<Record<RpcErrorCode, string>> = {
  FormatViolation: 'Payload for Action is syntactically incorrect',
  GenericError: 'Any other error not covered by the more specific error codes',
  InternalError: 'An internal error occurred and the receiver was not able to process the requested Action',
  MessageTypeNotSupported: 'A message with a Message Type Number received that is not supported by this implementation',
  NotImplemented: 'Requested Action is not known by receiver',
  NotSupported: 'Requested Action is recognized but not supported by the receiver',
  OccurrenceConstraintViolation: 'Payload for Action is syntactically correct but at least one field violates occurrence constraints',
  PropertyConstraintViolation: 'Payload is syntactically correct but at least one field contains an invalid value',
  ProtocolError: 'Payload for Action is not conform the PDU structure',
  RpcFrameworkError: 'Content of the call is not a valid RPC Request',
  SecurityError: 'During the processing of Action a security issue occurred preventing receiver from completing the Action successfully',
  TypeConstraintViolation: 'Payload for Action is syntactically correct but at least one of the fields violates data type constraints',
};

/**
 * An OCPP RPC error: what a CALLERROR carries (internal 2.x code spelling; the 1.6 wire spelling is applied
 * only when the frame is written).
 *
 * Thrown from a handler (or passed to `replyError`), its `description` and `details` are sent to the peer
 * as they are: never put secrets, credentials, internal hostnames, SQL or stack traces in them. On 2.x the
 * description is cut to 255 characters on the wire (2.x Part 4 §4.2.3); 1.6 sets no limit, so keep it short.
 * Anything thrown that is not an RpcError reaches the peer only as a generic InternalError.
 *
 * @example
 * throw new RpcError('SecurityError', 'Unknown id tag');
 */
export class RpcError extends Error {
  override name = 'RpcError';
  readonly code: RpcErrorCode;
  readonly description: string;
  readonly details: Record<string, unknown>;

  constructor(code: RpcErrorCode, description?: string, details?: Record<string, unknown>, options?: ErrorOptions) {
    // Untyped callers may pass anything: keep the wire valid (GenericError, a string, an object).
    const safeCode: RpcErrorCode = isRpcErrorCode(code) ? code : 'GenericError';
    const text = typeof description === 'string' ? description : RPC_ERROR_DESCRIPTIONS[safeCode];
    super(`${safeCode}: ${text}`, options);
    this.code = safeCode;
    this.description = text;
    this.details = typeof details === 'object' && details !== null && !Array.isArray(details) ? details : {};
  }
}

/** An outbound call was not answered within its timeout (counted from when the CALL was sent). */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
  readonly action: string;
  readonly messageId: string;
  readonly timeoutMs: number;

  constructor(action: string, messageId: string, timeoutMs: number) {
    super(`Call ${action} (${messageId}) was not answered within ${timeoutMs} ms`);
    this.action = action;
    this.messageId = messageId;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The channel closed while the call was queued or in flight. An in-flight call may have reached the peer,
 * so it is never re-sent.
 */
export class ConnectionClosedError extends Error {
  override name = 'ConnectionClosedError';
  readonly code: number;
  readonly reason: string;

  constructor(code: number, reason: string, message?: string) {
    super(message ?? `Connection closed (${code}${reason ? `: ${reason}` : ''})`);
    this.code = code;
    this.reason = reason;
  }
}

/** A call was made while no channel is attached and the offline queue has no room. */
export class NotConnectedError extends Error {
  override name = 'NotConnectedError';
  constructor(message = 'Not connected') {
    super(message);
  }
}

/** `call(protocol, …)` named a protocol other than the one negotiated on this connection. */
export class ProtocolMismatchError extends Error {
  override name = 'ProtocolMismatchError';
  readonly expected: string | undefined;
  readonly actual: string;

  constructor(expected: string | undefined, actual: string) {
    super(`Call for protocol ${actual} on a connection that speaks ${expected ?? 'no protocol yet'}`);
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * Normalises anything thrown by a handler into an RpcError. RpcError instances pass through; anything else
 * becomes InternalError with the generic description (its text and stack never reach the wire, but it is
 * kept as `cause` for local logging).
 */
export function toRpcError(err: unknown): RpcError {
  if (err instanceof RpcError) return err;
  if (isForeignRpcError(err)) return new RpcError(err.code, err.description, err.details, { cause: err });
  return new RpcError('InternalError', RPC_ERROR_DESCRIPTIONS.InternalError, {}, { cause: err });
}

/** An RpcError from another copy of this package (two versions installed side by side). */
function isForeignRpcError(err: unknown): err is { code: RpcErrorCode; description: string; details: Record<string, unknown> } {
  if (!(err instanceof Error) || err.name !== 'RpcError') return false;
  const e = err as Error & { code?: unknown; description?: unknown; details?: unknown };
  return isRpcErrorCode(e.code) && typeof e.description === 'string' && typeof e.details === 'object' && e.details !== null;
}
