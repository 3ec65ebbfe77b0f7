/**
 * The calls a client still owes or is owed an answer for: our CALLs (queued or in flight) and CSMS CALLs
 * our handlers are still working on. `close({ awaitPending })` waits for this set to drain.
 */
export class OutstandingWork {
  readonly #pending = new Set<Promise<unknown>>();

  get size(): number {
    return this.#pending.size;
  }

  /** Adds `promise` until it settles; returns it unchanged. */
  track<T>(promise: Promise<T>): Promise<T> {
    this.#pending.add(promise);
    const remove = (): void => {
      this.#pending.delete(promise);
    };
    promise.then(remove, remove);
    return promise;
  }

  /**
   * Waits until nothing is outstanding (work added meanwhile included), at most `timeoutMs`, and stops early
   * once `keepWaiting()` turns false. Resolves either way: closing must never hang on a peer.
   */
  async drain(timeoutMs: number, keepWaiting: () => boolean): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      while (this.#pending.size > 0 && keepWaiting()) {
        const settled = await Promise.race([Promise.allSettled([...this.#pending]).then(() => true as const), expired]);
        if (!settled) return;
      }
    } finally {
      clearTimeout(timer);
    }
  }
}
