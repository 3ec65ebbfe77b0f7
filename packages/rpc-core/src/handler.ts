import type { NOREPLY } from './noreply.js';

/** What a handler receives for one inbound CALL or SEND. */
export interface HandlerContext<Req = unknown, Res = unknown> {
  /** The negotiated subprotocol the call arrived on. */
  protocol: string;
  action: string;
  messageId: string;
  params: Req;
  /** Aborted when the channel closes (the answer can no longer be delivered). */
  signal: AbortSignal;
  /** Shared with message middleware for this call. */
  state: Record<string, unknown>;
  /** Answers the call; for handlers that returned NOREPLY. Later answers are ignored. */
  reply(result: Res): void;
  /** Answers the call with a CALLERROR (the error is normalised with toRpcError). */
  replyError(error: unknown): void;
}

/** Handles one action; may be async; returns the response payload, or NOREPLY to answer later or never. */
export type Handler<Req = unknown, Res = unknown> = (
  ctx: HandlerContext<Req, Res>,
) => Res | typeof NOREPLY | Promise<Res | typeof NOREPLY>;

/**
 * What a typed handler returns for an action whose response type is `Res`: the response, or nothing for a
 * SEND-only message (OCPP 2.1 type 6, never answered), whose response type is `never`.
 */
export type HandlerResponse<Res> = [Res] extends [never] ? void : Res;

/** Receives every action that has no specific handler. */
export type WildcardHandler = Handler<unknown, unknown>;
