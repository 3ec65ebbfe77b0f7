// Public surface: createRedisAdapter and RedisAdapter (a transport of the server's cluster protocol), their options,
// stats and events, and the presence store with its key layout for deployments that share or inspect the keys.
// The committed API report (api/redis-adapter.api.md) lists the surface.
export { createRedisAdapter } from './createRedisAdapter.js';
export { RedisAdapter } from './redisAdapter.js';
export type { RedisAdapterStats, RedisBroadcastReport } from './redisAdapter.js';
export type { RedisAdapterOptions } from './options.js';
export type { ClusterSecret, PresenceConflict, PresenceOwner, ClusterAdapterEvents as RedisAdapterEvents } from '@chargewire/server';
export { RedisPresenceStore } from './presenceStore.js';
export { keyLayout } from './keys.js';
export type { KeyLayout } from './keys.js';
