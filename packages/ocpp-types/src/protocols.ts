/** The OCPP-J WebSocket subprotocols this package has schemas for. */
export type ProtocolName = 'ocpp1.6' | 'ocpp2.0.1' | 'ocpp2.1';

/** All supported protocols, oldest first. */
export const PROTOCOLS: readonly ProtocolName[] = Object.freeze(['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'] as const);

/** Type guard for a subprotocol name this package knows. */
export function isProtocolName(value: unknown): value is ProtocolName {
  return value === 'ocpp1.6' || value === 'ocpp2.0.1' || value === 'ocpp2.1';
}

/** Whether a payload is the request (CALL / SEND) or the response (CALLRESULT) of an action. */
export type PayloadKind = 'request' | 'response';
