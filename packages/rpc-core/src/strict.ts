import { RpcError } from './errors.js';
import type { PayloadKind, Violation } from './ocppTypes.js';

const MAX_REPORTED_VIOLATIONS = 10;

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
