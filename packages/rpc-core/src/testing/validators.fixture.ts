import type { PayloadKind, Validator, Violation } from '../ocppTypes.js';

/**
 * A tiny hand-written validator table for engine tests that must not depend on the generated schemas:
 * ocpp1.6 Heartbeat ({} → {currentTime: string}), ocpp1.6 Reset (CSMS → station) and ocpp2.1
 * NotifyPeriodicEventStream (SEND) plus Heartbeat.
 */
function violation(pointer: string, keyword: string, message: string, code: Violation['code']): Violation {
  return { pointer, keyword, message, code, wireCode: code };
}

const emptyObject: Validator = (p) =>
  Object.keys(p as object).length === 0 ? { valid: true } : { valid: false, violations: [violation('', 'additionalProperties', 'must NOT have additional properties', 'PropertyConstraintViolation')] };

const heartbeatResponse: Validator = (p) => {
  const t = (p as { currentTime?: unknown }).currentTime;
  if (t === undefined) return { valid: false, violations: [violation('', 'required', "must have required property 'currentTime'", 'OccurrenceConstraintViolation')] };
  if (typeof t !== 'string') return { valid: false, violations: [violation('/currentTime', 'type', 'must be string', 'TypeConstraintViolation')] };
  return { valid: true };
};

const resetRequest: Validator = (p) => {
  const t = (p as { type?: unknown }).type;
  return t === 'Hard' || t === 'Soft' ? { valid: true } : { valid: false, violations: [violation('/type', 'enum', 'must be equal to one of the allowed values', 'FormatViolation')] };
};

const statusResponse: Validator = (p) => {
  const s = (p as { status?: unknown }).status;
  return s === 'Accepted' || s === 'Rejected' ? { valid: true } : { valid: false, violations: [violation('/status', 'enum', 'must be equal to one of the allowed values', 'FormatViolation')] };
};

const streamRequest: Validator = (p) =>
  typeof (p as { id?: unknown }).id === 'number' ? { valid: true } : { valid: false, violations: [violation('/id', 'type', 'must be integer', 'TypeConstraintViolation')] };

const table: Record<string, Partial<Record<PayloadKind, Validator>>> = {
  'ocpp1.6/Heartbeat': { request: emptyObject, response: heartbeatResponse },
  'ocpp1.6/Reset': { request: resetRequest, response: statusResponse },
  'ocpp2.0.1/Heartbeat': { request: emptyObject, response: heartbeatResponse },
  'ocpp2.1/Heartbeat': { request: emptyObject, response: heartbeatResponse },
  'ocpp2.1/NotifyPeriodicEventStream': { request: streamRequest },
};

export function testValidators(protocol: string, action: string, kind: PayloadKind): Validator | undefined {
  return table[`${protocol}/${action}`]?.[kind];
}
