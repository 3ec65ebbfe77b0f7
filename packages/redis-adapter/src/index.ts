export { createRedisAdapter } from './createRedisAdapter.js';
export { RedisAdapter } from './redisAdapter.js';
export type { RedisAdapterStats, RedisBroadcastReport } from './redisAdapter.js';
export type { RedisAdapterOptions } from './options.js';
export type { ClusterSecret } from './messageSigner.js';
export type { PresenceConflict, RedisAdapterEvents } from './events.js';
export type { PresenceOwner } from './presenceStore.js';
export { keyLayout } from './keys.js';
export type { KeyLayout } from './keys.js';
