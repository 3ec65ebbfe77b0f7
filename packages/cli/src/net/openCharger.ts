import { EndpointError } from '../exitCodes.js';
import { NOT_IMPLEMENTED } from '../ocppPayloads.js';
import { errorFrame } from './frames.js';
import { openRaw, type RawConnection } from './rawConnection.js';
import type { TlsFiles } from './tlsFiles.js';

/** Options of {@link openCharger}. */
export interface OpenChargerOptions {
  /** The one subprotocol offered; a server that selects another is an {@link EndpointError}. */
  protocol: string;
  /** Basic-auth password (security profiles 1/2). */
  password?: string | undefined;
  /** TLS material for wss:// (security profiles 2/3). */
  tls?: TlsFiles | undefined;
  /** Description of the NotImplemented CALLERROR that answers every CSMS CALL. */
  refusal: string;
}

/**
 * A raw charger connection for tools that drive a CSMS (bench, fuzz): one subprotocol offered and required, and
 * every CALL of the CSMS (e.g. TriggerMessage after boot) answered NotImplemented so it never blocks the CSMS.
 */
export async function openCharger(url: string, options: OpenChargerOptions): Promise<RawConnection> {
  const conn = await openRaw(url, {
    protocols: [options.protocol],
    ...(options.password !== undefined ? { password: options.password } : {}),
    ...(options.tls ? { tls: options.tls } : {}),
  });
  if (conn.protocol !== options.protocol) {
    await conn.close();
    throw new EndpointError(`server did not accept subprotocol ${options.protocol} (selected '${conn.protocol}')`);
  }
  conn.answerCalls((id) => errorFrame(id, NOT_IMPLEMENTED, options.refusal));
  return conn;
}
