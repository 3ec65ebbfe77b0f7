/**
 * The RPC error codes, in their OCPP 2.x spelling (2.0.1 / 2.1 Part 4 §4.3). This is the one internal code
 * set; the OCPP 1.6 spelling (with its normative typos) is applied only at the wire boundary.
 */
export const RPC_ERROR_CODES = [
  'FormatViolation',
  'GenericError',
  'InternalError',
  'MessageTypeNotSupported',
  'NotImplemented',
  'NotSupported',
  'OccurrenceConstraintViolation',
  'PropertyConstraintViolation',
  'ProtocolError',
  'RpcFrameworkError',
  'SecurityError',
  'TypeConstraintViolation',
] as const;

/** One of {@link RPC_ERROR_CODES}. */
export type RpcErrorCode = (typeof RPC_ERROR_CODES)[number];

const KNOWN = new Set<string>(RPC_ERROR_CODES);

/** OCPP-J 1.6 §4.2.3 spells two codes differently and lacks the 2.x framework codes. */
const TO_16 = new Map<RpcErrorCode, string>([
  ['FormatViolation', 'FormationViolation'],
  ['OccurrenceConstraintViolation', 'OccurenceConstraintViolation'],
  ['RpcFrameworkError', 'ProtocolError'],
  ['MessageTypeNotSupported', 'ProtocolError'],
]);

const FROM_16 = new Map<string, RpcErrorCode>([
  ['FormationViolation', 'FormatViolation'],
  ['OccurenceConstraintViolation', 'OccurrenceConstraintViolation'],
]);

/** Whether `protocol` uses the OCPP-J 1.x error code spelling (`ocpp1.6`, also `ocpp1.5`). */
function usesOcpp1Spelling(protocol: string): boolean {
  return protocol.startsWith('ocpp1.');
}

/** Type guard for an internal error code. */
export function isRpcErrorCode(value: unknown): value is RpcErrorCode {
  return typeof value === 'string' && KNOWN.has(value);
}

/**
 * The errorCode string to put in a CALLERROR for `protocol`.
 * 1.6: FormatViolation→'FormationViolation', OccurrenceConstraintViolation→'OccurenceConstraintViolation',
 * RpcFrameworkError and MessageTypeNotSupported→'ProtocolError'; other codes and other protocols unchanged.
 * @example toWireErrorCode('ocpp1.6', 'OccurrenceConstraintViolation') // 'OccurenceConstraintViolation'
 */
export function toWireErrorCode(protocol: string, code: RpcErrorCode): string {
  if (usesOcpp1Spelling(protocol)) return TO_16.get(code) ?? code;
  return code;
}

/**
 * Reads a CALLERROR errorCode received on `protocol` into the internal code set. Both spellings are accepted
 * for every protocol (peers get this wrong); anything unknown — including a non-string read off the wire —
 * becomes 'GenericError'.
 */
export function fromWireErrorCode(protocol: string, wire: unknown): RpcErrorCode {
  void protocol; // Accepted for symmetry with toWireErrorCode: decoding is lenient across versions.
  if (typeof wire !== 'string') return 'GenericError';
  const mapped = FROM_16.get(wire);
  if (mapped) return mapped;
  return isRpcErrorCode(wire) ? wire : 'GenericError';
}
