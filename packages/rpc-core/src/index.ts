// The published declarations use Node's types (events, Buffer, http, ...). TypeScript 6+ no longer loads
// @types/* by itself, so the emitted .d.ts keeps this reference (preserve) and the package depends on @types/node.
/// <reference types="node" preserve="true" />
// Public surface: RpcEndpoint over any RpcChannel (with the in-memory createChannelPair), its options, events,
// handler and middleware types, the typed peer facade (OcppPeer), the errors and the error-code set. What the
// other @chargewire packages build on (framing, protocol limits, close-frame rules, the handler table) is in
// ./internal (src/internal.ts), without a compatibility promise. The committed API report
// (api/rpc-core.api.md) lists the surface.
export { RPC_ERROR_CODES, fromWireErrorCode, isRpcErrorCode, toWireErrorCode } from './ocppTypes.js';
export type { PayloadKind, RpcErrorCode, Side, ValidationResult, Validator, Violation } from './ocppTypes.js';
export { createChannelPair } from './channel.js';
export type { ChannelSink, RpcChannel } from './channel.js';
export type { RpcEndpointObserver } from './observer.js';
export {
  ConnectionClosedError,
  NotConnectedError,
  ProtocolMismatchError,
  RPC_ERROR_DESCRIPTIONS,
  RpcError,
  TimeoutError,
  toRpcError,
} from './errors.js';
export { NOREPLY } from './noreply.js';
export type { NoReply } from './noreply.js';
export { DEFAULT_INBOUND_CONCURRENCY, DEFAULT_INBOUND_QUEUE_LIMIT, DEFAULT_MAX_BAD_MESSAGES } from './options.js';
export type { CallOptions, RpcEndpointOptions, StrictModeOptions } from './options.js';
export type { AnyHandler, Handler, HandlerContext, HandlerResponse, HandlerResult, WildcardHandler } from './handler.js';
export type { Exact, ExactHandler, ExactResult } from './exactResult.js';
export { HandlerRegistry } from './handlerRegistry.js';
export type { MessageContext, MessageMiddleware } from './middleware.js';
export type {
  BadMessageEvent,
  CallErrorEvent,
  CallEvent,
  CallResultEvent,
  CloseEvent,
  Direction,
  ResponseRejectedEvent,
  RpcEndpointEvents,
  StrictValidationFailureEvent,
} from './events.js';
export type { ActionHandler, OcppCaller, OcppHandlers, OcppPeer, OcppSender } from './ocppPeer.js';
export { RpcEndpoint } from './rpcEndpoint.js';
