import { FailureWindow } from '../limits/failureWindow.js';
import { WorkLimiter } from '../limits/workLimiter.js';

/** Bounds on charger password checks (each one costs ~50 ms of scrypt on the libuv thread pool). */
export interface PasswordThrottleOptions {
  /** Password checks running at once, server-wide. @default 2 */
  maxConcurrentChecks?: number;
  /** Checks waiting for a slot; beyond that a connect is refused at once with 503. @default 8 */
  maxQueuedChecks?: number;
  /**
   * Checks in progress for one remote address; beyond that 429 at once. Kept below `maxConcurrentChecks`
   * so that one address can never hold every scrypt slot. @default 1
   */
  maxChecksPerAddress?: number;
  /** Checks in progress for one identity; beyond that 429 at once. @default 1 */
  maxChecksPerIdentity?: number;
  /** Failed checks per identity per window before further attempts are refused without checking. @default 5 */
  failuresPerIdentity?: number;
  /** Failed checks per remote address per window. @default 20 */
  failuresPerAddress?: number;
  /** @default 60000 */
  windowMs?: number;
}

/** Why a check was not run: 429 (this identity/address is over its limit) or 503 (the server is busy). */
export type ThrottleRefusal = { status: 429 | 503; retryAfterS: number };

/**
 * Per-identity and per-address rate limiting of Basic-auth checks, in front of a bounded scrypt pool.
 * Without it, 60 parallel bad attempts queue 60 scrypt jobs on the 4-thread pool and every legitimate
 * connect waits behind them; with it, an address gets `maxChecksPerAddress` checks at a time, an
 * identity or address that keeps failing is refused without any hashing, and a flood from many addresses
 * is refused fast (503) once the queue is full instead of slowing everyone down.
 */
export class PasswordThrottle {
  readonly #limiter: WorkLimiter;
  readonly #identityFailures: FailureWindow;
  readonly #addressFailures: FailureWindow;
  readonly #inFlight = new Map<string, number>();
  readonly #maxPerAddress: number;
  readonly #maxPerIdentity: number;

  constructor(options: PasswordThrottleOptions = {}) {
    const windowMs = options.windowMs ?? 60_000;
    this.#limiter = new WorkLimiter(options.maxConcurrentChecks ?? 2, options.maxQueuedChecks ?? 8);
    this.#identityFailures = new FailureWindow(options.failuresPerIdentity ?? 5, windowMs);
    this.#addressFailures = new FailureWindow(options.failuresPerAddress ?? 20, windowMs);
    this.#maxPerAddress = options.maxChecksPerAddress ?? 1;
    this.#maxPerIdentity = options.maxChecksPerIdentity ?? 1;
  }

  /**
   * Runs `check` (true = password correct) unless a limit says no.
   * @returns the check's answer, or a refusal when it was not run.
   */
  async run(identity: string, address: string, check: () => Promise<boolean>): Promise<boolean | ThrottleRefusal> {
    const idKey = `id:${identity}`;
    const addrKey = `addr:${address}`;
    const blockedMs = Math.max(this.#identityFailures.blockedFor(idKey), this.#addressFailures.blockedFor(addrKey));
    if (blockedMs > 0) return { status: 429, retryAfterS: Math.ceil(blockedMs / 1000) };
    if ((this.#inFlight.get(idKey) ?? 0) >= this.#maxPerIdentity || (this.#inFlight.get(addrKey) ?? 0) >= this.#maxPerAddress) {
      return { status: 429, retryAfterS: 1 };
    }
    this.#enter(idKey);
    this.#enter(addrKey);
    try {
      const running = this.#limiter.tryRun(check);
      if (running === undefined) return { status: 503, retryAfterS: 1 };
      const ok = await running;
      if (ok) this.#identityFailures.clear(idKey);
      else {
        this.#identityFailures.fail(idKey);
        this.#addressFailures.fail(addrKey);
      }
      return ok;
    } finally {
      this.#leave(idKey);
      this.#leave(addrKey);
    }
  }

  #enter(key: string): void {
    this.#inFlight.set(key, (this.#inFlight.get(key) ?? 0) + 1);
  }

  #leave(key: string): void {
    const n = (this.#inFlight.get(key) ?? 1) - 1;
    if (n <= 0) this.#inFlight.delete(key);
    else this.#inFlight.set(key, n);
  }
}
