/**
 * The single import point for everything rpc-core takes from `@chargewire/ocpp-types`.
 */
export {
  PROTOCOLS,
  RPC_ERROR_CODES,
  fromWireErrorCode,
  getValidator,
  isKnownAction,
  isRpcErrorCode,
  lookupAction,
  toWireErrorCode,
} from '@chargewire/ocpp-types';
export type {
  ActionMap,
  ActionOf,
  ActionSpec,
  InboundActionOf,
  OcppProtocols,
  OutboundActionOf,
  PayloadKind,
  ProtocolMap,
  ProtocolName,
  RequestOf,
  ResponseOf,
  RpcErrorCode,
  SendActionOf,
  Side,
  ValidationResult,
  Validator,
  Violation,
} from '@chargewire/ocpp-types';
