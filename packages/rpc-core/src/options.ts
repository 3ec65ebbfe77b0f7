import type { HandlerRegistry } from './handlerRegistry.js';
import type { RpcEndpointObserver } from './observer.js';
import type { PayloadKind, Side, Validator } from './ocppTypes.js';
import type { RpcEndpoint } from './rpcEndpoint.js';

/** Which payloads strict mode validates. Every field is optional; omitted ones take their default. */
export interface StrictModeOptions {
  /** Validate inbound CALL/SEND payloads; violations are answered with the matching CALLERROR. @default true */
  inboundRequests?: boolean;
  /** Validate our handlers' results; an invalid one is answered InternalError and reported, never sent. @default true */
  outboundResponses?: boolean;
  /** Validate our own CALL/SEND payloads before they are sent; the call rejects with the RpcError. @default true */
  outboundRequests?: boolean;
  /**
   * Validate CALLRESULT payloads we receive; the call rejects with the RpcError (and 2.1 answers with a
   * CALLRESULTERROR). @default true for 2.1, false otherwise
   */
  inboundResponses?: boolean;
  /** Limit strict mode to these subprotocols; others run unvalidated. @default every protocol */
  protocols?: readonly string[];
}

/** Options of {@link RpcEndpoint}; `S` is inferred from `side`. */
export interface RpcEndpointOptions<S extends Side = Side> {
  /** The side this endpoint plays ('CSMS' on the server, 'ChargingStation' on the client). */
  side: S;
  /** Negotiated subprotocol; may be set later with attach(). */
  protocol?: string;
  /** Schema validation of payloads (DESIGN rule 7). @default true */
  strictMode?: boolean | StrictModeOptions;
  /** How long an outbound call waits for its answer, counted from when the CALL is sent. @default 30000 */
  callTimeoutMs?: number;
  /** Outbound CALLs outstanding at once (spec: one per direction; >1 is an explicit opt-out). @default 1 */
  callConcurrency?: number;
  /**
   * Bad frames from the peer tolerated in a row; one more closes the channel with 1008 (policy violation).
   * Bad: malformed frames, unknown message types, answers to ids we are not waiting for, duplicate message
   * ids, CALLs refused by the framework (unknown action → NotImplemented, wrong direction → NotSupported,
   * schema violations) and CALLs refused because the inbound queue is full. Only useful traffic resets the
   * count: a CALL or SEND that reached a handler, or an answer to one of our calls. Refusals that are not the
   * peer's fault (a known action this side has no handler for, a handler's own RpcError) neither count nor
   * reset. `Infinity` disables the bound. See {@link DEFAULT_MAX_BAD_MESSAGES}. @default 10
   */
  maxBadMessages?: number;
  /**
   * Inbound CALL/SEND handlers of this connection that run at once (a CALL's handler holds its slot until
   * the call is answered, NOREPLY included); later ones wait in arrival order. OCPP-J allows one outstanding
   * CALL per direction (1.6 §4.1.1 SHOULD NOT, 2.x Part 4 §4.1.1 SHALL NOT send another before the answer):
   * a conforming peer sends its next CALL only once the previous one was answered or it gave up waiting, so
   * one slot serves it, and the others serve the calls it sends after giving up on slow handlers. Set 1 to
   * handle a pipelining peer's calls strictly one after the other, in order. See
   * {@link DEFAULT_INBOUND_CONCURRENCY}. @default 4
   */
  inboundConcurrency?: number;
  /**
   * Inbound CALLs/SENDs that may wait for a handler slot (beyond `inboundConcurrency`). One more CALL is
   * answered with RpcFrameworkError (1.6 wire: ProtocolError) and counts as a bad message; one more SEND is
   * dropped, reported as `callError` and counted. Bounds the parsed payloads held per connection.
   * See {@link DEFAULT_INBOUND_QUEUE_LIMIT}. @default 16
   */
  inboundQueueLimit?: number;
  /** Calls kept while detached (sent in order on attach()); 0 rejects them with NotConnectedError. @default 0 */
  offlineQueueSize?: number;
  /** Validator lookup. @default getValidator from @chargewire/ocpp-types */
  validators?: (protocol: string, action: string, kind: PayloadKind) => Validator | undefined;
  /** Message id generator; ids must be at most 36 characters. @default crypto.randomUUID */
  generateMessageId?: () => string;
  /**
   * Handlers shared by many endpoints (a server's route, chained to the server's own), consulted after
   * this endpoint's own: an endpoint without handlers of its own then costs no registry.
   */
  sharedHandlers?: HandlerRegistry;
  /** Gets every event of this endpoint before its listeners; may be shared by many endpoints. */
  observer?: RpcEndpointObserver<RpcEndpoint<S>>;
}

/** Options of one outbound call. */
export interface CallOptions {
  /** Aborts the call (queued: removed; sent: rejected, a late answer is ignored). */
  signal?: AbortSignal;
  /** Overrides callTimeoutMs for this call. */
  timeoutMs?: number;
}

/** Default of {@link RpcEndpointOptions.maxBadMessages}: enough for a peer with a few bugs, not for a flood. */
export const DEFAULT_MAX_BAD_MESSAGES = 10;
/**
 * Default of {@link RpcEndpointOptions.inboundConcurrency}: the one outstanding CALL OCPP-J allows, plus
 * three for CALLs a peer sends after its own timeout while our handlers of earlier ones still run (with one
 * slot, a single handler that hangs would hold up every later call of the connection).
 */
export const DEFAULT_INBOUND_CONCURRENCY = 4;
/**
 * Default of {@link RpcEndpointOptions.inboundQueueLimit}: room for a 1.6 charger that pipelines a short
 * burst (1.6 only says SHOULD NOT), while what one connection can make the process hold stays bounded.
 */
export const DEFAULT_INBOUND_QUEUE_LIMIT = 16;

/** `value`, or `fallback` when it is undefined; anything but a whole number ≥ `min` (or Infinity) is a RangeError naming the option. */
export function countOption(value: number | undefined, fallback: number, name: string, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value >= min) || (value !== Infinity && !Number.isInteger(value))) {
    throw new RangeError(`${name} must be a whole number >= ${min} (or Infinity), got ${String(value)}`);
  }
  return value;
}

/** `value`, or `fallback` when it is undefined; anything but a positive number is a RangeError naming the option. */
export function positiveOption(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!(value > 0)) throw new RangeError(`${name} must be a positive number`);
  return value;
}

/** Strict-mode switches resolved for one protocol. */
export interface ResolvedStrictMode {
  inboundRequests: boolean;
  outboundResponses: boolean;
  outboundRequests: boolean;
  inboundResponses: boolean;
}

const OFF: ResolvedStrictMode = {
  inboundRequests: false,
  outboundResponses: false,
  outboundRequests: false,
  inboundResponses: false,
};

/**
 * Resolved defaults (strictMode true) per protocol, shared by every connection instead of one object each.
 * Bounded: protocol names come from configuration, but a cache must not grow with whatever it is given.
 */
const DEFAULT_BY_PROTOCOL = new Map<string, ResolvedStrictMode>();
const MAX_CACHED_PROTOCOLS = 32;

/** Resolves the strictMode option for the negotiated protocol. The result is shared: never mutate it. */
export function resolveStrictMode(option: boolean | StrictModeOptions | undefined, protocol: string): ResolvedStrictMode {
  if (option === false) return OFF;
  if (option === true || option === undefined) {
    let resolved = DEFAULT_BY_PROTOCOL.get(protocol);
    if (resolved === undefined) {
      resolved = Object.freeze(resolveOptions({}, protocol));
      if (DEFAULT_BY_PROTOCOL.size < MAX_CACHED_PROTOCOLS) DEFAULT_BY_PROTOCOL.set(protocol, resolved);
    }
    return resolved;
  }
  if (option.protocols && !option.protocols.includes(protocol)) return OFF;
  return resolveOptions(option, protocol);
}

function resolveOptions(o: StrictModeOptions, protocol: string): ResolvedStrictMode {
  return {
    inboundRequests: o.inboundRequests ?? true,
    outboundResponses: o.outboundResponses ?? true,
    outboundRequests: o.outboundRequests ?? true,
    inboundResponses: o.inboundResponses ?? protocol.startsWith('ocpp2.1'),
  };
}
