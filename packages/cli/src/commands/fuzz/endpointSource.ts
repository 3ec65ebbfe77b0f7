import { EndpointError } from '../../exitCodes.js';
import { fleetIdentity, parseEndpoint, urlFor } from '../../net/endpoint.js';
import { isProtocolName } from '@chargewire/ocpp-types';
import { exampleFor } from '@chargewire/ocpp-types/examples';
import { callFrame, readFrame } from '../../net/frames.js';
import { openCharger } from '../../net/openCharger.js';
import type { RawConnection } from '../../net/rawConnection.js';
import type { TlsFiles } from '../../net/tlsFiles.js';
import { UnreachableError, type ConnectionSource } from './harness.js';

/** Options of {@link endpointSource}. */
export interface EndpointSourceOptions {
  url: string;
  protocol: string;
  /** Parallel connections; with more than one, worker N connects as `ID-N` (the endpoint's identity is `ID`). */
  connections: number;
  /** Basic-auth password (security profiles 1/2). */
  password?: string;
  /** TLS material for wss:// (security profiles 2/3). */
  tls?: TlsFiles;
  /**
   * Send a BootNotification on every new connection before handing it out, as a charger does: a CSMS that
   * serves only registered chargers then runs its real handlers for the fuzzed CALLs. @default true
   */
  boot?: boolean;
  /** How long to wait for the BootNotification answer. @default 2000 */
  bootTimeoutMs?: number;
}

/**
 * Connections dialled to a CSMS, one identity per worker. When the CSMS refuses a reconnect (for example while
 * it still holds the previous connection of that identity), the worker takes a fresh identity `ID-N-rK`.
 * Once a connection succeeded, a network error on reconnect means the CSMS is unreachable.
 */
export function endpointSource(options: EndpointSourceOptions): ConnectionSource & { opened: number } {
  const endpoint = parseEndpoint(options.url);
  const renamed = new Map<number, number>();
  const state = { opened: 0 };
  const identityOf = (worker: number): string => {
    const base = options.connections > 1 ? fleetIdentity(endpoint.identity, worker + 1) : endpoint.identity;
    const fresh = renamed.get(worker);
    return fresh === undefined ? base : `${base}-r${fresh}`;
  };
  const dial = async (worker: number): Promise<RawConnection> => {
    const url = urlFor(endpoint, identityOf(worker));
    const conn = await openCharger(url, { protocol: options.protocol, password: options.password, tls: options.tls, refusal: 'the fuzzer answers no CSMS calls' });
    state.opened++;
    if (options.boot !== false && isProtocolName(options.protocol)) {
      // Whatever the answer (Accepted, Pending, an error), the fuzzing goes on: it is judged per frame.
      conn.send(callFrame('cw-boot', 'BootNotification', exampleFor(options.protocol, 'BootNotification', 'request')));
      await conn.next((text) => {
        const frame = readFrame(text);
        return (frame.type === 'result' || frame.type === 'error') && frame.id === 'cw-boot';
      }, options.bootTimeoutMs ?? 2000);
    }
    return conn;
  };
  return {
    get opened() {
      return state.opened;
    },
    async open(worker) {
      try {
        return await dial(worker);
      } catch (err) {
        if (!(err instanceof EndpointError) || state.opened === 0) throw err;
        if (err.status === undefined && !err.noSubprotocol) throw new UnreachableError(`the CSMS stopped accepting connections (${err.message})`);
        // Refused with an HTTP status after earlier success: try once under a fresh identity.
        renamed.set(worker, (renamed.get(worker) ?? 0) + 1);
        try {
          return await dial(worker);
        } catch (again) {
          throw new UnreachableError(`the CSMS refused a new connection (${again instanceof Error ? again.message : String(again)})`);
        }
      }
    },
  };
}
