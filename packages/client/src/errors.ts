/**
 * Errors raised while opening the WebSocket. Every connect failure carries `retryable`, which is what the
 * reconnect loop uses to decide whether another attempt can change the outcome.
 */

/** Base class of every failure to open the WebSocket connection. */
export class ConnectError extends Error {
  /** `true` when another attempt may succeed (network error, 5xx, timeout). */
  readonly retryable: boolean;

  constructor(message: string, retryable: boolean, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConnectError';
    this.retryable = retryable;
  }
}

/**
 * The server answered the upgrade request with an HTTP status instead of `101 Switching Protocols`
 * (401 bad credentials, 404 unknown identity, 5xx …), or completed it without a usable subprotocol.
 */
export class ConnectionRefusedError extends ConnectError {
  /** HTTP status of the refusal (101 for a completed handshake without a common subprotocol). */
  readonly status: number;
  /** HTTP reason phrase sent by the server, if any. */
  readonly statusText: string;
  /** Delay the server asked for with `Retry-After` (429/503), in milliseconds. */
  readonly retryAfterMs: number | undefined;

  constructor(status: number, statusText = '', options: { retryAfterMs?: number; message?: string } = {}) {
    super(
      options.message ?? `Server refused the WebSocket upgrade: ${status}${statusText ? ` ${statusText}` : ''}`,
      isRetryableStatus(status),
    );
    this.name = 'ConnectionRefusedError';
    this.status = status;
    this.statusText = statusText;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * The server finished the handshake without selecting one of the offered subprotocols (OCPP-J §3.1.2:
 * the CSMS answers without `Sec-WebSocket-Protocol` and closes). Retrying cannot help.
 */
export class SubprotocolMismatchError extends ConnectionRefusedError {
  /** Subprotocols the client offered, in order of preference. */
  readonly offered: readonly string[];
  /** What the server answered (undefined when it sent no `Sec-WebSocket-Protocol` header). */
  readonly received: string | undefined;

  constructor(offered: readonly string[], received: string | undefined) {
    super(101, 'Switching Protocols', {
      message:
        received === undefined
          ? `Server accepted the WebSocket without a common subprotocol (offered: ${offered.join(', ')})`
          : `Server selected subprotocol "${received}", which was not offered (offered: ${offered.join(', ')})`,
    });
    this.name = 'SubprotocolMismatchError';
    this.offered = offered;
    this.received = received;
  }
}

/** The connection could not be established (DNS, TCP, TLS, handshake timeout): always retryable. */
export class ConnectionFailedError extends ConnectError {
  constructor(message: string, cause?: unknown) {
    super(message, true, { cause });
    this.name = 'ConnectionFailedError';
  }
}

/** `close()` was called (or the client gave up) while a `connect()` was still in progress. */
export class ConnectAbortedError extends ConnectError {
  constructor(message = 'connect() aborted because the client was closed') {
    super(message, false);
    this.name = 'ConnectAbortedError';
  }
}

/**
 * Which upgrade refusals may succeed on a later attempt. 400/401/403/404 and the other 4xx describe the
 * request itself (bad identity, bad credentials, unknown charger) and do not change by waiting;
 * 408/425/429 and 5xx are transient.
 */
export function isRetryableStatus(status: number): boolean {
  if (status >= 500) return true;
  return status === 408 || status === 425 || status === 429;
}
