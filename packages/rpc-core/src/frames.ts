import { RpcError } from './errors.js';
import { toWireErrorCode } from './ocppTypes.js';
import {
  MAX_ERROR_DESCRIPTION_LENGTH,
  UNKNOWN_MESSAGE_ID,
  isValidMessageId,
  ruleSetOf,
} from './protocolRules.js';

/** OCPP-J message type numbers (1.6 §4.1.3; 2.1 adds CALLRESULTERROR and SEND). */
export const MessageType = { CALL: 2, CALLRESULT: 3, CALLERROR: 4, CALLRESULTERROR: 5, SEND: 6 } as const;
export type MessageTypeNumber = (typeof MessageType)[keyof typeof MessageType];

/** `[2, messageId, action, payload]` */
export interface CallFrame { type: 2; messageId: string; action: string; payload: Record<string, unknown> }
/** `[3, messageId, payload]` */
export interface CallResultFrame { type: 3; messageId: string; payload: Record<string, unknown> }
/** `[4, messageId, errorCode, errorDescription, errorDetails]`; `errorCode` is the wire spelling. */
export interface CallErrorFrame {
  type: 4;
  messageId: string;
  errorCode: string;
  errorDescription: string;
  errorDetails: Record<string, unknown>;
}
/** 2.1 `[5, messageId, errorCode, errorDescription, errorDetails]`: answer to an invalid CALLRESULT. */
export interface CallResultErrorFrame extends Omit<CallErrorFrame, 'type'> { type: 5 }
/** 2.1 `[6, messageId, action, payload]`: a one-way message, never answered. */
export interface SendFrame { type: 6; messageId: string; action: string; payload: Record<string, unknown> }
export type Frame = CallFrame | CallResultFrame | CallErrorFrame | CallResultErrorFrame | SendFrame;

/** A frame that could not be accepted, with what the spec says to do about it. */
export interface FrameParseFailure {
  ok: false;
  /** What is wrong (internal code spelling); its description never contains the raw input. */
  error: RpcError;
  /** The message type number, when it could be read. */
  messageType: number | undefined;
  /** The message id, when it could be read and is valid. */
  messageId: string | undefined;
  /** The CALLERROR to answer with, or undefined when the spec says not to answer (responses, SEND, unknown types in 1.6/2.1). */
  reply: CallErrorFrame | undefined;
}
export type FrameParseResult = { ok: true; frame: Frame } | FrameParseFailure;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Builds the CALLERROR frame for `error` as it must appear on the wire of `protocol`: the code spelled for
 * that protocol (1.6 typos), the description capped at 255 characters in 2.x, details `{}` when empty.
 */
export function errorFrame(protocol: string, messageId: string, error: RpcError): CallErrorFrame {
  return {
    type: 4,
    messageId,
    errorCode: toWireErrorCode(protocol, error.code),
    errorDescription: capDescription(protocol, error.description),
    errorDetails: isPlainObject(error.details) ? error.details : {},
  };
}

/** 2.x Part 4 §4.2.3 limits errorDescription to 255 characters; 1.6 has no limit. */
export function capDescription(protocol: string, description: string): string {
  if (ruleSetOf(protocol) === '1.6' || description.length <= MAX_ERROR_DESCRIPTION_LENGTH) return description;
  // do not split a surrogate pair at the cut
  const last = description.charCodeAt(MAX_ERROR_DESCRIPTION_LENGTH - 1);
  const end = last >= 0xd800 && last <= 0xdbff ? MAX_ERROR_DESCRIPTION_LENGTH - 1 : MAX_ERROR_DESCRIPTION_LENGTH;
  return description.slice(0, end);
}

function fail(
  protocol: string,
  error: RpcError,
  messageType: number | undefined,
  messageId: string | undefined,
  answer: boolean,
): FrameParseFailure {
  return {
    ok: false,
    error,
    messageType,
    messageId,
    reply: answer ? errorFrame(protocol, messageId ?? UNKNOWN_MESSAGE_ID, error) : undefined,
  };
}

function isKnownType(type: number, protocol: string): boolean {
  if (type === 2 || type === 3 || type === 4) return true;
  return (type === 5 || type === 6) && ruleSetOf(protocol) === '2.1';
}

/**
 * Parses one OCPP-J text frame for `protocol` without ever throwing. Malformed input yields a
 * {@link FrameParseFailure} that carries the per-version answer (DESIGN rules 3, 4, 7):
 * invalid JSON → RpcFrameworkError (2.x) / FormationViolation (1.6) with id "-1"; unknown message types are
 * ignored in 1.6 and 2.1 and answered MessageTypeNotSupported in 2.0.1; a malformed CALL is answered with its
 * id (or "-1" when the id is unreadable or longer than 36 characters); malformed responses and SENDs are
 * never answered.
 *
 * @example
 * const r = parseFrame('[2,"1","Heartbeat",{}]', 'ocpp1.6');
 * if (r.ok && r.frame.type === 2) console.log(r.frame.action);
 */
export function parseFrame(text: string, protocol: string): FrameParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const code = ruleSetOf(protocol) === '1.6' ? 'FormatViolation' : 'RpcFrameworkError';
    return fail(protocol, new RpcError(code, 'Message is not valid JSON'), undefined, undefined, true);
  }
  if (!Array.isArray(value)) {
    return fail(protocol, new RpcError('RpcFrameworkError', 'Message is not a JSON array'), undefined, undefined, true);
  }
  const type: unknown = value[0];
  const rawId: unknown = value[1];
  const messageId = isValidMessageId(rawId) ? rawId : undefined;
  if (typeof type !== 'number') {
    return fail(protocol, new RpcError('RpcFrameworkError', 'Message type is not a number'), undefined, messageId, true);
  }
  if (!isKnownType(type, protocol)) {
    // 2.0.1 Part 4 §4.4 answers; 1.6 has no such rule and 2.1 Part 4 §4.4 says to ignore (extension fallback).
    const answer = ruleSetOf(protocol) === '2.0.1';
    return fail(protocol, new RpcError('MessageTypeNotSupported', `Message type ${typeNumberText(type)} is not supported`), type, messageId, answer);
  }
  const answerable = type === 2;
  if (messageId === undefined) {
    const why = typeof rawId === 'string' ? (rawId.length === 0 ? 'is empty' : 'is longer than 36 characters') : 'is not a string';
    return fail(protocol, new RpcError('RpcFrameworkError', `Message id ${why}`), type, undefined, answerable);
  }
  switch (type) {
    case 2:
    case 6: {
      const name = type === 2 ? 'CALL' : 'SEND';
      if (value.length !== 4) {
        return fail(protocol, new RpcError('RpcFrameworkError', `${name} must have 4 elements`), type, messageId, answerable);
      }
      const action: unknown = value[2];
      if (typeof action !== 'string' || action.length === 0) {
        return fail(protocol, new RpcError('RpcFrameworkError', `${name} action is not a non-empty string`), type, messageId, answerable);
      }
      const payload: unknown = value[3];
      if (!isPlainObject(payload)) {
        return fail(protocol, new RpcError('FormatViolation', `${name} payload is not a JSON object`), type, messageId, answerable);
      }
      return { ok: true, frame: { type, messageId, action, payload } };
    }
    case 3: {
      if (value.length !== 3) {
        return fail(protocol, new RpcError('RpcFrameworkError', 'CALLRESULT must have 3 elements'), type, messageId, false);
      }
      const payload: unknown = value[2];
      if (!isPlainObject(payload)) {
        return fail(protocol, new RpcError('FormatViolation', 'CALLRESULT payload is not a JSON object'), type, messageId, false);
      }
      return { ok: true, frame: { type, messageId, payload } };
    }
    default: {
      // 4 CALLERROR, 5 CALLRESULTERROR
      const name = type === 4 ? 'CALLERROR' : 'CALLRESULTERROR';
      if (value.length !== 5) {
        return fail(protocol, new RpcError('RpcFrameworkError', `${name} must have 5 elements`), type, messageId, false);
      }
      const [, , errorCode, errorDescription, errorDetails] = value as unknown[];
      if (typeof errorCode !== 'string' || typeof errorDescription !== 'string' || !isPlainObject(errorDetails)) {
        return fail(protocol, new RpcError('RpcFrameworkError', `${name} elements have the wrong types`), type, messageId, false);
      }
      return { ok: true, frame: { type: type as 4 | 5, messageId, errorCode, errorDescription, errorDetails } };
    }
  }
}

function typeNumberText(type: number): string {
  // Keep the description free of attacker-controlled text: only short, finite integers are named.
  return Number.isSafeInteger(type) && Math.abs(type) < 1e6 ? String(type) : '(out of range)';
}

/**
 * Serialises a frame to its OCPP-J text. Pure: the caller supplies wire-spelled error codes (see
 * {@link errorFrame}). Throws a TypeError only when a payload is not JSON-serialisable (cycles, BigInt).
 */
export function serializeFrame(frame: Frame): string {
  switch (frame.type) {
    case 2:
    case 6:
      return JSON.stringify([frame.type, frame.messageId, frame.action, frame.payload]);
    case 3:
      return JSON.stringify([3, frame.messageId, frame.payload]);
    case 4:
    case 5:
      return JSON.stringify([frame.type, frame.messageId, frame.errorCode, frame.errorDescription, frame.errorDetails]);
  }
}
