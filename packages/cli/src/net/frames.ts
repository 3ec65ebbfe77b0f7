/**
 * OCPP-J frame reading for the CLI's raw tools (check, fuzz, bench). It is deliberately tolerant: it
 * describes what a peer sent instead of throwing, so a misbehaving server can be classified.
 * Message types per OCPP-J §4 (1.6) / Part 4 §4 (2.x): 2 CALL, 3 CALLRESULT, 4 CALLERROR,
 * 2.1 adds 5 CALLRESULTERROR and 6 SEND.
 */
export type InboundFrame =
  | { type: 'call'; id: string; action: string; payload: unknown }
  | { type: 'result'; id: string; payload: unknown }
  | { type: 'error'; id: string; code: string; description: unknown; details: unknown; messageType: 4 | 5 }
  | { type: 'send'; id: string; action: string; payload: unknown }
  | { type: 'invalid'; reason: string; text: string };

/** Reads one text frame received from a peer. Never throws. */
export function readFrame(text: string): InboundFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { type: 'invalid', reason: 'not JSON', text };
  }
  if (!Array.isArray(value)) return { type: 'invalid', reason: 'not a JSON array', text };
  const [messageType, id] = value as unknown[];
  if (typeof id !== 'string') return { type: 'invalid', reason: 'message id is not a string', text };
  switch (messageType) {
    case 2:
    case 6:
      if (value.length !== 4 || typeof value[2] !== 'string') {
        return { type: 'invalid', reason: `message type ${messageType} needs [type, id, action, payload]`, text };
      }
      return messageType === 2
        ? { type: 'call', id, action: value[2], payload: value[3] }
        : { type: 'send', id, action: value[2], payload: value[3] };
    case 3:
      if (value.length !== 3) return { type: 'invalid', reason: 'CALLRESULT needs [3, id, payload]', text };
      return { type: 'result', id, payload: value[2] };
    case 4:
    case 5:
      if (value.length !== 5 || typeof value[2] !== 'string') {
        return { type: 'invalid', reason: `message type ${messageType} needs [type, id, code, description, details]`, text };
      }
      return { type: 'error', id, code: value[2], description: value[3], details: value[4], messageType };
    default:
      return { type: 'invalid', reason: `unknown message type ${JSON.stringify(messageType)}`, text };
  }
}

/** Serializes a CALL frame `[2, id, action, payload]`. */
export function callFrame(id: string, action: string, payload: unknown): string {
  return JSON.stringify([2, id, action, payload]);
}

/** Serializes a CALLRESULT frame `[3, id, payload]`. */
export function resultFrame(id: string, payload: unknown): string {
  return JSON.stringify([3, id, payload]);
}

/** Serializes a CALLERROR frame `[4, id, code, description, details]`. */
export function errorFrame(id: string, code: string, description: string, details: Record<string, unknown> = {}): string {
  return JSON.stringify([4, id, code, description, details]);
}

/** Shortens a frame for a report line. */
export function truncate(text: string, max = 160): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
