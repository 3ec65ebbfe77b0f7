import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { KeepAlive } from './keepAlive.js';
import type { WsChannel } from './wsChannel.js';

/** The two members KeepAlive uses: `alive` (set by inbound traffic) and `ping()`. */
interface FakeChannel {
  alive: boolean;
  pings: number[];
  ping(): void;
}

const channel = (now: () => number): FakeChannel => {
  const c: FakeChannel = { alive: true, pings: [], ping: () => c.pings.push(now()) };
  return c;
};

describe('KeepAlive', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('spreads the pings of many connections over the interval instead of one burst', () => {
    vi.useFakeTimers();
    const dead: FakeChannel[] = [];
    const keepAlive = new KeepAlive(30_000, (c) => dead.push(c as unknown as FakeChannel));
    const channels = Array.from({ length: 6_400 }, () => channel(() => Date.now()));
    for (const c of channels) keepAlive.add(c as unknown as WsChannel);
    const perTick = new Map<number, number>();
    const start = Date.now();
    for (let t = 0; t < 30_000; t += 100) {
      vi.advanceTimersByTime(100);
      for (const c of channels) c.alive = true; // every peer answers
    }
    for (const c of channels) for (const at of c.pings) perTick.set(at - start, (perTick.get(at - start) ?? 0) + 1);
    // Each connection pinged exactly once in the interval, at most 1/64 of them at any one moment.
    expect(channels.every((c) => c.pings.length === 1)).toBe(true);
    expect(Math.max(...perTick.values())).toBeLessThanOrEqual(100);
    expect(perTick.size).toBeGreaterThanOrEqual(64);
    expect(dead).toEqual([]);
    keepAlive.stop();
  });

  it('drops a silent peer between one and two intervals after its last traffic, and keeps the others (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 60_000 }), fc.integer({ min: 1, max: 300 }), fc.nat({ max: 299 }), (intervalMs, count, silentIndex) => {
        vi.useFakeTimers();
        const dead: Array<{ c: FakeChannel; at: number }> = [];
        const keepAlive = new KeepAlive(intervalMs, (c) => dead.push({ c: c as unknown as FakeChannel, at: Date.now() }));
        const channels = Array.from({ length: count }, () => channel(() => Date.now()));
        for (const c of channels) keepAlive.add(c as unknown as WsChannel);
        const silent = channels[silentIndex % count]!;
        const start = Date.now();
        const step = Math.max(1, Math.floor(intervalMs / 200));
        while (Date.now() - start <= 2 * intervalMs + step) {
          vi.advanceTimersByTime(step);
          for (const c of channels) if (c !== silent) c.alive = true;
        }
        expect(dead.map((d) => d.c)).toEqual([silent]);
        const after = dead[0]!.at - start;
        expect(after).toBeGreaterThan(0);
        expect(after).toBeLessThanOrEqual(2 * intervalMs + step);
        expect(keepAlive.size).toBe(count - 1);
        keepAlive.stop();
        vi.useRealTimers();
      }),
      { numRuns: 60 },
    );
  });

  it('stops its timer when the last connection leaves and starts again for the next', () => {
    vi.useFakeTimers();
    const keepAlive = new KeepAlive(1_000, () => undefined);
    const a = channel(() => Date.now());
    keepAlive.add(a as unknown as WsChannel);
    keepAlive.delete(a as unknown as WsChannel);
    expect(vi.getTimerCount()).toBe(0);
    const b = channel(() => Date.now());
    keepAlive.add(b as unknown as WsChannel);
    vi.advanceTimersByTime(1_000);
    expect(b.pings).toHaveLength(1);
    expect(a.pings).toHaveLength(0);
    keepAlive.stop();
  });
});
