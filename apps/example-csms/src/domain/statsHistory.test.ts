import { afterEach, describe, expect, it } from 'vitest';
import { OCPPServer } from '@chargewire/server';
import { StatsHistory } from './statsHistory.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('StatsHistory', () => {
  let history: StatsHistory | undefined;
  afterEach(() => history?.close());

  it('reports how long the event loop was held up since the previous sample, and the process memory', async () => {
    const server = new OCPPServer({ pingIntervalMs: 0 });
    history = new StatsHistory(() => server.stats(), { intervalMs: 60_000 });
    await sleep(50);
    const until = Date.now() + 150;
    while (Date.now() < until); // a long synchronous task: every call arriving now would wait for it
    await sleep(30);
    const blocked = history.sample();
    expect(blocked.eventLoopDelayMs.max).toBeGreaterThanOrEqual(120);
    expect(blocked.eventLoopDelayMs.p50).toBeLessThanOrEqual(blocked.eventLoopDelayMs.p99);
    expect(blocked.eventLoopDelayMs.p99).toBeLessThanOrEqual(blocked.eventLoopDelayMs.max);
    await sleep(100);
    const quiet = history.sample();
    // The window starts over at each sample: the block is not reported twice.
    expect(quiet.eventLoopDelayMs.max).toBeLessThan(blocked.eventLoopDelayMs.max);
    expect(quiet.memoryMb.rss).toBeGreaterThan(quiet.memoryMb.heapUsed);
    expect(quiet.memoryMb.heapUsed).toBeGreaterThan(0);
    expect(history.list().map((s) => s.at)).toHaveLength(3);
  });
});
