/** Percentiles of a latency series, in milliseconds. */
export interface LatencySummary {
  /** Number of samples ever recorded. */
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/**
 * Keeps the latest `capacity` samples in a ring buffer (one typed-array store per sample on the hot
 * path); percentiles are computed only when read.
 */
export class LatencySampler {
  #ring: Float64Array;
  #next = 0;
  #count = 0;

  constructor(capacity = 4096) {
    this.#ring = new Float64Array(capacity);
  }

  record(ms: number): void {
    this.#ring[this.#next] = ms;
    this.#next = (this.#next + 1) % this.#ring.length;
    this.#count++;
  }

  summary(): LatencySummary {
    const n = Math.min(this.#count, this.#ring.length);
    if (n === 0) return { count: 0, p50: 0, p90: 0, p99: 0, max: 0 };
    const sorted = this.#ring.slice(0, n).sort();
    const at = (q: number): number => sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]!;
    return { count: this.#count, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[n - 1]! };
  }
}
