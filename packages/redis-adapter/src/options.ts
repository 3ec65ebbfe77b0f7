import { isCluster, type RedisClient } from './redisClient.js';
import type { ClusterSecret } from '@chargewire/server';

/** Options of {@link createRedisAdapter}. */
export interface RedisAdapterOptions {
  /**
   * Client for commands (presence scripts, PUBLISH). It may be shared with the rest of the application.
   * A `Redis` (one server, or Sentinel) or a `Cluster` (Redis Cluster, Redis 7+: messages use sharded pub/sub).
   * The adapter never closes it: its owner does.
   */
  pub: RedisClient;
  /**
   * A client dedicated to this adapter's subscriptions (a Redis connection in subscriber mode cannot run other
   * commands). Create it explicitly, e.g. `pub.duplicate()`; of the same kind as `pub`. A `Cluster` needs
   * `shardedSubscribers: true` (e.g. `pub.duplicate([], { shardedSubscribers: true })`). The adapter never closes it.
   */
  sub: RedisClient;
  /**
   * Prefix of every key and channel, so several clusters (or tests) can share one Redis.
   * @default 'chargewire'
   */
  prefix?: string;
  /**
   * Lifetime of an identity's presence record without a heartbeat. A node that dies stops owning its chargers
   * after at most this long.
   * @default 30
   */
  presenceTtlSeconds?: number;
  /**
   * How often a node refreshes its presence records and its own liveness entry. Must be shorter than the TTL.
   * @default presenceTtlSeconds * 1000 / 3
   */
  heartbeatIntervalMs?: number;
  /**
   * Extra time a cross-node caller waits beyond the call's own `timeoutMs` for the owning node's answer
   * (the owning node applies `timeoutMs` to the charger itself, so its timeout answer arrives first).
   * @default 2000
   */
  callGraceMs?: number;
  /**
   * How long `broadcast()` waits for the other nodes' delivery reports. A remote node reports after all of
   * its chargers answered or timed out, so keep this above the server's call timeout.
   * @default 35000
   */
  broadcastTimeoutMs?: number;
  /**
   * Shared secret of the cluster (at least 32 bytes, e.g. `crypto.randomBytes(32)`): every cluster message is
   * signed with HMAC-SHA256 and a message that fails verification (no signature, another secret, altered,
   * moved to another channel, or more than 60 s off the receiver's clock) is dropped unread and counted in
   * `stats().rejectedMessages`. Every node of a cluster needs the same secret. A list signs with the first
   * and accepts any (rotate a secret node by node without a gap). Without it, anyone who can publish on the
   * cluster's channels can make the nodes call chargers: then Redis ACLs are the only protection.
   * @default undefined (messages are not signed)
   */
  secret?: ClusterSecret | readonly ClusterSecret[];
}

/** Options with every default applied. */
export interface ResolvedRedisAdapterOptions {
  pub: RedisClient;
  sub: RedisClient;
  prefix: string;
  presenceTtlMs: number;
  heartbeatIntervalMs: number;
  callGraceMs: number;
  broadcastTimeoutMs: number;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive finite number (got ${String(value)})`);
  return value;
}

/** Applies defaults and rejects inconsistent options with a clear error. */
export function resolveOptions(options: RedisAdapterOptions): ResolvedRedisAdapterOptions {
  // The options object comes from user code, possibly untyped JavaScript: check it at run time.
  if (typeof options !== 'object' || options === null) throw new TypeError('createRedisAdapter() needs an options object');
  const { pub, sub } = options;
  if (!isRedisLike(pub)) throw new TypeError('options.pub must be an ioredis client');
  if (!isRedisLike(sub)) throw new TypeError('options.sub must be an ioredis client');
  if (pub === sub) throw new TypeError('options.sub must be a dedicated connection (e.g. pub.duplicate()), not options.pub itself');
  if (isCluster(pub) !== isCluster(sub)) throw new TypeError('options.pub and options.sub must both be Redis Cluster clients, or neither');
  if (isCluster(sub) && sub.options.shardedSubscribers !== true) {
    throw new TypeError('options.sub: a Redis Cluster subscriber needs { shardedSubscribers: true } (e.g. pub.duplicate([], { shardedSubscribers: true }))');
  }
  const prefix = options.prefix ?? 'chargewire';
  if (typeof prefix !== 'string' || prefix.length === 0) throw new TypeError('options.prefix must be a non-empty string');
  const presenceTtlMs = Math.round(positive('presenceTtlSeconds', options.presenceTtlSeconds ?? 30) * 1000);
  const heartbeatIntervalMs = positive('heartbeatIntervalMs', options.heartbeatIntervalMs ?? presenceTtlMs / 3);
  if (heartbeatIntervalMs >= presenceTtlMs) {
    throw new RangeError(`heartbeatIntervalMs (${heartbeatIntervalMs}) must be shorter than presenceTtlSeconds (${presenceTtlMs} ms)`);
  }
  const callGraceMs = options.callGraceMs ?? 2000;
  if (!Number.isFinite(callGraceMs) || callGraceMs < 0) throw new RangeError('callGraceMs must be a finite number >= 0');
  const broadcastTimeoutMs = positive('broadcastTimeoutMs', options.broadcastTimeoutMs ?? 35_000);
  return { pub, sub, prefix, presenceTtlMs, heartbeatIntervalMs, callGraceMs, broadcastTimeoutMs };
}

function isRedisLike(value: unknown): value is RedisClient {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as RedisClient).publish === 'function' &&
    typeof (value as RedisClient).subscribe === 'function' &&
    typeof (value as RedisClient).on === 'function'
  );
}
