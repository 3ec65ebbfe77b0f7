/**
 * The internal CALLERROR code set (2.x spelling, DESIGN rule 6). Mirrors `RpcErrorCode` of
 * `@chargewire/ocpp-types` (structurally identical string union).
 */
export type RpcErrorCode =
  | 'FormatViolation'
  | 'GenericError'
  | 'InternalError'
  | 'MessageTypeNotSupported'
  | 'NotImplemented'
  | 'NotSupported'
  | 'OccurrenceConstraintViolation'
  | 'PropertyConstraintViolation'
  | 'ProtocolError'
  | 'RpcFrameworkError'
  | 'SecurityError'
  | 'TypeConstraintViolation';
