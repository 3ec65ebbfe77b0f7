import type { Redis } from 'ioredis';

interface Pending {
  channel: string;
  payload: string;
  resolve(receivers: number): void;
  reject(error: Error): void;
}

/**
 * PUBLISHes of one event-loop turn go to Redis in one pipeline (one write, one reply batch) instead of one
 * command each: under concurrent cross-node calls this is most of the cost of the transport. Order is kept
 * (a pipeline runs its commands in order). A single PUBLISH is sent as it is.
 */
export class BatchedPublisher {
  #queue: Pending[] = [];

  constructor(private readonly redis: Redis) {}

  /** Resolves with the number of receivers, like `PUBLISH`. */
  publish(channel: string, payload: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ channel, payload, resolve, reject });
      if (this.#queue.length === 1) process.nextTick(this.#flush);
    });
  }

  readonly #flush = (): void => {
    const batch = this.#queue;
    this.#queue = [];
    if (batch.length === 1) {
      const only = batch[0]!;
      this.redis.publish(only.channel, only.payload).then(only.resolve, only.reject);
      return;
    }
    const pipeline = this.redis.pipeline();
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
