/**
 * Upper bounds, in milliseconds, of the cumulative latency histogram in {@link LatencySummary.buckets}
 * (a final `+Inf` bucket follows the last one). 20 ms and 100 ms are exact bounds so that "share of calls
 * answered within 20 / 100 ms" needs no interpolation; 60 s sits above the default 30 s call timeout so
 * that timed-out outbound calls land in a finite bucket.
 */
export const LATENCY_BUCKETS_MS: readonly number[] = Object.freeze([
  0.25, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 2000, 5000, 10000, 30000, 60000,
]);

/** One cumulative histogram bucket: how many samples were at most `le` milliseconds. */
export interface LatencyBucket {
  /** Upper bound in milliseconds; `Infinity` for the last bucket (which JSON renders as `null`). */
  le: number;
  /** Samples ever recorded that were ≤ `le` (cumulative, as in Prometheus). */
  count: number;
}

/**
 * A latency series, in milliseconds: percentiles of the recent samples, plus a cumulative histogram of every
 * sample since the server started. Pass two of these to `latencyBetween` for exact-to-the-bucket percentiles
 * of the calls handled between them.
 */
export interface LatencySummary {
  /** Number of samples ever recorded. */
  count: number;
  /** Median of the latest 4,096 samples. */
  p50: number;
  /** 90th percentile of the latest 4,096 samples. */
  p90: number;
  /** 99th percentile of the latest 4,096 samples. */
  p99: number;
  /** Largest of the latest 4,096 samples. */
  max: number;
  /** Sum of every sample ever recorded. */
  sumMs: number;
  /**
   * Cumulative counts of every sample ever recorded, one entry per {@link LATENCY_BUCKETS_MS} bound in
   * ascending order, then a last entry with `le: Infinity` whose count equals `count`. `Infinity` is not
   * representable in JSON: `JSON.stringify` writes the last bound as `null` (`latencyBetween` accepts both).
   */
  buckets: readonly LatencyBucket[];
}

const BOUNDS = Float64Array.from(LATENCY_BUCKETS_MS);

/** Index of the first bound ≥ ms, or BOUNDS.length (the +Inf bucket). */
function bucketOf(ms: number): number {
  let lo = 0;
  let hi = BOUNDS.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (BOUNDS[mid]! >= ms) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Keeps the latest `capacity` samples in a ring buffer for recent percentiles, and a cumulative histogram
 * of all samples for percentiles over any period. Recording stores into typed arrays only (no allocation on
 * the hot path); percentiles and buckets are computed only when read.
 */
export class LatencySampler {
  #ring: Float64Array;
  #next = 0;
  #count = 0;
  // Per-bucket (not cumulative) counts; float64 so they cannot wrap the way a Uint32 counter would.
  #buckets = new Float64Array(BOUNDS.length + 1);
  #sumMs = 0;

  constructor(capacity = 4096) {
    this.#ring = new Float64Array(capacity);
  }

  record(ms: number): void {
    this.#ring[this.#next] = ms;
    this.#next = (this.#next + 1) % this.#ring.length;
    this.#count++;
    this.#buckets[bucketOf(ms)]!++;
    this.#sumMs += ms;
  }

  summary(): LatencySummary {
    const buckets: LatencyBucket[] = [];
    let cumulative = 0;
    for (let i = 0; i < this.#buckets.length; i++) {
      cumulative += this.#buckets[i]!;
      buckets.push({ le: i < BOUNDS.length ? BOUNDS[i]! : Infinity, count: cumulative });
    }
    const n = Math.min(this.#count, this.#ring.length);
    if (n === 0) return { count: 0, p50: 0, p90: 0, p99: 0, max: 0, sumMs: 0, buckets };
    const sorted = this.#ring.slice(0, n).sort();
    const at = (q: number): number => sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]!;
    return { count: this.#count, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[n - 1]!, sumMs: this.#sumMs, buckets };
  }
}
