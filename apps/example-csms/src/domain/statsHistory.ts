import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { ServerStats } from '@chargewire/server';

/** One sample of the server's `stats()` for the dashboard's small charts. */
export interface StatsSample {
  at: string;
  /** Open connections by subprotocol. */
  connections: Record<string, number>;
  /** CALLs handled per second (both directions) since the previous sample. */
  callsPerS: number;
  /** CALLERRORs per second since the previous sample. */
  errorsPerS: number;
  /** Latency percentiles of answering chargers' CALLs (ms). */
  latencyInMs: { p50: number; p90: number; p99: number };
  /** Latency percentiles of chargers answering our CALLs (ms). */
  latencyOutMs: { p50: number; p90: number; p99: number };
  /**
   * How late this process's event loop ran since the previous sample (ms; 10 ms resolution): a CALL that
   * arrives while the loop is held up (a long synchronous task, a GC pause, a CPU shared with other work)
   * waits at least this long before its handler starts.
   */
  eventLoopDelayMs: { p50: number; p99: number; max: number };
  /** This process's memory at the sample (MB): resident set and the V8 heap in use. */
  memoryMb: { rss: number; heapUsed: number };
}

export interface StatsHistoryOptions {
  /** @default 2000 */
  intervalMs?: number;
  /** Samples kept (at the default interval, five minutes). @default 150 */
  capacity?: number;
}

/** The event-loop monitor's timer period (ms): fine enough for the delays that matter to a charger. */
const LOOP_RESOLUTION_MS = 10;

const sum = (record: Record<string, number>): number => Object.values(record).reduce((a, b) => a + b, 0);

/**
 * Samples `stats()` on a timer into a bounded ring, so a dashboard opened now sees the last minutes at
 * once and every dashboard shares one sampler instead of each polling its own counters.
 */
export class StatsHistory {
  readonly #samples: StatsSample[] = [];
  readonly #capacity: number;
  readonly #timer: NodeJS.Timeout;
  readonly #loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  #previous: { t: number; calls: number; errors: number } | undefined;

  constructor(
    readonly read: () => ServerStats,
    options: StatsHistoryOptions = {},
  ) {
    this.#capacity = options.capacity ?? 150;
    this.#loopDelay.enable();
    this.sample();
    this.#timer = setInterval(() => this.sample(), options.intervalMs ?? 2000);
    this.#timer.unref();
  }

  /** Takes one sample now (the timer calls this). */
  sample(): StatsSample {
    const stats = this.read();
    const t = Date.now();
    const calls = stats.calls.in + stats.calls.out;
    const errors = sum(stats.errors);
    const dt = this.#previous === undefined ? 0 : (t - this.#previous.t) / 1000;
    const rate = (now: number, before: number | undefined): number =>
      dt > 0 && before !== undefined ? Math.round(((now - before) / dt) * 100) / 100 : 0;
    const pick = ({ p50, p90, p99 }: { p50: number; p90: number; p99: number }) => ({ p50, p90, p99 });
    const sample: StatsSample = {
      at: new Date(t).toISOString(),
      connections: Object.fromEntries(Object.entries(stats.connections.byProtocol).filter(([, n]) => n > 0)),
      callsPerS: rate(calls, this.#previous?.calls),
      errorsPerS: rate(errors, this.#previous?.errors),
      latencyInMs: pick(stats.latencyMs.in),
      latencyOutMs: pick(stats.latencyMs.out),
      eventLoopDelayMs: this.#eventLoopDelay(),
      memoryMb: memoryMb(),
    };
    this.#previous = { t, calls, errors };
    this.#samples.push(sample);
    if (this.#samples.length > this.#capacity) this.#samples.shift();
    return sample;
  }

  /** Oldest first. */
  list(): StatsSample[] {
    return [...this.#samples];
  }

  close(): void {
    clearInterval(this.#timer);
    this.#loopDelay.disable();
  }

  /** The delays since the previous sample (the histogram starts over at each one). */
  #eventLoopDelay(): StatsSample['eventLoopDelayMs'] {
    const h = this.#loopDelay;
    // The histogram holds the time between two of its timer's turns: the delay is what exceeds the timer's
    // period. Before the first turn it reports a sentinel (a huge min, NaN mean): say 0.
    const ms = (ns: number): number => (h.count > 0 && Number.isFinite(ns) ? Math.max(0, Math.round(ns / 10_000 - LOOP_RESOLUTION_MS * 100) / 100) : 0);
    const delay = { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) };
    h.reset();
    return delay;
  }
}

function memoryMb(): StatsSample['memoryMb'] {
  const { rss, heapUsed } = process.memoryUsage();
  const mb = (bytes: number): number => Math.round(bytes / 10_485.76) / 100;
  return { rss: mb(rss), heapUsed: mb(heapUsed) };
}
