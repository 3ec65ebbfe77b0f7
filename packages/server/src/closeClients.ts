import type { ProtocolMap } from '@chargewire/ocpp-types';
import type { ServerClient } from './serverClient.js';
import { CloseCodes } from './wsChannel.js';

/** Options of `server.close()`. */
export interface ServerCloseOptions {
  /** Wait until outbound calls in flight are answered (bounded by `timeoutMs`). @default false */
  awaitPending?: boolean;
  /** @default 1001 (going away) */
  code?: number;
  /** @default 'Server shutting down' */
  reason?: string;
  /** Upper bound for waiting on pending calls and on clients' closing handshakes. @default 5000 */
  timeoutMs?: number;
}

/**
 * The clients' part of a graceful shutdown: optionally wait for outbound calls in flight, close every client
 * with `code`, wait for the closing handshakes, and terminate whoever has not finished by the deadline (at
 * least a second is given, so a short timeout still lets healthy peers answer the close).
 */
export async function closeClients<M extends ProtocolMap>(clients: ReadonlyMap<string, ServerClient<M>>, options: ServerCloseOptions): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 5000);
  if (options.awaitPending) {
    while (Date.now() < deadline && [...clients.values()].some((c) => c.pendingCalls > 0 || c.queuedCalls > 0)) {
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  const closing = [...clients.values()];
  for (const client of closing) client.close(options.code ?? CloseCodes.goingAway, options.reason ?? 'Server shutting down');
  const closedAll = Promise.all(closing.map((c) => c.closed()));
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    closedAll.then(() => false),
    new Promise<boolean>((r) => (timer = setTimeout(() => r(true), Math.max(deadline - Date.now(), 1000)))),
  ]);
  clearTimeout(timer);
  if (timedOut) for (const client of clients.values()) client.terminate();
}
