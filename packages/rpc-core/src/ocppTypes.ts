/**
 * The single import point for everything rpc-core takes from `@chargewire/ocpp-types`.
 *
 * Interim copy of the contract while ocpp-types is being written; replaced by plain re-exports as soon as
 * that package lands, so no other file changes.
 */
export type ProtocolName = 'ocpp1.6' | 'ocpp2.0.1' | 'ocpp2.1';
export const PROTOCOLS: readonly ProtocolName[] = ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'];
export type Side = 'ChargingStation' | 'CSMS';
export type ActionSpec = { request: unknown; response: unknown; origin: Side; send?: true };
export type ActionMap = Record<string, ActionSpec>;
export type ProtocolMap = Record<string, ActionMap>;
export type OcppProtocols = {
  'ocpp1.6': {
    Heartbeat: { request: Record<string, never>; response: { currentTime: string }; origin: 'ChargingStation' };
    Reset: { request: { type: 'Hard' | 'Soft' }; response: { status: 'Accepted' | 'Rejected' }; origin: 'CSMS' };
    DataTransfer: {
      request: { vendorId: string; messageId?: string; data?: string };
      response: { status: 'Accepted' | 'Rejected' | 'UnknownMessageId' | 'UnknownVendorId'; data?: string };
      origin: 'ChargingStation' | 'CSMS';
    };
  };
  'ocpp2.0.1': Record<never, ActionSpec>;
  'ocpp2.1': Record<never, ActionSpec>;
};
type Other<S extends Side> = S extends 'CSMS' ? 'ChargingStation' : 'CSMS';
export type ActionOf<P extends keyof M & string, M extends ProtocolMap = OcppProtocols> = keyof M[P] & string;
export type RequestOf<P extends keyof M & string, A extends keyof M[P], M extends ProtocolMap = OcppProtocols> =
  M[P][A]['request'];
export type ResponseOf<P extends keyof M & string, A extends keyof M[P], M extends ProtocolMap = OcppProtocols> =
  M[P][A]['response'];
export type OutboundActionOf<P extends keyof M & string, S extends Side, M extends ProtocolMap = OcppProtocols> = {
  [A in keyof M[P] & string]: M[P][A]['send'] extends true ? never : S extends M[P][A]['origin'] ? A : never;
}[keyof M[P] & string];
export type InboundActionOf<P extends keyof M & string, S extends Side, M extends ProtocolMap = OcppProtocols> = {
  [A in keyof M[P] & string]: Other<S> extends M[P][A]['origin'] ? A : never;
}[keyof M[P] & string];
export type SendActionOf<P extends keyof M & string, S extends Side, M extends ProtocolMap = OcppProtocols> = {
  [A in keyof M[P] & string]: M[P][A]['send'] extends true ? (S extends M[P][A]['origin'] ? A : never) : never;
}[keyof M[P] & string];

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
export type RpcErrorCode = (typeof RPC_ERROR_CODES)[number];
const CODE_SET: ReadonlySet<string> = new Set(RPC_ERROR_CODES);

export function toWireErrorCode(protocol: string, code: RpcErrorCode): string {
  if (protocol !== 'ocpp1.6') return code;
  switch (code) {
    case 'FormatViolation':
      return 'FormationViolation';
    case 'OccurrenceConstraintViolation':
      return 'OccurenceConstraintViolation';
    case 'RpcFrameworkError':
    case 'MessageTypeNotSupported':
      return 'ProtocolError';
    default:
      return code;
  }
}

export function fromWireErrorCode(_protocol: string, wire: string): RpcErrorCode {
  if (wire === 'FormationViolation') return 'FormatViolation';
  if (wire === 'OccurenceConstraintViolation') return 'OccurrenceConstraintViolation';
  return CODE_SET.has(wire) ? (wire as RpcErrorCode) : 'GenericError';
}

export interface Violation {
  pointer: string;
  keyword: string;
  message: string;
  code: RpcErrorCode;
  wireCode: string;
}
export type ValidationResult = { valid: true } | { valid: false; violations: Violation[] };
export type Validator = (payload: unknown) => ValidationResult;
export type PayloadKind = 'request' | 'response';

export function getValidator(_protocol: string, _action: string, _kind: PayloadKind): Validator | undefined {
  return undefined;
}
export function actionOrigin(_protocol: string, _action: string): readonly Side[] | undefined {
  return undefined;
}
export function isKnownAction(_protocol: string, _action: string): boolean {
  return false;
}
export function isSendOnly(_protocol: string, _action: string): boolean {
  return false;
}
