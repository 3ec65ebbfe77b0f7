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
}

export interface StatsHistoryOptions {
  /** @default 2000 */
  intervalMs?: number;
  /** Samples kept (at the default interval, five minutes). @default 150 */
  capacity?: number;
}

const sum = (record: Record<string, number>): number => Object.values(record).reduce((a, b) => a + b, 0);

/**
 * Samples `stats()` on a timer into a bounded ring, so a dashboard opened now sees the last minutes at
 * once and every dashboard shares one sampler instead of each polling its own counters.
 */
export class StatsHistory {
  readonly #samples: StatsSample[] = [];
  readonly #capacity: number;
  readonly #timer: NodeJS.Timeout;
  #previous: { t: number; calls: number; errors: number } | undefined;

  constructor(
    readonly read: () => ServerStats,
    options: StatsHistoryOptions = {},
  ) {
    this.#capacity = options.capacity ?? 150;
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
  }
}
