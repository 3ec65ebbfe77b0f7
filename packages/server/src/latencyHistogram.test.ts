import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { latencyBetween } from './latencyHistogram.js';
import type { LatencyHistogramSnapshot } from './latencyHistogram.js';
import { LATENCY_BUCKETS_MS, LatencySampler } from './latencySampler.js';
import type { LatencySummary } from './latencySampler.js';

const LAST_FINITE = LATENCY_BUCKETS_MS[LATENCY_BUCKETS_MS.length - 1]!;

const sampled = (values: readonly number[]): LatencySampler => {
  const sampler = new LatencySampler();
  for (const v of values) sampler.record(v);
  return sampler;
};

/** What a REST client gets back: `Infinity` became `null`. */
const viaJson = (summary: LatencySummary): LatencyHistogramSnapshot => JSON.parse(JSON.stringify(summary)) as LatencyHistogramSnapshot;

/** Nearest-rank quantile, the definition `latencyBetween` bounds. */
const trueQuantile = (values: readonly number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
};

describe('LATENCY_BUCKETS_MS', () => {
  it('is strictly ascending, frozen, and has 20 ms and 100 ms as exact bounds', () => {
    for (let i = 1; i < LATENCY_BUCKETS_MS.length; i++) expect(LATENCY_BUCKETS_MS[i]!).toBeGreaterThan(LATENCY_BUCKETS_MS[i - 1]!);
    expect(LATENCY_BUCKETS_MS).toContain(20);
    expect(LATENCY_BUCKETS_MS).toContain(100);
    expect(Object.isFrozen(LATENCY_BUCKETS_MS)).toBe(true);
  });
});

describe('LatencySampler histogram', () => {
  it('starts with every bucket at zero and the +Inf bucket last', () => {
    const { buckets, sumMs, count } = new LatencySampler().summary();
    expect(count).toBe(0);
    expect(sumMs).toBe(0);
    expect(buckets.map((b) => b.le)).toEqual([...LATENCY_BUCKETS_MS, Infinity]);
    expect(buckets.every((b) => b.count === 0)).toBe(true);
  });

  it('puts a sample in the first bucket whose bound is ≥ it, cumulatively, and sums every sample', () => {
    const summary = sampled([0, 20, 20.001, 100, 60_000, 60_001, 1e9]).summary();
    const at = (le: number): number => summary.buckets.find((b) => b.le === le)!.count;
    expect(at(0.25)).toBe(1);
    expect(at(15)).toBe(1);
    expect(at(20)).toBe(2);
    expect(at(30)).toBe(3);
    expect(at(75)).toBe(3);
    expect(at(100)).toBe(4);
    expect(at(LAST_FINITE)).toBe(5);
    expect(summary.buckets.at(-1)).toEqual({ le: Infinity, count: 7 });
    expect(summary.count).toBe(7);
    expect(summary.sumMs).toBe(0 + 20 + 20.001 + 100 + 60_000 + 60_001 + 1e9);
  });

  it('keeps counting every sample after the recent-samples ring has wrapped', () => {
    const sampler = new LatencySampler(4);
    for (let i = 0; i < 10; i++) sampler.record(i < 6 ? 1 : 50);
    const summary = sampler.summary();
    expect(summary.count).toBe(10);
    expect(summary.buckets.find((b) => b.le === 1)!.count).toBe(6);
    expect(summary.buckets.at(-1)!.count).toBe(10);
    // The ring only remembers the last four samples.
    expect(summary.p50).toBe(50);
  });
});

describe('latencyBetween', () => {
  it('covers everything since start when there is no earlier snapshot', () => {
    const values = [0.1, 0.2, 4, 4, 4, 9, 18, 18, 90, 400];
    const result = latencyBetween(undefined, sampled(values).summary());
    expect(result.count).toBe(10);
    expect(result.meanMs).toBeCloseTo(values.reduce((a, b) => a + b, 0) / 10, 10);
    // Nearest rank: the 5th of 10 is 4 ms (bucket ≤ 5), the 9th is 90 ms (≤ 100), the 10th is 400 ms (≤ 500).
    expect(result).toMatchObject({ p50: 5, p90: 100, p99: 500, p999: 500 });
  });

  it('counts only the samples recorded between the two snapshots', () => {
    const sampler = sampled([1000, 1000, 1000]);
    const before = sampler.summary();
    for (const v of [3, 3, 12, 19.5]) sampler.record(v);
    expect(latencyBetween(before, sampler.summary())).toEqual({ count: 4, meanMs: (3 + 3 + 12 + 19.5) / 4, p50: 3, p90: 20, p99: 20, p999: 20 });
  });

  it('gives zeros when nothing happened in between', () => {
    const sampler = sampled([5, 50, 500]);
    expect(latencyBetween(sampler.summary(), sampler.summary())).toEqual({ count: 0, meanMs: 0, p50: 0, p90: 0, p99: 0, p999: 0 });
    expect(latencyBetween(undefined, new LatencySampler().summary())).toEqual({ count: 0, meanMs: 0, p50: 0, p90: 0, p99: 0, p999: 0 });
  });

  it('reports the max for a quantile past the last finite bound', () => {
    const values = [...Array.from({ length: 98 }, () => 1), 70_000, 90_000];
    const result = latencyBetween(undefined, sampled(values).summary());
    expect(result.p50).toBe(1);
    expect(result.p99).toBe(90_000);
    expect(result.p999).toBe(90_000);
  });

  it('never reports less than the last finite bound for the +Inf bucket, even when the max left the ring', () => {
    const sampler = new LatencySampler(2);
    sampler.record(120_000);
    sampler.record(1);
    sampler.record(1);
    expect(latencyBetween(undefined, sampler.summary()).p999).toBe(LAST_FINITE);
  });

  it('reads snapshots that went through JSON (the +Inf bound as null)', () => {
    const sampler = sampled([2, 2, 40]);
    const before = sampler.summary();
    for (const v of [7, 7, 80_000]) sampler.record(v);
    const after = sampler.summary();
    expect(viaJson(after).buckets.at(-1)).toEqual({ le: null, count: 6 });
    const direct = latencyBetween(before, after);
    expect(direct).toEqual({ count: 3, meanMs: (7 + 7 + 80_000) / 3, p50: 7.5, p90: 80_000, p99: 80_000, p999: 80_000 });
    expect(latencyBetween(viaJson(before), viaJson(after))).toEqual(direct);
    expect(latencyBetween(before, viaJson(after))).toEqual(direct);
  });

  it('refuses snapshots that cannot come from the same histogram, in order', () => {
    const sampler = sampled([1, 2]);
    const before = sampler.summary();
    sampler.record(3);
    const after = sampler.summary();
    expect(() => latencyBetween(after, before)).toThrow(RangeError);
    const otherBounds: LatencyHistogramSnapshot = { ...after, buckets: after.buckets.slice(1) };
    expect(() => latencyBetween(before, otherBounds)).toThrow(RangeError);
  });

  it('bounds the true quantiles of the samples in between (property)', () => {
    const latency = fc.oneof(
      fc.double({ min: 0, max: 200, noNaN: true }),
      fc.double({ min: 0, max: 150_000, noNaN: true }),
      fc.constantFrom(...LATENCY_BUCKETS_MS),
    );
    fc.assert(
      fc.property(fc.array(latency, { maxLength: 400 }), fc.nat(), fc.boolean(), (values, cut, json) => {
        const split = cut % (values.length + 1);
        const sampler = sampled(values.slice(0, split));
        const before = sampler.summary();
        const between = values.slice(split);
        for (const v of between) sampler.record(v);
        const after = sampler.summary();
        const result = json ? latencyBetween(viaJson(before), viaJson(after)) : latencyBetween(before, after);

        expect(result.count).toBe(between.length);
        if (between.length === 0) {
          expect(result).toEqual({ count: 0, meanMs: 0, p50: 0, p90: 0, p99: 0, p999: 0 });
          return;
        }
        expect(result.meanMs).toBeCloseTo(between.reduce((a, b) => a + b, 0) / between.length, 6);
        for (const [q, reported] of [[0.5, result.p50], [0.9, result.p90], [0.99, result.p99], [0.999, result.p999]] as const) {
          const truth = trueQuantile(between, q);
          const bucket = LATENCY_BUCKETS_MS.indexOf(reported);
          if (bucket === -1) {
            // +Inf bucket: no upper bound, so the max (the ring holds every sample here) stands in.
            expect(truth).toBeGreaterThan(LAST_FINITE);
            expect(reported).toBe(after.max);
            expect(truth).toBeLessThanOrEqual(reported);
          } else {
            expect(truth).toBeLessThanOrEqual(reported);
            expect(truth).toBeGreaterThan(bucket === 0 ? -Infinity : LATENCY_BUCKETS_MS[bucket - 1]!);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
