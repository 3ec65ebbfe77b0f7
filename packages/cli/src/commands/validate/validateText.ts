import { getValidator, isKnownAction, toWireErrorCode, type PayloadKind, type RpcErrorCode, type Violation } from '@chargewire/ocpp-types';
import { parseFrame } from '@chargewire/rpc-core/internal';
import { UsageError } from '../../exitCodes.js';

/** What `validate` checked and found. */
export interface ValidationReport {
  protocol: string;
  /** The action validated (from `--action` or from a CALL frame). */
  action: string | undefined;
  kind: PayloadKind;
  /** True when the input was a whole OCPP-J frame. */
  frame: boolean;
  valid: boolean;
  violations: Violation[];
}

/** Options of {@link validateText}. */
export interface ValidateTextOptions {
  protocol: string;
  /** Required for a bare payload and for a CALLRESULT frame; optional for a CALL frame (checked if given). */
  action?: string;
  /** Validate as a response (CALLRESULT payload). @default false */
  response?: boolean;
}

function violation(protocol: string, code: RpcErrorCode, keyword: string, message: string, pointer = ''): Violation {
  return { pointer, keyword, message, code, wireCode: toWireErrorCode(protocol, code) };
}

/**
 * Validates a payload, or a whole frame (`[2, id, action, payload]` / `[3, id, payload]`), against the
 * official schema. Frame-level problems carry the code the spec answers with (rpc-core's parseFrame).
 * Throws UsageError when the options cannot describe the input (missing action, kind mismatch).
 */
export function validateText(text: string, options: ValidateTextOptions): ValidationReport {
  const { protocol } = options;
  let kind: PayloadKind = options.response ? 'response' : 'request';
  let action = options.action;
  const base = { protocol, kind, action, frame: false };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const code: RpcErrorCode = protocol === 'ocpp1.6' ? 'FormatViolation' : 'RpcFrameworkError';
    return { ...base, valid: false, violations: [violation(protocol, code, 'json', 'input is not valid JSON')] };
  }
  let payload = value;
  if (Array.isArray(value)) {
    const parsed = parseFrame(text, protocol);
    if (!parsed.ok) {
      return { ...base, frame: true, valid: false, violations: [violation(protocol, parsed.error.code, 'frame', parsed.error.description)] };
    }
    const frame = parsed.frame;
    if (frame.type === 4 || frame.type === 5) {
      // Error frames have no payload schema; parseFrame already checked their shape.
      return { ...base, frame: true, valid: true, violations: [] };
    }
    if (frame.type === 3) {
      if (!action) throw new UsageError('a CALLRESULT frame needs --action to know its schema');
      kind = 'response';
    } else {
      if (options.response) throw new UsageError(`--response does not apply to a ${frame.type === 2 ? 'CALL' : 'SEND'} frame`);
      if (action && action !== frame.action) throw new UsageError(`--action ${action} does not match the frame's action ${frame.action}`);
      action = frame.action;
    }
    payload = frame.payload;
    Object.assign(base, { frame: true });
  } else if (!action) {
    throw new UsageError('--action is required to validate a bare payload');
  }
  const report = { ...base, action, kind };
  if (!isKnownAction(protocol, action)) {
    return { ...report, valid: false, violations: [violation(protocol, 'NotImplemented', 'action', `${protocol} has no action ${action}`)] };
  }
  const validate = getValidator(protocol, action, kind);
  if (!validate) {
    return { ...report, valid: false, violations: [violation(protocol, 'NotSupported', 'action', `${protocol} ${action} has no ${kind} payload`)] };
  }
  const result = validate(payload);
  return result.valid ? { ...report, valid: true, violations: [] } : { ...report, valid: false, violations: result.violations };
}
