/** Live progress of a fuzz run on a terminal (stderr), redrawn at most every 100 ms. */
export interface FuzzProgress {
  tick(frames: number, findings: number): void;
  done(): void;
}

const WIDTH = 28;

/** A one-line progress bar; a no-op when `write` is undefined (not a TTY, or --json). */
export function fuzzProgress(total: number, write: ((text: string) => void) | undefined, now: () => number = Date.now): FuzzProgress {
  if (!write) return { tick: () => undefined, done: () => undefined };
  const started = now();
  let cases = 0;
  let last = 0;
  return {
    tick(frames, findings) {
      cases++;
      const t = now();
      if (t - last < 100 && cases < total) return;
      last = t;
      const ratio = Math.min(1, cases / Math.max(1, total));
      const filled = Math.round(ratio * WIDTH);
      const rate = frames / Math.max(0.001, (t - started) / 1000);
      write(`\r\x1b[K[${'#'.repeat(filled)}${' '.repeat(WIDTH - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}%  ${cases}/${total} cases  ${Math.round(rate)} frames/s  ${findings} finding(s)`);
    },
    done() {
      write('\r\x1b[K');
    },
  };
}
