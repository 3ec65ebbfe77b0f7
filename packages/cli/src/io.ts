import type { Readable } from 'node:stream';

/** Where a command writes and reads: the real process in the bin, buffers in tests. */
export interface CliIo {
  /** Write to standard output (results, `--json` documents). */
  out(text: string): void;
  /** Write to standard error (progress, diagnostics). */
  err(text: string): void;
  /** Standard input, for `validate -`. */
  stdin: Readable;
  /** True when stdout is an interactive terminal (enables the ink UIs). */
  isTTY: boolean;
  /** Aborted when the user interrupts (SIGINT/SIGTERM); long-running commands stop on it. */
  signal: AbortSignal;
}

/** The real process streams. `signal` is aborted on SIGINT or SIGTERM. */
export function processIo(): CliIo {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // `chargewire … | head` closes the pipe early: that is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    stdin: process.stdin,
    isTTY: process.stdout.isTTY === true,
    signal: controller.signal,
  };
}
