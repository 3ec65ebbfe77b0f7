import type { RpcErrorCode } from '@chargewire/ocpp-types';

/**
 * The fuzz oracle: for a generated frame, what OCPP-J requires the receiving CSMS to send back, per
 * version (DESIGN rules 3, 4, 6, 7; OCPP-J 1.6 §4, 2.0.1/2.1 Part 4 §4). Pure: no I/O.
 */

/** The frames the fuzzer generates, described by what is wrong with them. */
export type FuzzCase =
  /** Not parseable as JSON. */
  | { kind: 'invalidJson'; text: string }
  /** Valid JSON that is not an array, an empty array, or an array whose first element is not a number. */
  | { kind: 'notAFrame'; value: unknown }
  /** An array whose message type number is not defined for the version. */
  | { kind: 'unknownType'; messageType: number; id: string; rest: unknown[] }
  /** A CALLRESULT / CALLERROR (or 2.1 CALLRESULTERROR) for an id the CSMS never sent. */
  | { kind: 'strayResponse'; messageType: 3 | 4 | 5; id: string; rest: unknown[] }
  /** 2.1 SEND `[6, id, action, payload]`: never answered. */
  | { kind: 'send'; id: string; action: string; payload: unknown }
  /** A CALL whose id is not a string (number, null, object, …) or the empty string. */
  | { kind: 'badId'; id: unknown; action?: string }
  /** A CALL whose id is longer than 36 characters (§4.1.3 / Part 4 §4.2.1). */
  | { kind: 'longId'; id: string; action?: string }
  /** A CALL with the wrong number of elements. */
  | { kind: 'badArity'; id: string; elements: unknown[] }
  /** A CALL whose action is not a string. */
  | { kind: 'badAction'; id: string; action: unknown }
  /** A CALL of an action the version does not define. */
  | { kind: 'unknownAction'; id: string; action: string }
  /** A CALL of a known action whose payload is not a JSON object. */
  | { kind: 'badPayload'; id: string; action: string; payload: unknown }
  /** A CALL of a known action with a schema-boundary payload: `violation` is the internal code it must raise, or 'valid'. */
  | { kind: 'schema'; id: string; action: string; payload: unknown; violation: SchemaViolation; mutation: string };

/** The internal (2.x-spelled) constraint codes a schema mutation raises, or 'valid' for an in-bounds payload. */
export type SchemaViolation = 'valid' | RpcErrorCode;

/** What the spec requires back. */
export type Expectation =
  | { reply: 'none' }
  | { reply: 'callError'; ids: readonly string[]; codes: readonly string[] }
  /** A CALLRESULT, or a CALLERROR with a code that is not a validation code (the CSMS may refuse for business reasons). */
  | { reply: 'callResult'; id: string };

/** What the CSMS did within the deadline. */
export type Reaction =
  | { kind: 'none' }
  | { kind: 'callResult'; id: string; payload?: unknown }
  | { kind: 'callError'; id: string; code: string; description: unknown; details: unknown }
  | { kind: 'unparseable'; text: string }
  | { kind: 'closed'; code: number; reason: string }
  /** Closed with 1008 right after malformed frames: the peer enforcing its bound on bad messages. */
  | { kind: 'policyClose' }
  | { kind: 'hang' };

/** The version family of a subprotocol. */
export type Family = '1.6' | '2.0.1' | '2.1';

export function familyOf(protocol: string): Family {
  if (protocol === 'ocpp1.6') return '1.6';
  if (protocol === 'ocpp2.1') return '2.1';
  return '2.0.1';
}

/** Wire spelling of an internal code (1.6 keeps its normative typos; rule 6). */
export function wireCode(family: Family, code: string): string {
  if (family !== '1.6') return code;
  switch (code) {
    case 'FormatViolation':
      return 'FormationViolation';
    case 'OccurrenceConstraintViolation':
      return 'OccurenceConstraintViolation';
    case 'RpcFrameworkError':
    case 'MessageTypeNotSupported':
      return 'ProtocolError';
    default:
      return code;
  }
}

/** The codes that report a malformed frame or payload (never acceptable for a valid CALL). */
const VALIDATION_CODES = new Set([
  'FormatViolation', 'FormationViolation', 'TypeConstraintViolation', 'OccurrenceConstraintViolation',
  'OccurenceConstraintViolation', 'PropertyConstraintViolation', 'RpcFrameworkError', 'ProtocolError', 'MessageTypeNotSupported',
]);

/** Error codes each version defines (rule 6). */
export const WIRE_CODES: Record<Family, ReadonlySet<string>> = {
  '1.6': new Set(['NotImplemented', 'NotSupported', 'InternalError', 'ProtocolError', 'SecurityError', 'FormationViolation',
    'PropertyConstraintViolation', 'OccurenceConstraintViolation', 'TypeConstraintViolation', 'GenericError']),
  '2.0.1': new Set(['FormatViolation', 'GenericError', 'InternalError', 'MessageTypeNotSupported', 'NotImplemented', 'NotSupported',
    'OccurrenceConstraintViolation', 'PropertyConstraintViolation', 'ProtocolError', 'RpcFrameworkError', 'SecurityError',
    'TypeConstraintViolation']),
  '2.1': new Set(['FormatViolation', 'GenericError', 'InternalError', 'MessageTypeNotSupported', 'NotImplemented', 'NotSupported',
    'OccurrenceConstraintViolation', 'PropertyConstraintViolation', 'ProtocolError', 'RpcFrameworkError', 'SecurityError',
    'TypeConstraintViolation']),
};

/**
 * Codes for a frame the RPC layer cannot process. The spec names RpcFrameworkError (2.x) / FormationViolation
 * (1.6) for unreadable content; ProtocolError (1.6's spelling of RpcFrameworkError) and FormatViolation (2.x)
 * are tolerated because the specs leave the choice between them open for a malformed envelope.
 */
function frameworkCodes(family: Family): string[] {
  return family === '1.6' ? ['FormationViolation', 'ProtocolError'] : ['RpcFrameworkError', 'FormatViolation'];
}

/** The message types each version defines (rule 3). */
export function knownMessageTypes(family: Family): readonly number[] {
  return family === '2.1' ? [2, 3, 4, 5, 6] : [2, 3, 4];
}

/** The frame text of a case. */
export function frameText(c: FuzzCase): string {
  switch (c.kind) {
    case 'invalidJson':
      return c.text;
    case 'notAFrame':
      return JSON.stringify(c.value);
    case 'unknownType':
    case 'strayResponse':
      return JSON.stringify([c.messageType, c.id, ...c.rest]);
    case 'send':
      return JSON.stringify([6, c.id, c.action, c.payload]);
    case 'badId':
    case 'longId':
      return JSON.stringify([2, c.id, c.action ?? 'Heartbeat', {}]);
    case 'badArity':
      return JSON.stringify([2, c.id, ...c.elements]);
    case 'badAction':
      return JSON.stringify([2, c.id, c.action, {}]);
    case 'unknownAction':
      return JSON.stringify([2, c.id, c.action, {}]);
    case 'badPayload':
    case 'schema':
      return JSON.stringify([2, c.id, c.action, c.payload]);
  }
}

/** What the spec requires back for `c` on `family`. */
export function expectationFor(c: FuzzCase, family: Family): Expectation {
  switch (c.kind) {
    case 'invalidJson':
      // Rule 7: id "-1" because no id can be read.
      return { reply: 'callError', ids: ['-1'], codes: frameworkCodes(family) };
    case 'notAFrame': {
      // An array whose id slot holds a usable id may be answered with that id (the type is what is unreadable).
      const id = Array.isArray(c.value) ? readableId(c.value[1]) : undefined;
      return { reply: 'callError', ids: id ? [id, '-1'] : ['-1'], codes: frameworkCodes(family) };
    }
    case 'unknownType':
      // Rule 3: ignored in 1.6 and 2.1; 2.0.1 answers MessageTypeNotSupported (with the id when readable).
      return family === '2.0.1' ? { reply: 'callError', ids: [c.id, '-1'], codes: ['MessageTypeNotSupported'] } : { reply: 'none' };
    case 'strayResponse':
      // A response to no outstanding CALL has nobody to answer to; 1.6 and 2.0.1 do not define type 5 (unknown type).
      if (c.messageType === 5 && family === '2.0.1') return { reply: 'callError', ids: [c.id, '-1'], codes: ['MessageTypeNotSupported'] };
      return { reply: 'none' };
    case 'send':
      if (family === '2.0.1') return { reply: 'callError', ids: [c.id, '-1'], codes: ['MessageTypeNotSupported'] };
      return { reply: 'none' }; // 2.1 SEND is never answered; 1.6 ignores unknown types.
    case 'badId':
    case 'longId':
      // Rule 4: the id is unusable, so the error refers to "-1".
      return { reply: 'callError', ids: ['-1'], codes: frameworkCodes(family) };
    case 'badArity':
    case 'badAction':
      return { reply: 'callError', ids: [c.id], codes: frameworkCodes(family) };
    case 'unknownAction':
      return { reply: 'callError', ids: [c.id], codes: ['NotImplemented'] };
    case 'badPayload':
      // The payload must be an object: a type violation of the schema's root (rule 7), FormatViolation tolerated.
      return { reply: 'callError', ids: [c.id], codes: [wireCode(family, 'TypeConstraintViolation'), wireCode(family, 'FormatViolation')] };
    case 'schema':
      if (c.violation === 'valid') return { reply: 'callResult', id: c.id };
      if (!isPlainObject(c.payload)) return expectationFor({ kind: 'badPayload', id: c.id, action: c.action, payload: c.payload }, family);
      // An action the receiver does not implement may be refused as such before its payload is looked at.
      return { reply: 'callError', ids: [c.id], codes: [wireCode(family, c.violation), 'NotImplemented', 'NotSupported'] };
  }
}

function readableId(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= 36 ? value : undefined;
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What a finding is: a handler crash (InternalError/GenericError for a schema-valid CALL), a hang (no answer by
 * the deadline), a dropped connection, an endpoint that no longer accepts connections, a CALLRESULT that fails
 * the response schema, or any other spec deviation (wrong code, wrong id, an answer that must not be sent).
 */
export type FindingKind = 'crash' | 'hang' | 'dropped' | 'unreachable' | 'invalid-response' | 'deviation';

/** A judged reaction that is a finding. */
export interface Verdict {
  kind: FindingKind;
  message: string;
}

/** Codes a crashing handler produces (a thrown Error becomes InternalError; some stacks use GenericError). */
const CRASH_CODES = new Set(['InternalError', 'GenericError']);

/**
 * Judges `reaction` against `expected`; undefined when the peer behaved as required. `checkResult` validates
 * a CALLRESULT payload against the response schema (returns a problem description, or undefined).
 */
export function assess(expected: Expectation, reaction: Reaction, family: Family, checkResult?: (payload: unknown) => string | undefined): Verdict | undefined {
  if (reaction.kind === 'hang') {
    const message = expected.reply === 'none' ? 'hang: no answer to a probe CALL within the deadline' : `hang: no answer within the deadline, expected ${describe(expected)}`;
    return { kind: 'hang', message };
  }
  if (reaction.kind === 'policyClose') {
    return expected.reply === 'callResult' ? { kind: 'dropped', message: `connection closed (1008) instead of ${describe(expected)}` } : undefined;
  }
  if (reaction.kind === 'closed') {
    return { kind: 'dropped', message: `connection closed (${reaction.code}${reaction.reason ? ` ${reaction.reason}` : ''}) instead of ${describe(expected)}` };
  }
  if (reaction.kind === 'unparseable') return { kind: 'deviation', message: `answered with a frame that is not OCPP-J: ${reaction.text.slice(0, 120)}` };
  if (reaction.kind === 'callError') {
    const shape = errorShapeProblem(reaction, family);
    if (shape) return { kind: 'deviation', message: shape };
  }
  switch (expected.reply) {
    case 'none':
      return reaction.kind === 'none' ? undefined : { kind: 'deviation', message: `answered ${describeReaction(reaction)} but the frame must be ignored` };
    case 'callResult':
      if (reaction.kind === 'callResult') {
        if (reaction.id !== expected.id) return { kind: 'deviation', message: `CALLRESULT for id ${JSON.stringify(reaction.id)}, expected ${JSON.stringify(expected.id)}` };
        const problem = checkResult?.(reaction.payload);
        return problem ? { kind: 'invalid-response', message: `CALLRESULT payload fails the response schema: ${problem}` } : undefined;
      }
      if (reaction.kind === 'callError' && reaction.id === expected.id && CRASH_CODES.has(reaction.code)) {
        return { kind: 'crash', message: `handler crash: CALLERROR ${reaction.code} for a schema-valid CALL` };
      }
      if (reaction.kind === 'callError' && reaction.id === expected.id && !VALIDATION_CODES.has(reaction.code)) return undefined;
      if (reaction.kind === 'none') return { kind: 'hang', message: `hang: no answer within the deadline, expected ${describe(expected)}` };
      return { kind: 'deviation', message: `${describeReaction(reaction)} but the payload is valid (expected a CALLRESULT)` };
    case 'callError': {
      if (reaction.kind !== 'callError') return { kind: 'deviation', message: `${describeReaction(reaction)}, expected ${describe(expected)}` };
      const problems: string[] = [];
      if (!expected.codes.includes(reaction.code)) problems.push(`code ${reaction.code}`);
      if (!expected.ids.includes(reaction.id)) problems.push(`id ${JSON.stringify(reaction.id)}`);
      return problems.length ? { kind: 'deviation', message: `CALLERROR with ${problems.join(' and ')}, expected ${describe(expected)}` } : undefined;
    }
  }
}

/** Describes a deviation of `reaction` from `expected`, or undefined when the peer behaved as required. */
export function judge(expected: Expectation, reaction: Reaction, family: Family): string | undefined {
  return assess(expected, reaction, family)?.message;
}

/** Rule 6: the code exists in the version; 2.x errorDescription ≤ 255; errorDetails is an object. */
function errorShapeProblem(r: Extract<Reaction, { kind: 'callError' }>, family: Family): string | undefined {
  if (!WIRE_CODES[family].has(r.code)) return `CALLERROR code ${r.code} does not exist in OCPP ${family}`;
  if (typeof r.description !== 'string') return 'CALLERROR errorDescription is not a string';
  if (family !== '1.6' && r.description.length > 255) return `CALLERROR errorDescription is ${r.description.length} characters (max 255)`;
  if (typeof r.details !== 'object' || r.details === null || Array.isArray(r.details)) return 'CALLERROR errorDetails is not a JSON object';
  return undefined;
}

/** Human text of an expectation. */
export function describe(e: Expectation): string {
  switch (e.reply) {
    case 'none':
      return 'no answer';
    case 'callResult':
      return `CALLRESULT for ${JSON.stringify(e.id)}`;
    case 'callError':
      return `CALLERROR ${e.codes.join('|')} for ${e.ids.map((id) => JSON.stringify(id)).join('|')}`;
  }
}

/** Human text of a reaction. */
export function describeReaction(r: Reaction): string {
  switch (r.kind) {
    case 'none':
      return 'no answer';
    case 'callResult':
      return `CALLRESULT for ${JSON.stringify(r.id)}`;
    case 'callError':
      return `CALLERROR ${r.code} for ${JSON.stringify(r.id)}`;
    case 'unparseable':
      return 'an invalid frame';
    case 'closed':
      return `close ${r.code}`;
    case 'policyClose':
      return 'close 1008 (bad-message bound)';
    case 'hang':
      return 'nothing (hang)';
  }
}
