import type { Side } from './actionInfo.js';
import type { Ocpp16Actions } from './generated/ocpp16.js';
import type { Ocpp201Actions } from './generated/ocpp201.js';
import type { Ocpp21Actions } from './generated/ocpp21.js';

export type { Side } from './actionInfo.js';
export type { Ocpp16Actions, Ocpp201Actions, Ocpp21Actions };

/**
 * One action entry. `origin` = which side may SEND the request (a union for DataTransfer).
 * `send: true` marks a SEND-only message (2.1 NotifyPeriodicEventStream): its response is `never`.
 */
export type ActionSpec = { request: unknown; response: unknown; origin: Side; send?: true };
/** Action name → its spec. */
export type ActionMap = Record<string, ActionSpec>;
/** Protocol name → its action map. Vendor protocols can be added by intersecting a map with {@link OcppProtocols}. */
export type ProtocolMap = Record<string, ActionMap>;

/** The three standard protocols. */
export type OcppProtocols = { 'ocpp1.6': Ocpp16Actions; 'ocpp2.0.1': Ocpp201Actions; 'ocpp2.1': Ocpp21Actions };

/** Action names of protocol `P`. */
export type ActionOf<P extends keyof M & string, M extends ProtocolMap = OcppProtocols> = keyof M[P] & string;

/** Request payload type of `A` in `P`. @example RequestOf<'ocpp1.6', 'RemoteStartTransaction'>['idTag'] */
export type RequestOf<
  P extends keyof M & string,
  A extends ActionOf<P, M>,
  M extends ProtocolMap = OcppProtocols,
> = M[P][A]['request'];

/** Response payload type of `A` in `P` (`never` for a SEND-only message). */
export type ResponseOf<
  P extends keyof M & string,
  A extends ActionOf<P, M>,
  M extends ProtocolMap = OcppProtocols,
> = M[P][A]['response'];

type OtherSide<S extends Side> = S extends 'CSMS' ? 'ChargingStation' : 'CSMS';

/** Actions side `S` may CALL: its origin includes `S` and it is not SEND-only. */
export type OutboundActionOf<P extends keyof M & string, S extends Side, M extends ProtocolMap = OcppProtocols> = {
  [A in ActionOf<P, M>]: M[P][A] extends { send: true } ? never : S extends M[P][A]['origin'] ? A : never;
}[ActionOf<P, M>];

/** Actions side `S` must HANDLE: the other side may send them (CALLs and SENDs). */
export type InboundActionOf<P extends keyof M & string, S extends Side, M extends ProtocolMap = OcppProtocols> = {
  [A in ActionOf<P, M>]: OtherSide<S> extends M[P][A]['origin'] ? A : never;
}[ActionOf<P, M>];

/** SEND-only actions side `S` may emit (OCPP 2.1 message type 6). */
export type SendActionOf<P extends keyof M & string, S extends Side, M extends ProtocolMap = OcppProtocols> = {
  [A in ActionOf<P, M>]: M[P][A] extends { send: true } ? (S extends M[P][A]['origin'] ? A : never) : never;
}[ActionOf<P, M>];
