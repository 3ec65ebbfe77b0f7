import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { BackoffOptions, ClientTlsOptions } from '@chargewire/client';
import type { StrictModeOptions } from '@chargewire/rpc-core';
import type { Handshake, Logger, MessageRateLimit, SecurityProfile } from '@chargewire/server';
import type { Translator, TranslatorOptions } from '../engine/translator.js';
import type { UpstreamProtocol } from '../wire/types.js';

/** The backend leg: one OCPP 2.0.1 (or 2.1) connection per charger. */
export interface UpstreamOptions {
  /** Base URL of the backend (`ws://` or `wss://`); the charger's identity is appended as the last path segment. */
  url: string;
  /** @default 'ocpp2.0.1' */
  protocol?: UpstreamProtocol;
  /** TLS toward the backend (custom CA, client certificate for security profile 3). */
  tls?: ClientTlsOptions;
  /** Extra HTTP headers of the upgrade request. */
  headers?: Readonly<Record<string, string>>;
  /** Schema validation on the upstream leg. @default true */
  strictMode?: boolean | StrictModeOptions;
  /** Time the backend has to answer one call. @default 30000 */
  callTimeoutMs?: number;
  /** Time allowed to open the upstream connection while the charger's handshake waits. @default 8000 */
  connectTimeoutMs?: number;
  /** Reconnect back-off after the upstream connection drops. @default the client's default (1 s doubling to 60 s, full jitter) */
  backoff?: BackoffOptions;
  /** Interval of WebSocket pings toward the backend; 0 disables. @default 30000 */
  pingIntervalMs?: number;
  /**
   * How long a backend refusal (HTTP 401 or 403) of an identity is remembered: meanwhile every handshake of that
   * identity is refused with the same status without contacting the backend, so the proxy cannot be used to
   * guess passwords against it at the chargers' connection rate. 0 disables. At most 10,000 identities are
   * remembered (the oldest refusal is forgotten first).
   * @default 10000
   */
  refusalCacheMs?: number;
}

/** The charger leg: the proxy is an OCPP 1.6 server. */
export interface DownstreamOptions {
  /** Schema validation on the charger leg. @default true */
  strictMode?: boolean | StrictModeOptions;
  /** Time a charger has to answer one call. @default 30000 */
  callTimeoutMs?: number;
  /** Security profile enforced before auth runs (1: Basic auth, 2: TLS + Basic auth, 3: mutual TLS). @default 0 */
  securityProfile?: SecurityProfile;
  /** Path pattern of the charger endpoint (identity = last segment). @default any path */
  path?: string;
  /** Ping sweep interval toward chargers; 0 disables. @default 30000 */
  pingIntervalMs?: number;
  /**
   * Chargers connected (or handshaking) at once; more get HTTP 503. Each one also holds an upstream connection.
   * @default 10000
   */
  maxConnections?: number;
  /**
   * Connection attempts per remote address, counted before anything else runs (before `auth.verify` and before
   * the upstream connection is opened); more get HTTP 429 with `Retry-After`. Many chargers behind one NAT
   * address share this budget: raise it for such sites.
   * @default { connections: 60, perMs: 60000 }
   */
  connectionRateLimit?: { connections: number; perMs: number };
  /** Frames one charger may send; exceeding the rate closes its connection with 1008. @default { messages: 100, perMs: 1000 } */
  messageRateLimit?: MessageRateLimit;
  /** Largest frame a charger may send, in bytes; a larger one closes its connection with 1009. @default 131072 */
  maxPayload?: number;
  /** Unreadable frames one charger may send before its connection is closed. @default 10 */
  maxBadMessages?: number;
}

/** The downstream limits the proxy applies when an option is not set (see {@link DownstreamOptions}). */
export const DEFAULT_DOWNSTREAM_LIMITS = Object.freeze({
  maxConnections: 10_000,
  connectionRateLimit: Object.freeze({ connections: 60, perMs: 60_000 }),
  messageRateLimit: Object.freeze({ messages: 100, perMs: 1_000 }),
  maxPayload: 131_072,
  maxBadMessages: 10,
});

/** How long an upstream 401/403 of an identity is remembered by default (see {@link UpstreamOptions.refusalCacheMs}). */
export const DEFAULT_REFUSAL_CACHE_MS = 10_000;

/** TLS of the proxy's own listening server (ignored when `server` is given: configure that server instead). */
export interface ProxyTlsOptions {
  key: string | Buffer;
  cert: string | Buffer;
  /** CA(s) to verify charger certificates (security profile 3). */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Ask chargers for a certificate (security profile 3). @default false */
  requestCert?: boolean;
}

/** What the proxy sends upstream as the charger's Basic-auth password. */
export type UpstreamCredentials =
  | 'passthrough'
  | 'none'
  | ((identity: string, handshake: Handshake) => string | Uint8Array | undefined | Promise<string | Uint8Array | undefined>);

export interface ProxyAuthOptions {
  /**
   * Decides whether a charger may connect (after the security profile checks). Return false to refuse with 401.
   * Required when the proxy sends credentials of its own upstream (see `allowUnauthenticatedChargers`).
   * @default accept every charger (the backend still authenticates the upstream connection)
   */
  verify?: (handshake: Handshake) => boolean | Promise<boolean>;
  /**
   * `'passthrough'` forwards the charger's own Basic-auth password; a function re-credentials each charger
   * (e.g. from a vault); `'none'` sends no password.
   * @default 'passthrough'
   */
  upstreamPassword?: UpstreamCredentials;
  /**
   * When the proxy sends credentials of its own upstream (an `upstreamPassword` function, an `Authorization`
   * header in `upstream.headers`, or a client certificate in `upstream.tls`), the backend trusts whoever the
   * proxy lets in: without `verify` or `downstream.securityProfile: 3` any client could connect as any charger,
   * so the constructor throws {@link UnauthenticatedChargersError}. `true` accepts that on purpose (e.g. on a
   * private network where the chargers are the only clients).
   * @default false
   */
  allowUnauthenticatedChargers?: boolean;
}

export interface ProtocolProxyOptions {
  /** Where to listen when `listen()` is called without arguments. @default { port: 0, host: '127.0.0.1' } */
  listen?: { port?: number; host?: string };
  /** Attach to an existing HTTP(S) server instead of starting one. */
  server?: HttpServer | HttpsServer;
  /** TLS of the server the proxy starts itself. */
  tls?: ProxyTlsOptions;
  upstream: UpstreamOptions;
  downstream?: DownstreamOptions;
  auth?: ProxyAuthOptions;
  /**
   * While a charger's upstream connection is down: `'error'` keeps the charger connected, lets the upstream
   * reconnect and answers the charger's calls with a CALLERROR once `upstreamWaitMs` has passed;
   * `'disconnect'` closes the charger's connection (1013, try again later) so it reconnects later.
   * @default 'error'
   */
  whenUpstreamDown?: 'error' | 'disconnect';
  /** How long a charger call waits for a reconnecting upstream before it is answered with a CALLERROR. @default 10000 */
  upstreamWaitMs?: number;
  /** The translation engine, or options to create one (session store, policy, configuration keys). */
  translator?: Translator | Omit<TranslatorOptions, 'upstreamProtocol'>;
  /** Any pino-compatible logger. @default silent */
  logger?: Logger;
}
