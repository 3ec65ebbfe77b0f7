/**
 * Counts failures per key in fixed windows (e.g. bad passwords per charger identity or per address).
 * Memory is bounded: at most `maxKeys` keys are tracked; beyond that the oldest entry is forgotten, which
 * only ever makes the limiter more lenient, never locks anyone out for good.
 */
export class FailureWindow {
  readonly #entries = new Map<string, { count: number; resetAt: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    readonly maxKeys = 10_000,
    readonly clock: () => number = Date.now,
  ) {}

  /** Milliseconds until `key` may try again, or 0 when it is under its limit. */
  blockedFor(key: string): number {
    const entry = this.#entries.get(key);
    if (entry === undefined) return 0;
    const now = this.clock();
    if (entry.resetAt <= now) {
      this.#entries.delete(key);
      return 0;
    }
    return entry.count >= this.limit ? entry.resetAt - now : 0;
  }

  fail(key: string): void {
    const now = this.clock();
    const entry = this.#entries.get(key);
    if (entry !== undefined && entry.resetAt > now) {
      entry.count++;
      return;
    }
    this.#entries.delete(key);
    this.#entries.set(key, { count: 1, resetAt: now + this.windowMs });
    if (this.#entries.size > this.maxKeys) this.#entries.delete(this.#entries.keys().next().value as string);
  }

  /** A success clears the key's failures (a charger that finally logs in is not held back by old typos). */
  clear(key: string): void {
    this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}
