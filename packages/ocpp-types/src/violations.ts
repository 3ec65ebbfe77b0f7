import type { ErrorObject } from 'ajv';
import type { RpcErrorCode } from './errorCodes.js';
import { toWireErrorCode } from './errorCodes.js';

/** One schema violation of a payload. */
export interface Violation {
  /**
   * JSON pointer (RFC 6901) to the offending value. For `required` it points at the missing property,
   * for `additionalProperties` at the unexpected one; `''` is the payload itself.
   */
  pointer: string;
  /** The JSON-schema keyword that failed (`required`, `type`, `maxLength`, …). */
  keyword: string;
  /** Human-readable message; never contains the offending value. */
  message: string;
  /** Internal error code for a CALLERROR (OCPP 2.x spelling). */
  code: RpcErrorCode;
  /** `code` as spelled on the wire for the protocol the payload was validated against. */
  wireCode: string;
}

/** Outcome of validating one payload. */
export type ValidationResult = { valid: true } | { valid: false; violations: Violation[] };

/**
 * Schema keyword → CALLERROR code (OCPP-J 1.6 §4.2.3, 2.x Part 4 §4.3: "TypeConstraintViolation: payload
 * for action is syntactically correct but at least one field contains an invalid value", etc.).
 */
export function codeForKeyword(keyword: string): RpcErrorCode {
  switch (keyword) {
    case 'type':
      return 'TypeConstraintViolation';
    case 'required':
      return 'OccurrenceConstraintViolation';
    case 'additionalProperties':
    case 'pattern':
      return 'PropertyConstraintViolation';
    default:
      // minLength/maxLength/minimum/maximum/exclusive*/enum/const/format/minItems/maxItems/multipleOf…
      return 'FormatViolation';
  }
}

function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Converts ajv errors to violations, with the wire spelling of `protocol`. */
export function toViolations(errors: readonly ErrorObject[], protocol: string): Violation[] {
  return errors.map((e) => {
    let pointer = e.instancePath;
    const params = e.params as Record<string, unknown>;
    if (e.keyword === 'required' && typeof params['missingProperty'] === 'string') {
      pointer += `/${escapePointerToken(params['missingProperty'])}`;
    } else if (e.keyword === 'additionalProperties' && typeof params['additionalProperty'] === 'string') {
      pointer += `/${escapePointerToken(params['additionalProperty'])}`;
    }
    const code = codeForKeyword(e.keyword);
    return {
      pointer,
      keyword: e.keyword,
      message: e.message ?? `must pass "${e.keyword}" keyword validation`,
      code,
      wireCode: toWireErrorCode(protocol, code),
    };
  });
}
