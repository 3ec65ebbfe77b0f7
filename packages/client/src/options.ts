import type { PerMessageDeflateOptions } from 'ws';
import type { OcppProtocols, ProtocolMap } from '@chargewire/ocpp-types';
import type { RpcEndpointOptions, StrictModeOptions } from '@chargewire/rpc-core';
import type { BackoffOptions } from './backoff.js';
import type { ClientTlsOptions } from './tls.js';

/**
 * Options of {@link OCPPClient}. Every field is checked by the constructor: a value of the wrong type or an
 * unknown option is a TypeError, a number out of range a RangeError, each naming the option.
 */
export interface OCPPClientOptions<M extends ProtocolMap = OcppProtocols> {
  /** Base URL of the CSMS (`ws://`, `wss://`); the identity is appended as the last path segment. */
  endpoint: string;
  /** Charging station identity (OCPP-J §3.1.1); percent-encoded into the URL. */
  identity: string;
  /** Subprotocols to offer, in order of preference (`Sec-WebSocket-Protocol`). */
  protocols: ReadonlyArray<keyof M & string>;
  /**
   * `BasicAuthPassword` / `AuthorizationKey` for security profiles 1 and 2. A Buffer is sent byte for byte;
   * a string is encoded as UTF-8. Sent as `Authorization: Basic` with the identity as user-id.
   */
  password?: string | Uint8Array;
  /** TLS settings for `wss://` (custom CA; client certificate for security profile 3). */
  tls?: ClientTlsOptions;
  /** Extra HTTP headers for the upgrade request (`authorization` is overridden by `password`). */
  headers?: Readonly<Record<string, string>>;
  /** Extra query parameters appended to the URL. */
  query?: Readonly<Record<string, string | number | boolean>>;
  /** Schema validation of frames. @default true */
  strictMode?: boolean | StrictModeOptions;
  /** Time to wait for a CALLRESULT, counted from when the CALL is sent. @default 30000 */
  callTimeoutMs?: number;
  /** Outstanding outbound CALLs at once (OCPP-J: one). @default 1 */
  callConcurrency?: number;
  /**
   * Bad frames from the CSMS tolerated in a row (malformed frames, unknown actions, schema violations, …);
   * one more closes the connection with 1008. See rpc-core's README, "Limits". @default 10
   */
  maxBadMessages?: number;
  /**
   * Handlers of CSMS-initiated CALLs that run at once; later ones wait in arrival order (OCPP-J: one
   * outstanding CALL per direction, plus calls the CSMS sends after giving up on a slow handler). @default 4
   */
  inboundConcurrency?: number;
  /**
   * CSMS CALLs that may wait for a handler; one more is answered RpcFrameworkError (1.6: ProtocolError) and
   * counts as a bad message. @default 16
   */
  inboundQueueLimit?: number;
  /** Custom validator lookup (vendor protocols). @default ocpp-types' precompiled validators */
  validators?: RpcEndpointOptions['validators'];
  /** Message id generator. @default crypto.randomUUID */
  generateMessageId?: () => string;
  /**
   * Reconnect after the connection drops (not after `close()`, and never after a refusal that cannot
   * change: bad credentials, unknown identity, no common subprotocol). @default true
   */
  reconnect?: boolean;
  /**
   * Let the first `connect()` retry retryable failures (network errors, 5xx, timeouts) with the back-off
   * instead of rejecting at once: for chargers that boot before their CSMS is reachable. @default false
   */
  retryInitialConnect?: boolean;
  /** Reconnect back-off. @default { initialMs: 1000, factor: 2, maxMs: 60000, jitter: 'full', maxAttempts: Infinity } */
  backoff?: BackoffOptions;
  /**
   * Calls made while disconnected: 0 rejects them at once with `NotConnectedError`; N > 0 queues up to N of
   * them and sends them in order after the next connect. @default 0
   */
  offlineQueue?: number;
  /** Interval of WebSocket pings; 0 disables keep-alive. @default 30000 */
  pingIntervalMs?: number;
  /** Without a pong (or any frame) this long after a ping, the server is dead: terminate and reconnect. @default pingIntervalMs */
  deadPeerTimeoutMs?: number;
  /** Time allowed for the opening handshake. @default 30000 */
  handshakeTimeoutMs?: number;
  /** Time `close()` waits for the server's close frame before terminating the socket. @default 5000 */
  closeTimeoutMs?: number;
  /**
   * Offer permessage-deflate (RFC 7692). `true` offers ws' defaults (context takeover: the best compression on
   * a metered link, and a compressor of about 256 KB kept per connection); ws' options object is offered as
   * given, e.g. {@link FLEET_PER_MESSAGE_DEFLATE} for many connections in one process. @default true
   */
  perMessageDeflate?: boolean | PerMessageDeflateOptions;
  /** Largest frame accepted from the server. @default 16 MiB */
  maxPayloadBytes?: number;
  /** Random source for back-off jitter, in [0, 1). @default Math.random */
  random?: () => number;
}

/** What `close()` accepts. */
export interface CloseOptions {
  /** WebSocket close code. @default 1000 */
  code?: number;
  /** Close reason (truncated to 123 bytes). @default '' */
  reason?: string;
  /**
   * Wait for outstanding calls to settle before closing: our CALLs in flight or queued, and CALLs from the
   * CSMS our handlers are still answering. @default false
   */
  awaitPending?: boolean;
  /** Longest wait for `awaitPending`; then the connection closes anyway. @default 30000 */
  timeoutMs?: number;
  /** Terminate the socket without a closing handshake; pending calls reject at once. @default false */
  force?: boolean;
}

export type ClientState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closing' | 'closed';

/** Events of {@link OCPPClient}. */
export interface OCPPClientEvents {
  /** An attempt to open the WebSocket starts (attempt 0 = first connect or first try after a drop). */
  connecting: [{ attempt: number; url: string }];
  /** The WebSocket is open and the endpoint serves it. */
  open: [{ protocol: string }];
  /** An open connection dropped (or was closed); in-flight calls have been rejected. */
  disconnect: [{ code: number; reason: string }];
  /** A reconnect attempt is scheduled in `delayMs`; `error` is the failure of the previous attempt, if any. */
  reconnect: [{ attempt: number; delayMs: number; error?: Error }];
  /** The client is closed for good (by `close()`, a non-retryable refusal, or giving up). */
  close: [{ code: number; reason: string; error?: Error }];
  /** The reason the client gave up; emitted only when someone listens. */
  error: [Error];
}

/**
 * permessage-deflate for processes that hold many connections (simulated fleets, load tests): no context
 * takeover either way, so frames under 1 KB (most OCPP frames) go uncompressed and no compressor state is kept
 * per connection between frames.
 */
export const FLEET_PER_MESSAGE_DEFLATE: Readonly<PerMessageDeflateOptions> = Object.freeze({
  clientNoContextTakeover: true,
  serverNoContextTakeover: true,
  threshold: 1024,
});
