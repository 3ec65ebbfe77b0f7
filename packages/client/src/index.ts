// The published declarations use Node's types (events, Buffer, http, ...). TypeScript 6+ no longer loads
// @types/* by itself, so the emitted .d.ts keeps this reference (preserve) and the package depends on @types/node.
/// <reference types="node" preserve="true" />
export { OCPPClient } from './ocppClient.js';
export type { OCPPClientOptions, CloseOptions, ClientState, OCPPClientEvents } from './options.js';
export { FLEET_PER_MESSAGE_DEFLATE } from './options.js';
export { wsChannel } from './wsChannel.js';
export { buildEndpointUrl } from './url.js';
export { basicAuthHeader } from './basicAuth.js';
export type { ClientTlsOptions } from './tls.js';
export { backoffDelay, resolveBackoff, DEFAULT_BACKOFF, type BackoffOptions, type JitterMode, type ResolvedBackoff } from './backoff.js';
export {
  ConnectError,
  ConnectionRefusedError,
  SubprotocolMismatchError,
  ConnectionFailedError,
  ConnectAbortedError,
  isRetryableStatus,
} from './errors.js';
