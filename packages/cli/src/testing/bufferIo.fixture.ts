import { Readable } from 'node:stream';
import type { CliIo } from '../io.js';

/** A CliIo that records output, for running commands in-process. */
export interface BufferIo extends CliIo {
  stdout: string;
  stderr: string;
  abort(): void;
}

export function bufferIo(stdin = '', isTTY = false): BufferIo {
  const controller = new AbortController();
  const io: BufferIo = {
    stdout: '',
    stderr: '',
    out: (text) => void (io.stdout += text),
    err: (text) => void (io.stderr += text),
    stdin: Readable.from([stdin]),
    isTTY,
    signal: controller.signal,
    abort: () => controller.abort(),
  };
  return io;
}
