/**
 * Fixed-window counters per key (e.g. per remote IP): at most `limit` events per `windowMs`.
 * One shared map, swept when a window rolls over, so idle keys cost nothing.
 */
export class WindowRateLimiter {
  #windowStart = 0;
  #counts = new Map<string, number>();

  constructor(readonly limit: number, readonly windowMs: number) {}

  /** Counts one event for `key`; false when the key is over its limit in the current window. */
  take(key: string, now = Date.now()): boolean {
    if (now - this.#windowStart >= this.windowMs) {
      this.#windowStart = now;
      this.#counts.clear();
    }
    const n = (this.#counts.get(key) ?? 0) + 1;
    this.#counts.set(key, n);
    return n <= this.limit;
  }
}
