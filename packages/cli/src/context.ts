import type { ExitCode } from './exitCodes.js';
import type { CliIo } from './io.js';

/** What every command action gets: the I/O and a way to report its exit code. */
export interface CommandContext {
  io: CliIo;
  /** Records the exit code of the command that ran (the last call wins). */
  setExitCode(code: ExitCode): void;
}
