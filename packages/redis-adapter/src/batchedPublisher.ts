import type { Cluster, Redis } from 'ioredis';
import { clusterSlot } from './clusterSlot.js';
import { isCluster, type RedisClient } from './redisClient.js';

interface Pending {
  channel: string;
  payload: string;
  resolve(receivers: number): void;
  reject: (error: Error) => void;
}

/**
 * Publishes cluster messages: `PUBLISH` on one Redis server, sharded `SPUBLISH` (Redis 7+) on a Redis Cluster
 * (a plain `PUBLISH` there is copied to every shard, and its receiver count covers one shard only).
 *
 * On one server, the PUBLISHes of one event-loop turn go to Redis in one pipeline (one write, one reply batch)
 * instead of one command each: under concurrent cross-node calls this is most of the cost of the transport.
 * The batch is flushed by `setImmediate`, after the loop has handled every socket that was readable (each reply
 * to a caller comes from its own charger socket, so a `nextTick` flush mostly sent batches of one). Order is kept
 * (a pipeline runs its commands in order). A single PUBLISH is sent as it is. On a Cluster a pipeline must stay
 * on one master: the batch is split by the master that serves each channel's slot, one pipeline per master.
 */
export class BatchedPublisher {
  #queue: Pending[] = [];
  readonly #sharded: boolean;
  /** Slot of each channel published to (one per node of the cluster, plus the broadcast channel): bounded below. */
  readonly #slots = new Map<string, number>();
  readonly #redis: RedisClient;

  constructor(redis: RedisClient) {
    this.#redis = redis;
    this.#sharded = isCluster(redis);
  }

  /** Resolves with the number of receivers, like `PUBLISH`. */
  publish(channel: string, payload: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ channel, payload, resolve, reject });
      if (this.#queue.length === 1) setImmediate(this.#flush);
    });
  }

  readonly #flush = (): void => {
    const batch = this.#queue;
    this.#queue = [];
    if (!this.#sharded) {
      this.#send(batch);
      return;
    }
    const cluster = this.#redis as Cluster;
    const byMaster = new Map<string, Pending[]>();
    for (const p of batch) {
      const owner = cluster.slots[this.#slotOf(p.channel)]?.join(',') ?? ''; // unknown: ioredis routes it alone
      const group = byMaster.get(owner);
      if (group) group.push(p);
      else byMaster.set(owner, [p]);
    }
    for (const [owner, group] of byMaster) {
      if (owner === '') for (const p of group) this.#send([p]);
      else this.#send(group);
    }
  };

  #slotOf(channel: string): number {
    let slot = this.#slots.get(channel);
    if (slot === undefined) {
      if (this.#slots.size >= 1024) this.#slots.clear(); // node ids come and go: never grow without bound
      slot = clusterSlot(channel);
      this.#slots.set(channel, slot);
    }
    return slot;
  }

  /** One command alone, or a pipeline (one write, one reply batch) of commands bound for one server. */
  #send(batch: readonly Pending[]): void {
    const publish = this.#sharded ? 'spublish' : 'publish';
    if (batch.length === 1) {
      const only = batch[0]!;
      (this.#redis as Redis)[publish](only.channel, only.payload).then((n) => only.resolve(Number(n)), only.reject);
      return;
    }
    const pipeline = this.#redis.pipeline();
    for (const p of batch) pipeline[publish](p.channel, p.payload);
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
  }
}
