import type { Redis } from 'ioredis';
import { isCluster, type RedisClient } from './redisClient.js';

interface Pending {
  channel: string;
  payload: string;
  resolve(receivers: number): void;
  reject(error: Error): void;
}

/**
 * Publishes cluster messages: `PUBLISH` on one Redis server, sharded `SPUBLISH` (Redis 7+) on a Redis Cluster
 * (a plain `PUBLISH` there is copied to every shard, and its receiver count covers one shard only).
 *
 * On one server, the PUBLISHes of one event-loop turn go to Redis in one pipeline (one write, one reply batch)
 * instead of one command each: under concurrent cross-node calls this is most of the cost of the transport.
 * The batch is flushed by `setImmediate`, after the loop has handled every socket that was readable (each reply
 * to a caller comes from its own charger socket, so a `nextTick` flush mostly sent batches of one). Order is kept
 * (a pipeline runs its commands in order). A single PUBLISH is sent as it is. On a Cluster each
 * SPUBLISH goes to the master of its channel's slot, so they are sent one by one (ioredis writes them to the
 * right connection).
 */
export class BatchedPublisher {
  #queue: Pending[] = [];
  readonly #sharded: boolean;

  constructor(private readonly redis: RedisClient) {
    this.#sharded = isCluster(redis);
  }

  /** Resolves with the number of receivers, like `PUBLISH`. */
  publish(channel: string, payload: string): Promise<number> {
    if (this.#sharded) return this.redis.spublish(channel, payload).then(Number);
    return new Promise((resolve, reject) => {
      this.#queue.push({ channel, payload, resolve, reject });
      if (this.#queue.length === 1) setImmediate(this.#flush);
    });
  }

  readonly #flush = (): void => {
    const batch = this.#queue;
    this.#queue = [];
    const redis = this.redis as Redis; // only a single server batches
    if (batch.length === 1) {
      const only = batch[0]!;
      redis.publish(only.channel, only.payload).then(only.resolve, only.reject);
      return;
    }
    const pipeline = redis.pipeline();
    for (const p of batch) pipeline.publish(p.channel, p.payload);
    pipeline.exec().then(
      (results) => {
        batch.forEach((p, i) => {
          const [err, receivers] = results?.[i] ?? [new Error('no reply to PUBLISH in the pipeline'), undefined];
          if (err) p.reject(err);
          else p.resolve(Number(receivers));
        });
      },
      (err: unknown) => {
        const error = err instanceof Error ? err : new Error(String(err));
        for (const p of batch) p.reject(error);
      },
    );
  };
}
