import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FailureWindow } from '../limits/failureWindow.js';
import { WorkLimiter } from '../limits/workLimiter.js';
import { PasswordThrottle } from './passwordThrottle.js';

const deferred = () => {
  let resolve!: (ok: boolean) => void;
  const promise = new Promise<boolean>((r) => (resolve = r));
  return { promise, resolve };
};

describe('PasswordThrottle', () => {
  it('runs at most maxChecksPerAddress checks of one address at once and refuses the rest with 429 without checking', async () => {
    const throttle = new PasswordThrottle({ maxChecksPerAddress: 2, maxChecksPerIdentity: 100 });
    const gate = deferred();
    let started = 0;
    const attempts = Array.from({ length: 60 }, (_, i) => throttle.run(`CP-${i}`, '10.0.0.9', () => (started++, gate.promise)));
    gate.resolve(false);
    const outcomes = await Promise.all(attempts);
    expect(started).toBe(2);
    expect(outcomes.filter((o) => typeof o === 'object' && o.status === 429)).toHaveLength(58);
  });

  it('refuses an identity after failuresPerIdentity bad passwords, until the window ends', async () => {
    const throttle = new PasswordThrottle({ failuresPerIdentity: 3, windowMs: 60_000 });
    const results: Array<boolean | { status: number }> = [];
    for (let i = 0; i < 5; i++) results.push(await throttle.run('CP-1', `10.0.0.${i}`, async () => false));
    expect(results.slice(0, 3)).toEqual([false, false, false]);
    expect(results.slice(3)).toEqual([expect.objectContaining({ status: 429 }), expect.objectContaining({ status: 429 })]);
    // Another identity from those addresses is still checked.
    expect(await throttle.run('CP-2', '10.0.0.1', async () => true)).toBe(true);
  });

  it('fails fast with 503 once the server-wide queue is full', async () => {
    const throttle = new PasswordThrottle({ maxConcurrentChecks: 1, maxQueuedChecks: 2, maxChecksPerAddress: 100, maxChecksPerIdentity: 100 });
    const gate = deferred();
    const attempts = Array.from({ length: 10 }, (_, i) => throttle.run(`CP-${i}`, `10.0.1.${i}`, () => gate.promise));
    const early = await Promise.race([Promise.all(attempts.slice(3)), new Promise((r) => setTimeout(() => r('pending'), 50))]);
    expect(early).toEqual(Array.from({ length: 7 }, () => ({ status: 503, retryAfterS: 1 })));
    gate.resolve(true);
    expect(await Promise.all(attempts.slice(0, 3))).toEqual([true, true, true]);
  });
});

describe('WorkLimiter', () => {
  it('never runs more than `concurrency` jobs and never queues more than `maxQueued` (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 20 }), async (concurrency, maxQueued, jobs) => {
        const limiter = new WorkLimiter(concurrency, maxQueued);
        let running = 0;
        let peak = 0;
        const started = [];
        for (let i = 0; i < jobs; i++) {
          started.push(
            limiter.tryRun(async () => {
              peak = Math.max(peak, ++running);
              await new Promise((r) => setTimeout(r, 1));
              running--;
            }),
          );
        }
        const accepted = started.filter((p) => p !== undefined);
        expect(accepted).toHaveLength(Math.min(jobs, concurrency + maxQueued));
        await Promise.all(accepted);
        expect(peak).toBeLessThanOrEqual(concurrency);
        expect(limiter.running).toBe(0);
      }),
      { numRuns: 40 },
    );
  });
});

describe('FailureWindow', () => {
  it('blocks a key at its limit until the window ends, and forgets the oldest key beyond maxKeys', () => {
    let now = 1000;
    const window = new FailureWindow(2, 500, 3, () => now);
    window.fail('a');
    expect(window.blockedFor('a')).toBe(0);
    window.fail('a');
    expect(window.blockedFor('a')).toBe(500);
    now += 499;
    expect(window.blockedFor('a')).toBe(1);
    now += 1;
    expect(window.blockedFor('a')).toBe(0);
    for (const key of ['b', 'c', 'd', 'e']) window.fail(key);
    expect(window.size).toBe(3);
  });
});
