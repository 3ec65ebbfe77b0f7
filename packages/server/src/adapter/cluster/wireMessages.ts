import { isRpcErrorCode } from '@chargewire/rpc-core';
import type { RemoteCallOutcome, RemoteCallRequest, SerializedError } from '../adapter.js';

/** Version of the node-to-node message format; a node ignores (and reports) messages of another version. */
export const WIRE_VERSION = 1;

/** Messages exchanged between nodes over pub/sub (JSON text). */
export type WireMessage =
  | { t: 'call'; id: string; from: string; req: RemoteCallRequest }
  | { t: 'reply'; id: string; from: string; outcome: RemoteCallOutcome }
  | { t: 'bcast'; id: string; from: string; protocol: string; action: string; params: unknown }
  | { t: 'bcastReport'; id: string; from: string; delivered: number; failed: number }
  /** To the node of a connection whose identity a newer connection took: close that connection. */
  | { t: 'superseded'; id: string; from: string; identity: string; connectionId: string };

const OTHER_KINDS: ReadonlySet<string> = new Set(['timeout', 'notConnected', 'closed', 'internal']);

/** Serialises a message. `undefined` results survive the trip (JSON alone would drop the key). */
export function encodeMessage(msg: WireMessage): string {
  if (msg.t === 'reply' && msg.outcome.ok && msg.outcome.result === undefined) {
    return JSON.stringify({ v: WIRE_VERSION, ...msg, outcome: { ok: true } });
  }
  return JSON.stringify({ v: WIRE_VERSION, ...msg });
}

/** A message that could not be understood; `id`/`from` are set when they could be read (to answer a bad call). */
export class MalformedMessageError extends Error {
  constructor(
    message: string,
    readonly id?: string,
    readonly from?: string,
    readonly type?: string,
  ) {
    super(message);
    this.name = 'MalformedMessageError';
  }
}

/** A peer-controlled value named in an error: JSON-quoted (no control characters) and at most 40 characters. */
function quoted(v: unknown): string {
  const text = JSON.stringify(v) ?? 'undefined';
  return text.length <= 40 ? text : `${text.slice(0, 39)}…`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function parseRequest(v: unknown): RemoteCallRequest | undefined {
  if (!isObject(v)) return undefined;
  const { identity, protocol, action, params, timeoutMs } = v;
  if (!isString(identity) || !isString(protocol) || !isString(action)) return undefined;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) return undefined;
  return { identity, protocol, action, params, timeoutMs };
}

function parseError(v: unknown): SerializedError | undefined {
  if (!isObject(v)) return undefined;
  if (v.kind === 'rpc') {
    const { code, description, details } = v;
    if (!isRpcErrorCode(code) || typeof description !== 'string' || !isObject(details)) return undefined;
    return { kind: 'rpc', code, description, details };
  }
  if (typeof v.kind === 'string' && OTHER_KINDS.has(v.kind) && typeof v.message === 'string') {
    return { kind: v.kind as 'timeout' | 'notConnected' | 'closed' | 'internal', message: v.message };
  }
  return undefined;
}

function parseOutcome(v: unknown): RemoteCallOutcome | undefined {
  if (!isObject(v)) return undefined;
  if (v.ok === true) return { ok: true, result: v.result };
  if (v.ok === false) {
    const error = parseError(v.error);
    return error ? { ok: false, error } : undefined;
  }
  return undefined;
}

/**
 * Parses a pub/sub payload. Anything with access to Redis can publish on our channels, so nothing is trusted:
 * throws {@link MalformedMessageError} for anything that is not a well-formed message.
 */
export function decodeMessage(text: string): WireMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new MalformedMessageError('cluster message is not valid JSON');
  }
  if (!isObject(raw)) throw new MalformedMessageError('cluster message is not a JSON object');
  const id = isString(raw.id) ? raw.id : undefined;
  const from = isString(raw.from) ? raw.from : undefined;
  const type = typeof raw.t === 'string' ? raw.t : undefined;
  const bad = (why: string): MalformedMessageError => new MalformedMessageError(`cluster message: ${why}`, id, from, type);
  if (raw.v !== WIRE_VERSION) throw bad(`unsupported version ${quoted(raw.v)}`);
  if (!id || !from) throw bad('missing id or sender');
  switch (raw.t) {
    case 'call': {
      const req = parseRequest(raw.req);
      if (!req) throw bad('malformed call request');
      return { t: 'call', id, from, req };
    }
    case 'reply': {
      const outcome = parseOutcome(raw.outcome);
      if (!outcome) throw bad('malformed call outcome');
      return { t: 'reply', id, from, outcome };
    }
    case 'bcast': {
      if (!isString(raw.protocol) || !isString(raw.action)) throw bad('malformed broadcast');
      return { t: 'bcast', id, from, protocol: raw.protocol, action: raw.action, params: raw.params };
    }
    case 'bcastReport': {
      if (!isCount(raw.delivered) || !isCount(raw.failed)) throw bad('malformed broadcast report');
      return { t: 'bcastReport', id, from, delivered: raw.delivered, failed: raw.failed };
    }
    case 'superseded': {
      if (!isString(raw.identity) || !isString(raw.connectionId)) throw bad('malformed takeover notice');
      return { t: 'superseded', id, from, identity: raw.identity, connectionId: raw.connectionId };
    }
    default:
      throw bad(`unknown message type ${quoted(raw.t)}`);
  }
}
