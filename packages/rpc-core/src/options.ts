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
  /** Consecutive malformed frames tolerated; one more closes the channel with 1002. @default Infinity */
  maxBadMessages?: number;
  /** Calls kept while detached (sent in order on attach()); 0 rejects them with NotConnectedError. @default 0 */
  offlineQueueSize?: number;
  /** Validator lookup. @default getValidator from @chargewire/ocpp-types */
  validators?: (protocol: string, action: string, kind: PayloadKind) => Validator | undefined;
  /** Message id generator; ids must be at most 36 characters. @default crypto.randomUUID */
  generateMessageId?: () => string;
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
