import { RpcError } from './errors.js';
import { lookupAction, type PayloadKind, type Side, type Validator, type Violation } from './ocppTypes.js';

const MAX_REPORTED_VIOLATIONS = 10;

/** Short identifiers are safe to name in an errorDescription; anything else is not echoed (DESIGN rule 6). */
export function nameOf(action: string): string {
  return /^[A-Za-z0-9_.:-]{1,64}$/.test(action) ? action : 'the requested action';
}

/**
 * The RpcError for a schema failure: the first violation's code (DESIGN rule 7), a description naming the
 * field (never its value) and the violations (pointer, keyword, message) as details.
 */
export function violationError(action: string, kind: PayloadKind, violations: readonly Violation[]): RpcError {
  const first = violations[0];
  if (!first) return new RpcError('FormatViolation', `${action} ${kind} payload is invalid`);
  const where = first.pointer === '' ? '(root)' : first.pointer;
  return new RpcError(first.code, `${action} ${kind}: ${where} ${first.message}`, {
    violations: violations.slice(0, MAX_REPORTED_VIOLATIONS).map((v) => ({ pointer: v.pointer, keyword: v.keyword, message: v.message })),
  });
}

/** Why a request was refused; `violations` is set for schema failures (they are reported as an event). */
export interface RequestRefusal {
  error: RpcError;
  violations: Violation[] | undefined;
}

/**
 * Strict-mode checks of a CALL or SEND payload sent by `sender`, in order:
 * - unknown action (no validator) → NotImplemented (rule 7);
 * - action whose origin is the other side (a charger sending RemoteStartTransaction), or a CALL/SEND mix-up
 *   → NotSupported: the receiver recognises the action but does not support it that way (2.0.1 Part 4
 *   §4.3: "NotSupported: Requested Action is recognized but not supported by the receiver");
 * - schema violations → their constraint code.
 */
export function checkRequest(
  validator: Validator | undefined,
  protocol: string,
  action: string,
  payload: unknown,
  sender: Side,
  asSend: boolean,
): RequestRefusal | undefined {
  if (!validator) return { error: new RpcError('NotImplemented', `${nameOf(action)} is not an action of ${protocol}`), violations: undefined };
  // One table lookup for both rules (this runs on every inbound message).
  const info = lookupAction(protocol, action);
  if (info && !info.origin.includes(sender)) {
    return { error: new RpcError('NotSupported', `${action} is not sent by the ${sender}`), violations: undefined };
  }
  if ((info?.send === true) !== asSend) {
    const why = asSend ? `${action} is not a SEND message` : `${action} is SEND-only`;
    return { error: new RpcError('NotSupported', why), violations: undefined };
  }
  const result = validator(payload);
  return result.valid ? undefined : { error: violationError(action, 'request', result.violations), violations: result.violations };
}
