// The published declarations use Node's types (events, Buffer, http, ...). TypeScript 6+ no longer loads
// @types/* by itself, so the emitted .d.ts keeps this reference (preserve) and the package depends on @types/node.
/// <reference types="node" preserve="true" />
// Public surface: OCPPClient, its options, events and states, the back-off and TLS option types and defaults,
// and the connect errors. The building blocks of a connection (URL and Basic-auth header, the back-off
// arithmetic, the ws channel, the retryable-status rule) are internal. The committed API report
// (api/client.api.md) lists the surface.
export { OCPPClient } from './ocppClient.js';
export type { OCPPClientOptions, CloseOptions, ClientState, OCPPClientEvents } from './options.js';
export { FLEET_PER_MESSAGE_DEFLATE } from './options.js';
export type { ClientTlsOptions } from './tls.js';
export { DEFAULT_BACKOFF, type BackoffOptions, type JitterMode, type ResolvedBackoff } from './backoff.js';
export {
  ConnectError,
  ConnectionRefusedError,
  SubprotocolMismatchError,
  ConnectionFailedError,
  ConnectAbortedError,
} from './errors.js';
