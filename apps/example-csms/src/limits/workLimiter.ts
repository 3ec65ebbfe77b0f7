/**
 * Bounds expensive work (scrypt): at most `concurrency` jobs run at once and at most `maxQueued` wait;
 * `tryRun` refuses at once (returns undefined) when the queue is full, so a flood fails fast instead of
 * piling up latency for everyone behind it.
 */
export class WorkLimiter {
  #running = 0;
  readonly #queue: Array<() => void> = [];

  constructor(
    readonly concurrency: number,
    readonly maxQueued: number,
  ) {}

  get running(): number {
    return this.#running;
  }

  get queued(): number {
    return this.#queue.length;
  }

  /** Runs `job` when a slot is free; undefined (job not started) when the queue is full. */
  tryRun<T>(job: () => Promise<T>): Promise<T> | undefined {
    if (this.#running >= this.concurrency && this.#queue.length >= this.maxQueued) return undefined;
    return this.#acquire().then(async () => {
      try {
        return await job();
      } finally {
        this.#release();
      }
    });
  }

  #acquire(): Promise<void> {
    if (this.#running < this.concurrency) {
      this.#running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#queue.push(resolve));
  }

  #release(): void {
    const next = this.#queue.shift();
    // The slot passes straight to the next job, so `running` stays the same.
    if (next !== undefined) next();
    else this.#running--;
  }
}
