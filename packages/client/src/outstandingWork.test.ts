import { describe, expect, it } from 'vitest';
import { OutstandingWork } from './outstandingWork.js';

function deferred(): { promise: Promise<void>; resolve(): void; reject(e: Error): void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('OutstandingWork', () => {
  it('tracks until settled, rejections included, and returns the same promise', async () => {
    const work = new OutstandingWork();
    const a = deferred();
    const b = deferred();
    expect(work.track(a.promise)).toBe(a.promise);
    void work.track(b.promise).catch(() => undefined);
    expect(work.size).toBe(2);
    a.resolve();
    b.reject(new Error('no'));
    await Promise.allSettled([a.promise, b.promise]);
    await Promise.resolve();
    expect(work.size).toBe(0);
  });

  it('drain waits for work added while draining', async () => {
    const work = new OutstandingWork();
    const first = deferred();
    const second = deferred();
    void work.track(first.promise);
    const drained = work.drain(60_000, () => true);
    let done = false;
    void drained.then(() => (done = true));
    void work.track(second.promise);
    first.resolve();
    await first.promise;
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    second.resolve();
    await drained;
    expect(work.size).toBe(0);
  });

  it('drain gives up after the timeout or when told to stop', async () => {
    const work = new OutstandingWork();
    void work.track(new Promise(() => undefined));
    await work.drain(20, () => true);
    expect(work.size).toBe(1);
    await work.drain(60_000, () => false);
    expect(work.size).toBe(1);
  });
});
