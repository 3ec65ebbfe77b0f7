export { createRedisAdapter } from './createRedisAdapter.js';
export { RedisAdapter } from './redisAdapter.js';
export type { RedisAdapterStats, RedisBroadcastReport } from './redisAdapter.js';
export type { RedisAdapterOptions } from './options.js';
export type { ClusterSecret, PresenceConflict, PresenceOwner, ClusterAdapterEvents as RedisAdapterEvents } from '@chargewire/server';
export { RedisPresenceStore } from './presenceStore.js';
export { keyLayout } from './keys.js';
export type { KeyLayout } from './keys.js';
