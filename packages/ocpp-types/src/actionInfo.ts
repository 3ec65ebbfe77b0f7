/** The side of an OCPP-J connection; also used as the "origin" of an action (the side that sends its request). */
export type Side = 'ChargingStation' | 'CSMS';

/** Runtime facts about one action (generated from the schemas and the generator's direction table). */
export interface ActionInfo {
  /** Sides that may send the request; both for DataTransfer. */
  readonly origin: readonly Side[];
  /** SEND-only message (OCPP 2.1 Part 4 §4.2.6): never answered, has no response schema. */
  readonly send: boolean;
  /** `$id` of the official request schema, then of the response schema (absent for SEND). */
  readonly schemaIds: readonly string[];
}
