/**
 * The single import point for everything rpc-core takes from `@chargewire/ocpp-types`.
 */
export {
  PROTOCOLS,
  RPC_ERROR_CODES,
  actionOrigin,
  fromWireErrorCode,
  getValidator,
  isKnownAction,
  isRpcErrorCode,
  isSendOnly,
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
