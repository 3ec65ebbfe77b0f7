// The published declarations use Node's types (events, Buffer, http, ...). TypeScript 6+ no longer loads
// @types/* by itself, so the emitted .d.ts keeps this reference (preserve) and the package depends on @types/node.
/// <reference types="node" preserve="true" />
// Public surface: OCPPServer, routes, clients and handles, connection middleware and auth, options and their
// defaults, password and metrics helpers (Prometheus text, latency between two stats snapshots), the cluster
// Adapter extension point (ClusterAdapter and its transport and presence-store interfaces, InMemoryAdapter)
// and RemoteCallError. The handshake steps (identity, subprotocol and route-pattern parsing, Basic-auth header
// parsing), close codes and the cluster error serialisation are internal. The conformance suites are under
// ./testing. The committed API reports (api/) list the surface.
export { OCPPServer } from './ocppServer.js';
export type { ServerBroadcastReport } from './ocppServer.js';
export type { ServerCloseOptions } from './closeClients.js';
export type { BroadcastClientResult } from './localNode.js';
export { Route } from './route.js';
export { ServerClient } from './serverClient.js';
export type { ClientCloseEvent } from './serverClient.js';
export type { ServerClientHandle } from './serverClientHandle.js';
export { RemoteClient } from './remoteClient.js';
export type { Handshake } from './handshake.js';
export { defineMiddleware } from './connectionMiddleware.js';
export type { ConnectionContext, ConnectionMiddleware } from './connectionMiddleware.js';
export type { AcceptOptions, AuthContext, AuthHandler } from './auth.js';
export type { DuplicateIdentityPolicy, OCPPServerOptions, PasswordVerifier, RouteOptions, SecurityProfile } from './options.js';
export { InsecureConfigurationError } from './insecureConfiguration.js';
export { DEFAULT_MAX_BUFFERED_BYTES, DEFAULT_PROTOCOLS } from './options.js';
export { DEFAULT_PER_MESSAGE_DEFLATE } from './compression/deflateOptions.js';
export type { PerMessageDeflateOptions } from './compression/deflateOptions.js';
export { checkChargerPassword } from './basicAuth.js';
export type { PasswordCheck } from './basicAuth.js';
export { MAX_OFFERED_SUBPROTOCOLS } from './subprotocol.js';
export type { RoutePattern } from './routePattern.js';
export type { Logger } from './logger.js';
export type { ServerStats } from './stats.js';
export type { LatencyBucket, LatencySummary } from './latencySampler.js';
export { LATENCY_BUCKETS_MS } from './latencySampler.js';
export { latencyBetween } from './latencyHistogram.js';
export type { LatencyHistogramSnapshot, LatencyWindow } from './latencyHistogram.js';
export { formatPrometheus } from './prometheus.js';
export type { MessageRateLimit } from './wsChannel.js';
export { Adapter } from './adapter/adapter.js';
export type {
  AdapterHost,
  BroadcastReport,
  PresenceRecord,
  RemoteCallOutcome,
  RemoteCallRequest,
  SerializedError,
} from './adapter/adapter.js';
export { InMemoryAdapter, InMemoryCluster } from './adapter/inMemoryAdapter.js';
export { ClusterAdapter } from './adapter/cluster/clusterAdapter.js';
export type { ClusterAdapterOptions, ClusterAdapterStats, ClusterBroadcastReport, ClusterChannels } from './adapter/cluster/clusterAdapter.js';
export type { ClusterAdapterEvents, PresenceConflict } from './adapter/cluster/events.js';
export type { ClusterPresenceStore, PresenceOwner, RefreshResult, RegisterResult } from './adapter/cluster/presenceStore.js';
export type { ClusterSecret } from './adapter/cluster/messageSigner.js';
export type { InMemoryAdapterOptions } from './adapter/inMemoryAdapter.js';
export { RemoteCallError } from './adapter/serializeError.js';
