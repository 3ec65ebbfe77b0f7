import type { ClusterPresenceStore, PresenceOwner, PresenceRecord, RefreshResult, RegisterResult } from '@chargewire/server';
import type { KeyLayout } from './keys.js';
import { presenceBucket, PRESENCE_BUCKETS } from './keys.js';
import { LIVE_NODES, REFRESH, REGISTER, TOUCH_NODE, UNREGISTER } from './presenceScripts.js';
import { isCluster, type RedisClient } from './redisClient.js';

function owner(reply: unknown[]): PresenceOwner {
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a Lua reply: strings, or nil for a missing field
  return { nodeId: String(reply[1] ?? ''), connectionId: String(reply[2] ?? '') };
}

function asArray(reply: unknown, what: string): unknown[] {
  if (!Array.isArray(reply)) throw new Error(`unexpected reply from the ${what} script`);
  return reply;
}

function toRefreshResult(reply: unknown): RefreshResult {
  if (!Array.isArray(reply)) return { status: 'failed', error: new Error('unexpected reply from the refresh script') };
  if (reply[0] === 1) return { status: 'refreshed' };
  if (reply[0] === 0) return { status: 'missing' };
  return { status: 'superseded', owner: owner(reply) };
}

/**
 * Presence records and node liveness in Redis (one server or a Redis Cluster); every write goes through a fenced
 * Lua script, and every script touches the keys of one slot.
 */
export class RedisPresenceStore implements ClusterPresenceStore {
  /**
   * A heartbeat batch spans the buckets 32 records deep on average: one refresh script per bucket then carries
   * ~32 keys (a batch of 500 would spread over ~400 buckets, one script per record or two).
   */
  readonly refreshBatch = 32 * PRESENCE_BUCKETS;

  /** Parts of whole buckets: a heartbeat's part still carries ~32 keys per refresh script at scale. */
  sliceOf(identity: string, slices: number): number {
    return Math.floor((presenceBucket(identity) * slices) / PRESENCE_BUCKETS);
  }
  readonly #redis: RedisClient;
  readonly #keys: KeyLayout;
  readonly #ttlMs: number;

  constructor(
    redis: RedisClient,
    keys: KeyLayout,
    ttlMs: number,
  ) {
    this.#redis = redis;
    this.#keys = keys;
    this.#ttlMs = ttlMs;
  }

  async register(record: PresenceRecord): Promise<RegisterResult> {
    const reply = asArray(
      await REGISTER.run(this.#redis, [this.#keys.presence(record.identity)], [
        record.nodeId,
        record.connectionId,
        record.protocol,
        record.connectedAt,
        this.#ttlMs,
      ]),
      'register',
    );
    if (reply[0] !== 1) return { written: false, owner: owner(reply) };
    return reply.length >= 3 ? { written: true, replaced: owner(reply) } : { written: true };
  }

  /** Returns true when the record was removed (it was still owned by `record.connectionId`). */
  async unregister(record: PresenceRecord): Promise<boolean> {
    const reply = await UNREGISTER.run(this.#redis, [this.#keys.presence(record.identity)], [record.connectionId]);
    return reply === 1;
  }

  /**
   * Extends the TTL of every record still owned by its connection: one script per hash-tag bucket (one slot),
   * all in one pipeline on a single Redis, in parallel on a Redis Cluster.
   */
  async refresh(records: readonly PresenceRecord[]): Promise<RefreshResult[]> {
    const buckets = new Map<number, number[]>(); // bucket → indices into records
    records.forEach((r, i) => {
      const b = presenceBucket(r.identity);
      const list = buckets.get(b);
      if (list) list.push(i);
      else buckets.set(b, [i]);
    });
    const groups = [...buckets.values()];
    const calls = groups.map((indices) => ({
      keys: indices.map((i) => this.#keys.presence(records[i]!.identity)),
      args: [this.#ttlMs, ...indices.map((i) => records[i]!.connectionId)],
    }));
    const replies: unknown[] = isCluster(this.#redis)
      ? await Promise.all(calls.map((c) => REFRESH.run(this.#redis, c.keys, c.args).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))))))
      : await REFRESH.runMany(this.#redis, calls);
    const results = new Array<RefreshResult>(records.length);
    groups.forEach((indices, g) => {
      const reply = replies[g];
      indices.forEach((i, k) => {
        if (reply instanceof Error) results[i] = { status: 'failed', error: reply };
        else if (!Array.isArray(reply)) results[i] = { status: 'failed', error: new Error('unexpected reply from the refresh script') };
        else results[i] = toRefreshResult(reply[k]);
      });
    });
    return results;
  }

  /**
   * The current owner of `identity`, or undefined. A record that is not a well-formed presence hash (written by
   * something else under our prefix) is reported as `malformed` rather than trusted.
   */
  async locate(identity: string): Promise<PresenceRecord | 'malformed' | undefined> {
    let fields: Record<string, string>;
    try {
      fields = await this.#redis.hgetall(this.#keys.presence(identity));
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('WRONGTYPE')) return 'malformed';
      throw err;
    }
    if (Object.keys(fields).length === 0) return undefined;
    const { nodeId, connectionId, protocol, connectedAt } = fields;
    const at = Number(connectedAt);
    if (!nodeId || !connectionId || !protocol || connectedAt === undefined || !Number.isFinite(at)) return 'malformed';
    return { identity, nodeId, connectionId, protocol, connectedAt: at };
  }

  /** Marks `nodeId` alive for one TTL. */
  async touchNode(nodeId: string): Promise<void> {
    await TOUCH_NODE.run(this.#redis, [this.#keys.nodes], [nodeId, this.#ttlMs]);
  }

  async removeNode(nodeId: string): Promise<void> {
    await this.#redis.zrem(this.#keys.nodes, nodeId);
  }

  /** Ids of the nodes whose heartbeat has not expired. */
  async liveNodes(): Promise<string[]> {
    const reply = asArray(await LIVE_NODES.run(this.#redis, [this.#keys.nodes], []), 'live-nodes');
    return reply.map(String);
  }
}
