import type { Cluster, Redis } from 'ioredis';

/** What the adapter accepts for `pub` and `sub`: one Redis server (or Sentinel) or a Redis Cluster. */
export type RedisClient = Redis | Cluster;

/** True for an ioredis `Cluster` (duck-typed: the application may load another copy of ioredis than ours). */
export function isCluster(client: RedisClient): client is Cluster {
  return client.isCluster === true;
}
