import type { RpcError } from './errors.js';
import type { PayloadKind, Violation } from './ocppTypes.js';

/** 'in' = the peer called us; 'out' = we called the peer. */
export type Direction = 'in' | 'out';

export interface CallEvent { direction: Direction; kind: 'call' | 'send'; messageId: string; action: string; params: unknown }
export interface CallResultEvent { direction: Direction; messageId: string; action: string; result: unknown; durationMs: number }
export interface CallErrorEvent {
  direction: Direction;
  messageId: string;
  action: string;
  /** The RPC error (for local failures such as timeouts: a GenericError describing it). */
  error: RpcError;
  /** The original failure (a handler's thrown error, a TimeoutError, …), for logging; never sent. */
  cause: unknown;
}
export interface BadMessageEvent {
  /** The offending frame, cut to 512 characters. */
  frame: string;
  error: RpcError;
}
export interface StrictValidationFailureEvent {
  direction: Direction;
  kind: PayloadKind;
  action: string;
  messageId: string;
  violations: Violation[];
}
export interface CloseEvent { code: number; reason: string }
/** 2.1: the peer rejected the CALLRESULT we sent with a CALLRESULTERROR. */
export interface ResponseRejectedEvent { messageId: string; action: string | undefined; error: RpcError }

/** Events of RpcEndpoint. */
export type RpcEndpointEvents = {
  call: [CallEvent];
  callResult: [CallResultEvent];
  callError: [CallErrorEvent];
  badMessage: [BadMessageEvent];
  strictValidationFailure: [StrictValidationFailureEvent];
  responseRejected: [ResponseRejectedEvent];
  /** The channel went away (peer, network or close()); the endpoint may be attached again. */
  detach: [CloseEvent];
  /** Emitted right after 'detach', once pending calls have been settled. */
  close: [CloseEvent];
};
