/**
 * Which OCPP-J rule set a negotiated subprotocol follows. Vendor variants (`ocpp1.6-acme`) follow their base
 * version; anything unrecognised follows 2.0.1, the strictest one (it answers unknown message types).
 */
export type RuleSet = '1.6' | '2.0.1' | '2.1';

/** The OCPP-J rule set for a subprotocol name. */
export function ruleSetOf(protocol: string): RuleSet {
  if (protocol.startsWith('ocpp1.')) return '1.6';
  if (protocol.startsWith('ocpp2.1')) return '2.1';
  return '2.0.1';
}

/** Longest message id the spec allows (OCPP-J 1.6 §4.1.3, 2.x Part 4 §4.1.4: "maximum of 36 characters"). */
export const MAX_MESSAGE_ID_LENGTH = 36;
/** 2.x Part 4 §4.2.3: errorDescription is at most 255 characters. */
export const MAX_ERROR_DESCRIPTION_LENGTH = 255;
/** The message id used when an error refers to a frame whose id cannot be read (2.x Part 4 §4.2.3). */
export const UNKNOWN_MESSAGE_ID = '-1';

/** True when `id` is a message id the spec allows: a non-empty string of at most 36 characters. */
export function isValidMessageId(id: unknown): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_MESSAGE_ID_LENGTH;
}

/** A message id from `generate`, checked here: a generator that breaks the rule fails at the call site, not at the peer. */
export function newMessageId(generate: () => string): string {
  const id = generate();
  if (!isValidMessageId(id)) throw new TypeError('generateMessageId must return a non-empty string of at most 36 characters');
  return id;
}
