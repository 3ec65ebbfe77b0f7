import type { ExactHandler } from './exactResult.js';
import type { Handler, HandlerResponse, WildcardHandler } from './handler.js';
import type { MessageMiddleware } from './middleware.js';
import type {
  InboundActionOf,
  OcppProtocols,
  OutboundActionOf,
  ProtocolMap,
  RequestOf,
  ResponseOf,
  SendActionOf,
  Side,
} from './ocppTypes.js';
import type { CallOptions } from './options.js';

/**
 * The typed handler of `action` in `protocol` for side `S`: typed params, typed result (or NOREPLY),
 * `ctx.client` of type `C`.
 */
export type ActionHandler<S extends Side, M extends ProtocolMap, P extends keyof M & string, A extends InboundActionOf<P, S, M>, C> = Handler<
  RequestOf<P, A, M>,
  HandlerResponse<ResponseOf<P, A, M>>,
  C
>;

/**
 * The typed `call` of side `S` (the one declaration: RpcEndpoint, server clients, remote handles and the
 * charger client reuse it). Only actions whose origin is `S` may be called; `NoInfer` keeps literal unions
 * such as `'Soft'` from widening.
 */
export interface OcppCaller<S extends Side, M extends ProtocolMap = OcppProtocols> {
  /** Sends a CALL and resolves with the CALLRESULT payload; rejects with RpcError, TimeoutError, … */
  call<P extends keyof M & string, A extends OutboundActionOf<P, S, M>>(
    protocol: P,
    action: A,
    params: NoInfer<RequestOf<P, A, M>>,
    options?: CallOptions,
  ): Promise<ResponseOf<P, A, M>>;
}

/** The typed 2.1 SEND of side `S`. */
export interface OcppSender<S extends Side, M extends ProtocolMap = OcppProtocols> {
  /** Emits a 2.1 SEND `[6, …]` (never answered). */
  send<P extends keyof M & string, A extends SendActionOf<P, S, M>>(protocol: P, action: A, params: NoInfer<RequestOf<P, A, M>>): void;
}

/**
 * Typed handler registration for side `S` (endpoints, server clients, routes and servers share it).
 * `C` is the type of `ctx.client`. A handler's result is checked exactly: a property the schema does not
 * declare, at any depth, is a compile error.
 */
export interface OcppHandlers<S extends Side, M extends ProtocolMap = OcppProtocols, C = unknown> {
  /** Registers the handler of one inbound action (replaces an earlier one). */
  handle<P extends keyof M & string, A extends InboundActionOf<P, S, M>, F extends ActionHandler<S, M, P, A, C>>(
    protocol: P,
    action: A,
    handler: F & NoInfer<ExactHandler<F, RequestOf<P, A, M>, HandlerResponse<ResponseOf<P, A, M>>, C>>,
  ): void;
  /** Registers the wildcard handler: every action without a specific handler. */
  handle(handler: WildcardHandler<C>): void;
  /** No arguments: removes the wildcard handler; a protocol: all of its handlers; both: one handler. */
  removeHandler(protocol?: string, action?: string): void;
}

/**
 * Typed facade of a connection: what users call. `S` is this endpoint's side: a CSMS peer may only call
 * actions whose origin is the CSMS and only handle actions whose origin is the charger; the charger side is
 * the mirror image. `C` is what handlers get as `ctx.client`.
 */
export interface OcppPeer<S extends Side, M extends ProtocolMap = OcppProtocols, C = unknown>
  extends OcppCaller<S, M>,
    OcppSender<S, M>,
    OcppHandlers<S, M, C> {
  readonly protocol: string | undefined;
  /** Adds message middleware (runs in the order added, around calls both ways). */
  use(middleware: MessageMiddleware): void;
}
