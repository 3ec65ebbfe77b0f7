/**
 * The parts of a `LatencySummary` that {@link latencyBetween} reads. A summary that went through JSON
 * (e.g. served by a REST endpoint) fits too: its last bucket bound reads back as `null` instead of `Infinity`.
 */
export interface LatencyHistogramSnapshot {
  /** Samples ever recorded. */
  count: number;
  /** Sum of every sample ever recorded. */
  sumMs: number;
  /** Largest recent sample. */
  max: number;
  /** Cumulative counts by ascending upper bound; the last bound is `Infinity`, or `null` after JSON. */
  buckets: ReadonlyArray<{ le: number | null; count: number }>;
}

/** Latency of the calls recorded between two snapshots, in milliseconds (see {@link latencyBetween}). */
export interface LatencyWindow {
  /** Calls recorded between the snapshots. */
  count: number;
  /** Exact mean of those calls; 0 when there were none. */
  meanMs: number;
  /** Upper bound of the median. */
  p50: number;
  /** Upper bound of the 90th percentile. */
  p90: number;
  /** Upper bound of the 99th percentile. */
  p99: number;
  /** Upper bound of the 99.9th percentile. */
  p999: number;
}

const isInfinite = (le: number | null): boolean => le === null || le === Infinity;

/**
 * Percentiles of the calls recorded between two `server.stats()` latency snapshots (`latencyMs.in` or
 * `latencyMs.out`), from the difference of their cumulative histograms, e.g. "the p99 of every call handled
 * during this 60 s run".
 *
 * Each percentile is an upper bound, at the histogram's resolution: the bound of the bucket holding the
 * nearest-rank quantile, so the true value lies above the bucket's lower bound and at most at the returned
 * one. A quantile that lands in the last (`+Inf`) bucket has no upper bound; it is reported as `after.max`
 * (the largest recent sample), or the last finite bound if that is larger, because the sample may have left
 * the recent window.
 *
 * @param before - The earlier snapshot, or `undefined` for everything since the server started.
 * @param after - The later snapshot, from the same server process.
 * @throws RangeError if the two snapshots have different bucket bounds or `after` has fewer samples than
 * `before` (different processes, a restart in between, or the arguments swapped).
 */
export function latencyBetween(before: LatencyHistogramSnapshot | undefined, after: LatencyHistogramSnapshot): LatencyWindow {
  const buckets = after.buckets;
  if (before !== undefined) {
    const sameBounds = before.buckets.length === buckets.length && before.buckets.every((b, i) => (isInfinite(b.le) ? isInfinite(buckets[i]!.le) : b.le === buckets[i]!.le));
    if (!sameBounds) throw new RangeError('latencyBetween: the snapshots have different histogram bounds');
    if (after.count < before.count) throw new RangeError('latencyBetween: `after` has fewer samples than `before` (restart, other process or swapped arguments)');
  }
  const between = (i: number): number => buckets[i]!.count - (before?.buckets[i]!.count ?? 0);
  const count = after.count - (before?.count ?? 0);
  if (count === 0) return { count: 0, meanMs: 0, p50: 0, p90: 0, p99: 0, p999: 0 };

  const lastFinite = buckets.reduce((m, b) => (isInfinite(b.le) ? m : Math.max(m, b.le!)), 0);
  const quantile = (q: number): number => {
    const rank = Math.max(1, Math.ceil(q * count));
    // Cumulative counts are non-decreasing, so the first bucket reaching the rank holds the quantile.
    for (let i = 0; i < buckets.length; i++) {
      if (between(i) >= rank) {
        const le = buckets[i]!.le;
        return isInfinite(le) ? Math.max(after.max, lastFinite) : le!;
      }
    }
    // Only reachable when the bucket counts disagree with `count` (a malformed snapshot).
    return Math.max(after.max, lastFinite);
  };
  return {
    count,
    meanMs: (after.sumMs - (before?.sumMs ?? 0)) / count,
    p50: quantile(0.5),
    p90: quantile(0.9),
    p99: quantile(0.99),
    p999: quantile(0.999),
  };
}
