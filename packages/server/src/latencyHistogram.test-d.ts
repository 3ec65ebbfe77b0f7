import { describe, expectTypeOf, it } from 'vitest';
import { latencyBetween, type LatencyHistogramSnapshot, type LatencyWindow, type OCPPServer } from './index.js';

declare const server: OCPPServer;

describe('latencyBetween', () => {
  it('takes the latency of two stats() snapshots, or of one and nothing', () => {
    const before = server.stats().latencyMs.in;
    expectTypeOf(before).toMatchTypeOf<LatencyHistogramSnapshot>();
    expectTypeOf(latencyBetween(before, server.stats().latencyMs.in)).toEqualTypeOf<LatencyWindow>();
    expectTypeOf(latencyBetween(undefined, server.stats().latencyMs.out)).toEqualTypeOf<LatencyWindow>();
  });

  it('takes a snapshot read back from JSON, whose last bound is null', () => {
    const fromJson: LatencyHistogramSnapshot = { count: 1, sumMs: 2, max: 2, buckets: [{ le: 2, count: 1 }, { le: null, count: 1 }] };
    expectTypeOf(latencyBetween(fromJson, fromJson).p99).toBeNumber();
  });

  it('refuses what is not a snapshot', () => {
    // @ts-expect-error a summary without buckets is not enough
    latencyBetween(undefined, { count: 1, sumMs: 1, max: 1 });
    // @ts-expect-error the earlier snapshot comes first and may only be omitted as undefined
    latencyBetween(server.stats().latencyMs.in);
  });
});
