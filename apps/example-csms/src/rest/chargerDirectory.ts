import type { ChargerLink, CommandProtocol } from '../ocpp/chargerCommands.js';
import { HttpError } from './httpError.js';

/** A charger that is connected somewhere in the cluster, ready to be called. */
export interface LocatedCharger {
  link: ChargerLink;
  protocol: CommandProtocol;
  nodeId: string;
  isLocal: boolean;
}

/** How REST finds chargers: `ocppServer.findClient()` underneath, so it works across nodes. */
export interface ChargerDirectory {
  /** This instance's node id. */
  readonly nodeId: string;
  find(chargerId: string): Promise<LocatedCharger | undefined>;
  /** Whether the charger is connected to THIS node (synchronous, no cluster round trip). */
  isLocal(chargerId: string): boolean;
  /** Closes the charger's connection if it is on this node (after its registration was deleted). */
  disconnectLocal(chargerId: string, reason: string): void;
}

/**
 * Turns what a CALL to a charger can throw into the REST answer: 504 when it did not answer in time,
 * 502 with the CALLERROR code when it answered an error, 409 when it went away before or during the call.
 * Errors are matched by name so that errors rebuilt from another cluster node map the same way.
 */
export function chargerCallError(err: unknown, chargerId: string): HttpError {
  const e = err as { name?: unknown; code?: unknown; description?: unknown; details?: unknown; timeoutMs?: unknown };
  switch (e?.name) {
    case 'TimeoutError':
      return new HttpError(504, 'ChargerTimeout', `charger ${chargerId} did not answer in time`,
        typeof e.timeoutMs === 'number' ? { timeoutMs: e.timeoutMs } : undefined);
    case 'RpcError':
      return new HttpError(502, 'ChargerError', `charger ${chargerId} answered ${String(e.code)}`, {
        code: String(e.code),
        description: typeof e.description === 'string' ? e.description : '',
        errorDetails: typeof e.details === 'object' && e.details !== null ? e.details : {},
      });
    case 'ConnectionClosedError':
      return new HttpError(502, 'ChargerDisconnected', `charger ${chargerId} disconnected before answering`);
    case 'NotConnectedError':
      return new HttpError(409, 'ChargerOffline', `charger ${chargerId} is not connected`);
    case 'ProtocolMismatchError':
      return new HttpError(409, 'ProtocolChanged', `charger ${chargerId} reconnected with another protocol; retry`);
    default:
      return new HttpError(502, 'ChargerCallFailed', `call to charger ${chargerId} failed`);
  }
}
