import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import { DEFAULT_INBOUND_CONCURRENCY, DEFAULT_INBOUND_QUEUE_LIMIT, DEFAULT_MAX_BAD_MESSAGES, type StrictModeOptions } from '@chargewire/rpc-core';
import { countOption } from '@chargewire/rpc-core/internal';
import type { Adapter } from './adapter/adapter.js';
import { resolveDeflateOptions } from './compression/deflateOptions.js';
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- DEFAULT_PER_MESSAGE_DEFLATE is the target of a {@link} below
import type { DEFAULT_PER_MESSAGE_DEFLATE, PerMessageDeflateOptions, ResolvedDeflateOptions } from './compression/deflateOptions.js';
import type { Handshake } from './handshake.js';
import type { Logger } from './logger.js';
import type { MessageRateLimit } from './wsChannel.js';

/** Security profile enforced before auth runs (OCPP security profiles, DESIGN rule 9). */
export type SecurityProfile = 0 | 1 | 2 | 3;

/**
 * Built-in Basic-auth verifier of security profiles 1 and 2: `true` accepts the password of `identity`.
 * Runs only for passwords of 16–40 bytes (DESIGN rule 9); compare in constant time (`crypto.timingSafeEqual`).
 */
export type PasswordVerifier = (identity: string, password: Buffer, handshake: Handshake) => boolean | Promise<boolean>;

/** What happens when an identity connects while it is already connected. */
export type DuplicateIdentityPolicy = 'replace' | 'refuse';

/** Options a route may set; unset ones fall back to the server's. */
export interface RouteOptions {
  /** Accepted subprotocols in the server's preference order. @default ['ocpp2.1', 'ocpp2.0.1', 'ocpp1.6'] */
  protocols?: readonly string[];
  /** Schema validation (rpc-core). @default true */
  strictMode?: boolean | StrictModeOptions;
  /** Timeout of outbound CALLs. @default 30000 */
  callTimeoutMs?: number;
  /** Outstanding outbound CALLs per connection (spec: 1). @default 1 */
  callConcurrency?: number;
  /**
   * Bad frames (malformed, unknown action, schema violation, …) a connection may send in a row; one more
   * closes it with 1008. Only a CALL that reached a handler (or an answer to our call) resets the count;
   * `Infinity` disables the bound. See rpc-core's README, "Limits". @default 10
   */
  maxBadMessages?: number;
  /**
   * Inbound CALL handlers of one connection that run at once; later CALLs wait in arrival order. OCPP-J
   * allows one outstanding CALL per direction: one slot serves a conforming charger, the others the calls
   * it sends after giving up on a slow handler. 1 handles a pipelining charger strictly in order. @default 4
   */
  inboundConcurrency?: number;
  /**
   * CALLs of one connection that may wait for a handler; one more is answered with RpcFrameworkError (1.6:
   * ProtocolError) and counts as a bad message. @default 16
   */
  inboundQueueLimit?: number;
  /** Largest accepted frame in bytes; larger ones close the connection with 1009. @default 1048576 */
  maxPayload?: number;
  /**
   * permessage-deflate (RFC 7692), negotiated and run by the server itself (synchronous zlib per message, nothing
   * kept on idle connections). `true` means {@link DEFAULT_PER_MESSAGE_DEFLATE}: no context takeover either way.
   * An object overrides single defaults. @default true when a 2.x protocol is accepted (2.x Part 4 requires it), else false
   */
  perMessageDeflate?: boolean | PerMessageDeflateOptions;
  /**
   * 0: no transport requirement (auth decides). 1: Basic auth with username = identity. 2: TLS + Basic auth.
   * 3: mutual TLS; identity taken from the client certificate CN. Profiles 1 and 2 need `verifyPassword` or an
   * auth handler: without either, `listen()` throws `InsecureConfigurationError` and every handshake is
   * refused with 500. @default 0
   */
  securityProfile?: SecurityProfile;
  /**
   * Checks the Basic-auth password in security profiles 1 and 2 (before the auth handler, which still runs if set).
   * Passwords outside 16–40 bytes are refused (401) without calling it. @default undefined (an auth handler decides)
   */
  verifyPassword?: PasswordVerifier;
  /**
   * Whenever a Basic-auth username or a trusted client certificate comes with a connection, in any security
   * profile, it must name the identity in the URL (else 401 for Basic, 403 for the certificate). `true` lifts
   * that rule where no security profile requires it (profile 0; the certificate in profiles 1 and 2). Profiles 1
   * and 2 always bind the username, profile 3 the certificate CN. @default false
   */
  allowIdentityMismatch?: boolean;
  /** @default 'replace' (the new connection wins; the old one is closed with 1000) */
  onDuplicateIdentity?: DuplicateIdentityPolicy;
  /** Per-client inbound message rate; exceeding it closes with 1008. @default unlimited */
  messageRateLimit?: MessageRateLimit;
  /**
   * Bytes that may wait to be sent to one connection (ws `bufferedAmount`). A peer that stops reading while it
   * keeps sending CALLs would make the server buffer every answer; once this much is waiting, the next frame drops
   * the connection instead (counted in `stats().connections.closedBySendBuffer`; the client sees close code 1008).
   * One frame larger than this still goes to a peer that keeps up. @default 4194304 (4 MiB)
   */
  maxBufferedBytes?: number;
}

/** Options of `new OCPPServer()`. */
export interface OCPPServerOptions extends RouteOptions {
  /** Attach to an existing HTTP(S) server (its other routes keep working); `close()` never closes it. */
  server?: HttpServer | HttpsServer;
  /** Path pattern of the default route (`server.on('client')`). @default any path */
  path?: string;
  /**
   * Interval of the shared keep-alive: every connection is pinged once per interval, the connections spread
   * over it in slices (no burst of thousands of pings at once). A peer that sends nothing (not even a pong)
   * between two of its pings is dropped, so a dead peer is detected within one to two intervals. 0 disables.
   * @default 30000
   */
  pingIntervalMs?: number;
  /**
   * Deadline of an upgrade from its request to the decision (adapter start-up, middleware, auth); then 408.
   * @default 10000
   */
  handshakeTimeoutMs?: number;
  /**
   * Time a client has to send its complete upgrade request (headers) to the HTTP server `listen()` creates; then
   * Node answers 408 and closes the socket. Not applied to a server passed as `server`: set `headersTimeout` and
   * `requestTimeout` on it yourself. @default 10000
   */
  headersTimeoutMs?: number;
  /**
   * Connections allowed on this server; more get 503. Counts open clients and upgrades being decided, and with
   * `listen()` also sockets that have connected but not yet sent their upgrade request. @default Infinity
   */
  maxConnections?: number;
  /** Connection attempts allowed per remote address; more get 429. @default unlimited */
  connectionRateLimit?: { connections: number; perMs: number };
  /** Cluster adapter. @default new InMemoryAdapter() */
  adapter?: Adapter;
  /** Any pino-compatible logger. @default silent */
  logger?: Logger;
  /** This node's id in a cluster. @default a random UUID */
  nodeId?: string;
}

/** Route options with every default applied. */
export interface ResolvedRouteOptions {
  protocols: readonly string[];
  strictMode: boolean | StrictModeOptions;
  callTimeoutMs: number;
  callConcurrency: number;
  maxBadMessages: number;
  inboundConcurrency: number;
  inboundQueueLimit: number;
  maxPayload: number;
  perMessageDeflate: false | ResolvedDeflateOptions;
  securityProfile: SecurityProfile;
  verifyPassword: PasswordVerifier | undefined;
  allowIdentityMismatch: boolean;
  onDuplicateIdentity: DuplicateIdentityPolicy;
  messageRateLimit: MessageRateLimit | undefined;
  maxBufferedBytes: number;
}

/** Default of `maxBufferedBytes`: 4 MiB, four of the largest default frames (`maxPayload` 1 MiB). */
export const DEFAULT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

export const DEFAULT_PROTOCOLS: readonly string[] = ['ocpp2.1', 'ocpp2.0.1', 'ocpp1.6'];

/** Applies route → server → built-in defaults. */
export function resolveRouteOptions(route: RouteOptions, server: RouteOptions): ResolvedRouteOptions {
  const protocols = route.protocols ?? server.protocols ?? DEFAULT_PROTOCOLS;
  if (protocols.length === 0) throw new TypeError('A route needs at least one subprotocol');
  const has2x = protocols.some((p) => p.startsWith('ocpp2.'));
  const rate = route.messageRateLimit ?? server.messageRateLimit;
  if (rate && !(rate.messages > 0 && rate.perMs > 0)) throw new RangeError('messageRateLimit needs positive messages and perMs');
  const resolved: ResolvedRouteOptions = {
    protocols,
    strictMode: route.strictMode ?? server.strictMode ?? true,
    callTimeoutMs: route.callTimeoutMs ?? server.callTimeoutMs ?? 30_000,
    callConcurrency: route.callConcurrency ?? server.callConcurrency ?? 1,
    maxBadMessages: route.maxBadMessages ?? server.maxBadMessages ?? DEFAULT_MAX_BAD_MESSAGES,
    inboundConcurrency: route.inboundConcurrency ?? server.inboundConcurrency ?? DEFAULT_INBOUND_CONCURRENCY,
    inboundQueueLimit: route.inboundQueueLimit ?? server.inboundQueueLimit ?? DEFAULT_INBOUND_QUEUE_LIMIT,
    maxPayload: route.maxPayload ?? server.maxPayload ?? 1_048_576,
    perMessageDeflate: resolveDeflateOptions(route.perMessageDeflate ?? server.perMessageDeflate ?? has2x),
    securityProfile: route.securityProfile ?? server.securityProfile ?? 0,
    verifyPassword: route.verifyPassword ?? server.verifyPassword,
    allowIdentityMismatch: route.allowIdentityMismatch ?? server.allowIdentityMismatch ?? false,
    onDuplicateIdentity: route.onDuplicateIdentity ?? server.onDuplicateIdentity ?? 'replace',
    messageRateLimit: rate,
    maxBufferedBytes: route.maxBufferedBytes ?? server.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES,
  };
  const positive = (name: keyof ResolvedRouteOptions, value: number): void => {
    if (!(value > 0)) throw new RangeError(`${name} must be a positive number, got ${value}`);
  };
  positive('callTimeoutMs', resolved.callTimeoutMs);
  positive('callConcurrency', resolved.callConcurrency);
  positive('maxPayload', resolved.maxPayload);
  positive('maxBadMessages', resolved.maxBadMessages);
  positive('maxBufferedBytes', resolved.maxBufferedBytes);
  // Checked here, at route()/constructor time, rather than when the first charger connects.
  countOption(resolved.inboundConcurrency, DEFAULT_INBOUND_CONCURRENCY, 'inboundConcurrency', 1);
  countOption(resolved.inboundQueueLimit, DEFAULT_INBOUND_QUEUE_LIMIT, 'inboundQueueLimit', 0);
  return resolved;
}
