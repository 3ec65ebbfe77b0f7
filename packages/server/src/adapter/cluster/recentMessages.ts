/**
 * Ids of the messages this node has acted on recently, so that a message its transport delivers twice acts once.
 * Redis Cluster clients re-send a command whose connection closed before the reply (a master failing over): a
 * SPUBLISH that had reached its subscribers is then published again, and without this a charger would run the
 * same cross-node call twice.
 *
 * Bounded in time and size: an id is kept for `windowMs` (a re-send comes within seconds; with a secret, a
 * message older than the signature window is rejected anyway) and at most `max` ids are kept (under a sustained
 * rate above `max / windowMs`, the window shrinks instead of the memory growing).
 */
export class RecentMessages {
  readonly #seen = new Map<string, number>(); // id → expiry (ms); insertion order = expiry order
  /** When the oldest id may next have expired: pruning walks the map only then (or when it is full), not per message. */
  #pruneAt = 0;
  readonly #now: () => number;
  readonly #windowMs: number;
  readonly #max: number;

  constructor(windowMs = 60_000, max = 100_000, now: () => number = Date.now) {
    this.#windowMs = windowMs;
    this.#max = max;
    this.#now = now;
  }

  get size(): number {
    return this.#seen.size;
  }

  /** True the first time `id` is seen within the window; false for a repeat. */
  firstSeen(id: string): boolean {
    const now = this.#now();
    if (now >= this.#pruneAt || this.#seen.size >= this.#max) {
      for (const [k, expiry] of this.#seen) {
        if (expiry > now && this.#seen.size < this.#max) {
          this.#pruneAt = expiry;
          break;
        }
        this.#seen.delete(k);
      }
    }
    if (this.#seen.has(id)) return false;
    if (this.#seen.size === 0) this.#pruneAt = now + this.#windowMs;
    this.#seen.set(id, now + this.#windowMs);
    return true;
  }
}
