// The published declarations use Node's types (events, Buffer, http, ...). TypeScript 6+ no longer loads
// @types/* by itself, so the emitted .d.ts keeps this reference (preserve) and the package depends on @types/node.
/// <reference types="node" preserve="true" />
// Public surface: the translation engine (createTranslator), the WebSocket proxy, session stores and their
// options. The engine's table lookups (config-key rows) are internal: `translator.configKeys` takes the rows.
// The committed API report (api/protocol-proxy.api.md) lists the surface.
export { createTranslator } from './engine/translator.js';
export type {
  CallDirection,
  ChargerCallOptions,
  CallTranslation,
  ResultTranslation,
  TranslationContext,
  Translator,
  TranslatorOptions,
} from './engine/translator.js';
export type { CallOutcome, CallOutcomeInput, OutboundCall } from './engine/plan.js';
export { TranslationError, translateError } from './engine/errors.js';
export type { TranslationFailure } from './engine/errors.js';
export { DEFAULT_POLICY } from './engine/policy.js';
export type { BootReason, IdTagStatus16, IdTokenType, StoppedReason201, TranslationPolicy } from './engine/policy.js';
export { DEFAULT_CONFIG_KEYS } from './engine/configKeys.js';
export type { ConfigKeyMapping } from './engine/configKeys.js';
export { translatedActions } from './engine/tables.js';
export type { SessionStore, TransactionRecord, RemoteStartRecord, ChargingState, StopRecord } from './store/sessionStore.js';
export { InMemorySessionStore } from './store/inMemorySessionStore.js';
export type { InMemorySessionStoreOptions } from './store/inMemorySessionStore.js';
export { RedisSessionStore } from './store/redisSessionStore.js';
export type { RedisSessionStoreOptions } from './store/redisSessionStore.js';
export type { SessionStoreRedis } from './store/sessionStoreRedis.js';
export type { UpstreamProtocol, ValidatorLookup } from './wire/types.js';
export { createProtocolProxy, ProtocolProxy } from './proxy/protocolProxy.js';
export type { RefusedEvent, SessionEvent, TranslationEvent } from './proxy/protocolProxy.js';
export { ChargerSession } from './proxy/chargerSession.js';
export type { ProxyCallContext, ProxyMiddleware } from './proxy/middleware.js';
export { DEFAULT_DOWNSTREAM_LIMITS, DEFAULT_REFUSAL_CACHE_MS } from './proxy/options.js';
export { UnauthenticatedChargersError } from './proxy/unauthenticatedChargers.js';
export { sanitizeDescription } from './engine/errors.js';
export type {
  DownstreamOptions,
  ProtocolProxyOptions,
  ProxyAuthOptions,
  ProxyTlsOptions,
  UpstreamCredentials,
  UpstreamOptions,
} from './proxy/options.js';
