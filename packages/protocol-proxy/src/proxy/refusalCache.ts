/**
 * Backend refusals (HTTP 401/403) remembered per identity for `ttlMs`, so repeated handshakes of a refused
 * identity are answered by the proxy instead of being relayed to the backend (no brute-force relay).
 * Bounded: at most `maxEntries` identities; the oldest refusal is forgotten first.
 */
export class RefusalCache {
  readonly #refusals = new Map<string, { status: number; until: number }>();

  constructor(
    readonly ttlMs: number,
    readonly maxEntries = 10_000,
  ) {}

  /** The remembered status for `identity`, if its refusal has not expired. */
  get(identity: string, now = Date.now()): number | undefined {
    const entry = this.#refusals.get(identity);
    if (!entry) return undefined;
    if (entry.until > now) return entry.status;
    this.#refusals.delete(identity);
    return undefined;
  }

  remember(identity: string, status: number, now = Date.now()): void {
    if (this.ttlMs <= 0) return;
    // Re-insert so the Map's insertion order stays the expiry order (one TTL for all).
    this.#refusals.delete(identity);
    this.#refusals.set(identity, { status, until: now + this.ttlMs });
    for (const oldest of this.#refusals.keys()) {
      if (this.#refusals.size <= this.maxEntries) break;
      this.#refusals.delete(oldest);
    }
  }

  get size(): number {
    return this.#refusals.size;
  }
}
