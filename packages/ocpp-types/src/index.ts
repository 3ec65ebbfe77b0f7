// Public surface: the action maps and helper types, the runtime action tables, the error-code set and its wire
// spellings, schemas and validators, and the per-version payload types (also under ./ocpp1.6, ./ocpp2.0.1,
// ./ocpp2.1; example payloads under ./examples). How a schema keyword maps to a code is internal: a violation
// already carries its code. The committed API report (api/ocpp-types.api.md) lists the surface.
export type { ActionInfo, Side } from './actionInfo.js';
export type {
  ActionMap,
  ActionOf,
  ActionSpec,
  InboundActionOf,
  Ocpp16Actions,
  Ocpp201Actions,
  Ocpp21Actions,
  OcppProtocols,
  OutboundActionOf,
  ProtocolMap,
  RequestOf,
  ResponseOf,
  SendActionOf,
} from './actionMaps.js';
export { actionOrigin, isKnownAction, isSendOnly, listActions, lookupAction } from './actions.js';
export { RPC_ERROR_CODES, fromWireErrorCode, isRpcErrorCode, toWireErrorCode } from './errorCodes.js';
export type { RpcErrorCode } from './errorCodes.js';
export { PROTOCOLS, isProtocolName } from './protocols.js';
export type { PayloadKind, ProtocolName } from './protocols.js';
export { getSchema } from './schemas.js';
export type { JsonSchemaObject } from './schemas.js';
export { getValidator, preloadValidators } from './validation.js';
export type { Validator } from './validation.js';
export type { ValidationResult, Violation } from './violations.js';
export type * as Ocpp16 from './generated/ocpp16.js';
export type * as Ocpp201 from './generated/ocpp201.js';
export type * as Ocpp21 from './generated/ocpp21.js';
