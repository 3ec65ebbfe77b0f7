import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import type { PerMessageDeflateOptions } from 'ws';
import {
  ConnectAbortedError,
  type ConnectError,
  ConnectionFailedError,
  ConnectionRefusedError,
  SubprotocolMismatchError,
} from './errors.js';
import { toWsTlsOptions, type ClientTlsOptions } from './tls.js';

export interface OpenSocketOptions {
  url: URL;
  /** Offered in this order in `Sec-WebSocket-Protocol`. */
  protocols: readonly string[];
  headers: Record<string, string>;
  tls?: ClientTlsOptions | undefined;
  handshakeTimeoutMs: number;
  perMessageDeflate: boolean | PerMessageDeflateOptions;
  maxPayloadBytes: number;
  signal?: AbortSignal | undefined;
}

export interface OpenedSocket {
  ws: WebSocket;
  protocol: string;
}

/**
 * Opens one WebSocket and settles once: resolves when the connection is open with one of the offered
 * subprotocols, rejects with a typed {@link ConnectError} otherwise. Never leaves a socket behind on failure.
 */
export function openSocket(options: OpenSocketOptions): Promise<OpenedSocket> {
  const { url, protocols, signal } = options;
  return new Promise<OpenedSocket>((resolve, reject) => {
    if (signal?.aborted) {
      reject(new ConnectAbortedError());
      return;
    }
    let settled = false;
    let failure: ConnectError | undefined;
    const ws = new WebSocket(url, [...protocols], {
      headers: options.headers,
      handshakeTimeout: options.handshakeTimeoutMs,
      perMessageDeflate: options.perMessageDeflate,
      maxPayload: options.maxPayloadBytes,
      followRedirects: false,
      ...toWsTlsOptions(url.protocol === 'wss:' ? options.tls : undefined),
    });

    const settle = (error: ConnectError | undefined): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (error) {
        if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
        reject(error);
      } else {
        resolve({ ws, protocol: ws.protocol });
      }
    };
    const onAbort = (): void => {
      failure ??= new ConnectAbortedError();
      settle(failure);
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    // OCPP-J §3.1.2 / Part 4 §3.2: a server with no common subprotocol completes the handshake without the
    // header (and closes). `ws` aborts such a handshake itself; remember why so we can say so.
    ws.once('upgrade', (res: IncomingMessage) => {
      // Node joins a repeated header into one string, so this is the server's whole answer.
      const chosen = res.headers['sec-websocket-protocol'];
      if (chosen === undefined || !protocols.includes(chosen)) {
        failure ??= new SubprotocolMismatchError(protocols, chosen);
      }
    });
    ws.once('unexpected-response', (_req, res: IncomingMessage) => {
      failure ??= new ConnectionRefusedError(res.statusCode ?? 0, res.statusMessage ?? '', {
        retryAfterMs: parseRetryAfter(res.headers['retry-after']),
      });
      res.resume();
      settle(failure);
    });
    // After the handshake the owner listens too; this one only keeps a late error from being unhandled.
    ws.on('error', (err: Error) => {
      settle(failure ?? new ConnectionFailedError(`WebSocket connection to ${redact(url)} failed: ${err.message}`, err));
    });
    ws.once('close', () => {
      settle(failure ?? new ConnectionFailedError(`WebSocket connection to ${redact(url)} closed during the handshake`));
    });
    ws.once('open', () => {
      if (failure) settle(failure);
      else settle(undefined);
    });
  });
}

/** `Retry-After` as delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | string[] | undefined): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === '') return undefined;
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim()) * 1000;
  const at = Date.parse(raw);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - Date.now());
}

/** The URL without credentials or query (which may carry tokens), for error messages. */
function redact(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}
