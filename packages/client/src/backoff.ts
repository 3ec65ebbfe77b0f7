/**
 * Reconnect back-off, in the spirit of OCPP 2.x `RetryBackOffWaitMinimum` / `RetryBackOffRepeatTimes` /
 * `RetryBackOffRandomRange` (2.0.1 Part 2 B.1.x): the wait doubles after every failed attempt, is capped,
 * and is spread with jitter so that a fleet of chargers does not reconnect in lock-step after an outage.
 * DESIGN rule 10.
 */

/**
 * - `none`: `min(maxMs, initialMs · factor^attempt)`
 * - `full`: uniform in `[0, none]` (AWS "full jitter")
 * - `equal`: uniform in `[none/2, none]`
 * - `decorrelated`: uniform in `[initialMs, 3 · previous]`, capped (AWS "decorrelated jitter")
 */
export type JitterMode = 'none' | 'full' | 'equal' | 'decorrelated';

export interface BackoffOptions {
  /** Wait before the first reconnect attempt (before jitter). @default 1000 */
  initialMs?: number;
  /** Upper bound of any wait. @default 60000 */
  maxMs?: number;
  /** Growth per failed attempt. @default 2 */
  factor?: number;
  /** @default 'full' */
  jitter?: JitterMode;
  /** Give up (state `closed`) after this many consecutive failed attempts. @default Infinity */
  maxAttempts?: number;
}

export type ResolvedBackoff = Required<BackoffOptions>;

export const DEFAULT_BACKOFF: ResolvedBackoff = Object.freeze({
  initialMs: 1000,
  maxMs: 60_000,
  factor: 2,
  jitter: 'full',
  maxAttempts: Number.POSITIVE_INFINITY,
});

const JITTERS: readonly JitterMode[] = ['none', 'full', 'equal', 'decorrelated'];

/** Fills defaults and rejects nonsense (negative waits, a factor below 1, an unknown jitter mode). */
export function resolveBackoff(options: BackoffOptions = {}): ResolvedBackoff {
  const r: ResolvedBackoff = {
    initialMs: options.initialMs ?? DEFAULT_BACKOFF.initialMs,
    maxMs: options.maxMs ?? DEFAULT_BACKOFF.maxMs,
    factor: options.factor ?? DEFAULT_BACKOFF.factor,
    jitter: options.jitter ?? DEFAULT_BACKOFF.jitter,
    maxAttempts: options.maxAttempts ?? DEFAULT_BACKOFF.maxAttempts,
  };
  if (!Number.isFinite(r.initialMs) || r.initialMs < 0) throw new RangeError('backoff.initialMs must be a finite number >= 0');
  if (!Number.isFinite(r.maxMs) || r.maxMs < r.initialMs) throw new RangeError('backoff.maxMs must be a finite number >= initialMs');
  if (!Number.isFinite(r.factor) || r.factor < 1) throw new RangeError('backoff.factor must be a finite number >= 1');
  if (!JITTERS.includes(r.jitter)) throw new RangeError(`backoff.jitter must be one of ${JITTERS.join(', ')}`);
  if (!(r.maxAttempts >= 1)) throw new RangeError('backoff.maxAttempts must be >= 1');
  return r;
}

/**
 * The wait before reconnect attempt number `attempt` (0 = first retry). Pure: the randomness comes in as
 * `random` ∈ [0, 1), the previous wait (for decorrelated jitter) as `previousMs`.
 *
 * @example backoffDelay(3, undefined, resolveBackoff({ jitter: 'none' }), 0) // 8000
 */
export function backoffDelay(attempt: number, previousMs: number | undefined, options: ResolvedBackoff, random: number): number {
  const { initialMs, maxMs, factor, jitter } = options;
  const u = Math.min(Math.max(random, 0), 1);
  if (jitter === 'decorrelated') {
    const prev = previousMs === undefined || previousMs < initialMs ? initialMs : previousMs;
    const upper = Math.min(maxMs, prev * 3);
    return Math.round(Math.min(maxMs, initialMs + u * (upper - initialMs)));
  }
  // factor^attempt overflows to Infinity for large attempts; min() keeps the cap (and 0 · Infinity is NaN).
  const exp = initialMs === 0 ? 0 : Math.min(maxMs, initialMs * Math.pow(factor, Math.max(0, attempt)));
  switch (jitter) {
    case 'none':
      return Math.round(exp);
    case 'full':
      return Math.round(u * exp);
    case 'equal':
      return Math.round(exp / 2 + (u * exp) / 2);
  }
}
