import { Readable } from 'node:stream';
import type { CliIo } from '../io.js';

/** A CliIo that records output, for running commands in-process. */
export interface BufferIo extends CliIo {
  stdout: string;
  stderr: string;
  /** Aborts the io signal, like Ctrl-C. */
  abort(): void;
  /** Resolves with the first match of `pattern` in stdout, as soon as it is written. */
  waitForOut(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** The same for stderr. */
  waitForErr(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

export function bufferIo(stdin = '', isTTY = false): BufferIo {
  const controller = new AbortController();
  const listeners = new Set<() => void>();
  const io: BufferIo = {
    stdout: '',
    stderr: '',
    out: (text) => {
      io.stdout += text;
      for (const l of [...listeners]) l();
    },
    err: (text) => {
      io.stderr += text;
      for (const l of [...listeners]) l();
    },
    stdin: Readable.from([stdin]),
    isTTY,
    signal: controller.signal,
    abort: () => controller.abort(),
    waitForOut: (pattern, timeoutMs) => waitFor('stdout', pattern, timeoutMs),
    waitForErr: (pattern, timeoutMs) => waitFor('stderr', pattern, timeoutMs),
  };
  const waitFor = (stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const match = io[stream].match(pattern);
        if (!match) return;
        listeners.delete(check);
        clearTimeout(timer);
        resolve(match);
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`${stream} never matched ${pattern}: ${io[stream].slice(-500)}`));
      }, timeoutMs);
      listeners.add(check);
      check();
    });
  return io;
}
