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
 * Typed facade of a connection: what users call. `S` is this endpoint's side: a CSMS peer may only call
 * actions whose origin is the CSMS and only handle actions whose origin is the charger; the charger side is
 * the mirror image. `NoInfer` keeps literal unions such as `'Accepted'` from widening.
 */
export interface OcppPeer<S extends Side, M extends ProtocolMap = OcppProtocols> {
  readonly protocol: string | undefined;
  /** Sends a CALL and resolves with the CALLRESULT payload; rejects with RpcError, TimeoutError, … */
  call<P extends keyof M & string, A extends OutboundActionOf<P, S, M>>(
    protocol: P,
    action: A,
    params: NoInfer<RequestOf<P, A, M>>,
    options?: CallOptions,
  ): Promise<ResponseOf<P, A, M>>;
  /** Emits a 2.1 SEND `[6, …]` (never answered). */
  send<P extends keyof M & string, A extends SendActionOf<P, S, M>>(
    protocol: P,
    action: A,
    params: NoInfer<RequestOf<P, A, M>>,
  ): void;
  /** Registers the handler of one inbound action (replaces an earlier one). */
  handle<P extends keyof M & string, A extends InboundActionOf<P, S, M>>(
    protocol: P,
    action: A,
    handler: NoInfer<Handler<RequestOf<P, A, M>, HandlerResponse<ResponseOf<P, A, M>>>>,
  ): void;
  /** Registers the wildcard handler: every action without a specific handler. */
  handle(handler: WildcardHandler): void;
  /** No arguments: removes the wildcard handler; a protocol: all of its handlers; both: one handler. */
  removeHandler(protocol?: string, action?: string): void;
  /** Adds message middleware (runs in the order added, around calls both ways). */
  use(middleware: MessageMiddleware): void;
}
