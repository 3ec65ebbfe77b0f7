/** At most one report per this interval, however many messages are rejected (a flood must not flood the log). */
export const REJECTED_LOG_INTERVAL_MS = 10_000;

/**
 * Counts cluster messages that failed signature verification and reports them without their content (it is
 * attacker-controlled, and may be a captured message of the cluster): the first at once, then at most one
 * summary per {@link REJECTED_LOG_INTERVAL_MS}.
 */
export class RejectedMessageLog {
  #count = 0;
  #unreported = 0;
  #lastReportAt = -Infinity;
  readonly #report: (error: Error) => void;
  readonly #now: () => number;

  constructor(
    report: (error: Error) => void,
    now: () => number = Date.now,
  ) {
    this.#report = report;
    this.#now = now;
  }

  /** Total messages rejected since the adapter was created. */
  get count(): number {
    return this.#count;
  }

  record(channel: string): void {
    this.#count++;
    this.#unreported++;
    const now = this.#now();
    if (now - this.#lastReportAt < REJECTED_LOG_INTERVAL_MS) return;
    this.#lastReportAt = now;
    const n = this.#unreported;
    this.#unreported = 0;
    this.#report(
      new Error(
        `dropped ${n} cluster message${n === 1 ? '' : 's'} on ${channel} that failed signature verification ` +
          `(missing or different secret, or a publish from outside the cluster); ${this.#count} in total`,
      ),
    );
  }
}
