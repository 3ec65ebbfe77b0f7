import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import { resolveBackoff, type BackoffOptions } from './backoff.js';
import { ConnectionFailedError, ConnectionRefusedError, type ConnectError } from './errors.js';
import type { OpenedSocket } from './openSocket.js';
import { ReconnectLoop } from './reconnectLoop.js';

/** Every attempt fails with the next error of `failures`, then succeeds; the loop's reports are recorded. */
function harness(backoff: BackoffOptions, failures: ConnectError[], retryInitialConnect = true) {
  const log = { attempts: [] as number[], delays: [] as number[], opened: 0, gaveUp: undefined as ConnectError | undefined };
  const socket: OpenedSocket = { ws: { terminate() {} } as unknown as WebSocket, protocol: 'ocpp1.6' };
  const loop = new ReconnectLoop(resolveBackoff({ jitter: 'none', ...backoff }), () => 0.5, { retryInitialConnect }, {
    attemptStarting: (attempt) => log.attempts.push(attempt),
    openSocket: () => {
      const error = failures.shift();
      return error ? Promise.reject(error) : Promise.resolve(socket);
    },
    opened: () => log.opened++,
    retryScheduled: (_attempt, delayMs) => log.delays.push(delayMs),
    gaveUp: (error) => (log.gaveUp = error),
  });
  return { loop, log };
}

const failed = (): ConnectError => new ConnectionFailedError('refused by the test');

describe('ReconnectLoop', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('waits at least what Retry-After asks, but never longer than maxMs', async () => {
    const { loop, log } = harness({ initialMs: 100, maxMs: 2000 }, [
      new ConnectionRefusedError(503, '', { retryAfterMs: 1500 }),
      new ConnectionRefusedError(503, '', { retryAfterMs: 60_000 }),
    ]);
    loop.start();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(log.delays).toEqual([1500, 2000]);
    expect(log.opened).toBe(1);
  });

  it('gives up after backoff.maxAttempts consecutive failures', async () => {
    const { loop, log } = harness({ initialMs: 100, maxAttempts: 3 }, [failed(), failed(), failed(), failed()]);
    loop.start();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(log.attempts).toEqual([0, 1, 2]);
    expect(log.gaveUp).toBeInstanceOf(ConnectionFailedError);
    expect(log.opened).toBe(0);
  });

  it('makes one attempt on the first connect without retryInitialConnect', async () => {
    const { loop, log } = harness({ initialMs: 100 }, [failed()], false);
    loop.start();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(log.attempts).toEqual([0]);
    expect(log.gaveUp).toBeInstanceOf(ConnectionFailedError);
  });

  it('keeps growing the wait when connections drop at once, and starts over after a stable one', async () => {
    const { loop, log } = harness({ initialMs: 100, maxMs: 10_000 }, []);
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    loop.dropped();
    await vi.advanceTimersByTimeAsync(100);
    loop.dropped();
    await vi.advanceTimersByTimeAsync(200);
    expect(log.delays).toEqual([100, 200]);
    await vi.advanceTimersByTimeAsync(10_000);
    loop.dropped();
    expect(log.delays).toEqual([100, 200, 100]);
    loop.stop();
  });

  it('stop() cancels the scheduled attempt', async () => {
    const { loop, log } = harness({ initialMs: 100 }, [failed()]);
    loop.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(log.delays).toEqual([100]);
    loop.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(log.attempts).toEqual([0]);
    expect(log.opened).toBe(0);
  });
});
