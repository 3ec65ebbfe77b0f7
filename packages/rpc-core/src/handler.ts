import type { NOREPLY } from './noreply.js';

/**
 * What a handler receives for one inbound CALL or SEND. `Client` is the object user code holds for the
 * connection the call arrived on (a server's `ServerClient`, the charger's `OCPPClient`, or the endpoint).
 */
export interface HandlerContext<Req = unknown, Res = unknown, Client = unknown> {
  /** The negotiated subprotocol the call arrived on. */
  protocol: string;
  action: string;
  messageId: string;
  params: Req;
  /**
   * The connection the call arrived on: lets one handler (registered on a server or a route) serve every
   * connection, instead of a closure per connection.
   */
  readonly client: Client;
  /** Aborted when the channel closes (the answer can no longer be delivered). */
  signal: AbortSignal;
  /** Shared with message middleware for this call. */
  state: Record<string, unknown>;
  /** Answers the call; for handlers that returned NOREPLY. Later answers are ignored. */
  reply(result: Res): void;
  /** Answers the call with a CALLERROR (the error is normalised with toRpcError). */
  replyError(error: unknown): void;
}

/** What a handler may return: the response payload, or NOREPLY to answer later or never; sync or async. */
export type HandlerResult<Res> = Res | typeof NOREPLY | Promise<Res | typeof NOREPLY>;

/** Handles one action; may be async; returns the response payload, or NOREPLY to answer later or never. */
export type Handler<Req = unknown, Res = unknown, Client = unknown> = (ctx: HandlerContext<Req, Res, Client>) => HandlerResult<Res>;

/**
 * What a typed handler returns for an action whose response type is `Res`: the response, or nothing for a
 * SEND-only message (OCPP 2.1 type 6, never answered), whose response type is `never`.
 */
export type HandlerResponse<Res> = [Res] extends [never] ? void : Res;

/** Receives every action that has no specific handler. */
export type WildcardHandler<Client = unknown> = Handler<unknown, unknown, Client>;

/** A handler as a registry stores it: untyped (the typed facades check the types when it is registered). */
export type AnyHandler = (ctx: HandlerContext) => unknown;
