import type { OCPPClient } from '@chargewire/client';
import type { CallErrorEvent, CallEvent, CallResultEvent } from '@chargewire/rpc-core';
import { toWireErrorCode } from '@chargewire/rpc-core';

/** One line of the message log. */
export interface LogLine {
  at: Date;
  kind: 'out' | 'in' | 'info' | 'error';
  text: string;
}

/**
 * Reports every OCPP-J frame of the connection as the JSON text on the wire, with the direction seen from the
 * charger, so the log shows exactly what the CSMS got and sent.
 */
export function watchFrames(
  endpoint: OCPPClient['endpoint'],
  protocol: 'ocpp1.6' | 'ocpp2.0.1',
  onFrame: (direction: 'in' | 'out', text: string) => void,
): void {
  const frame = (direction: 'in' | 'out', parts: unknown[]): void => onFrame(direction, JSON.stringify(parts));
  // Our CALLs go out and their answers come in; the CSMS's CALLs come in and our answers go out.
  endpoint.on('call', (e: CallEvent) => frame(e.direction === 'out' ? 'out' : 'in', [2, e.messageId, e.action, e.params]));
  endpoint.on('callResult', (e: CallResultEvent) => frame(e.direction === 'out' ? 'in' : 'out', [3, e.messageId, e.result]));
  endpoint.on('callError', (e: CallErrorEvent) =>
    frame(e.direction === 'out' ? 'in' : 'out', [4, e.messageId, toWireErrorCode(protocol, e.error.code), e.error.description]),
  );
}
