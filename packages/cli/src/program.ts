import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { benchCommand } from './commands/bench/benchCommand.js';
import { certsCommand } from './commands/certs/certsCommand.js';
import { checkCommand } from './commands/check/checkCommand.js';
import { fuzzCommand } from './commands/fuzz/fuzzCommand.js';
import { proxyCommand } from './commands/proxy/proxyCommand.js';
import { serveCommand } from './commands/serve/serveCommand.js';
import { simulateCommand } from './commands/simulate/simulateCommand.js';
import { validateCommand } from './commands/validate/validateCommand.js';
import type { CommandContext } from './context.js';
import { EndpointError, EXIT_FAILURES, EXIT_OK, EXIT_USAGE, UsageError, type ExitCode } from './exitCodes.js';
import type { CliIo } from './io.js';

const pkg = createRequire(import.meta.url)('../package.json') as { version: string };

/** Every command, in the order `--help` lists them. */
const COMMANDS: ReadonlyArray<(ctx: CommandContext) => Command> = [simulateCommand, proxyCommand, serveCommand, checkCommand, fuzzCommand, benchCommand, validateCommand, certsCommand];

/**
 * Builds the commander program. Commander never exits the process: errors surface as exceptions
 * (exitOverride) and `runCli` maps them to exit codes.
 */
export function createProgram(ctx: CommandContext): Command {
  const program = new Command('chargewire')
    .description('OCPP-J toolkit: simulate chargers, benchmark, fuzz and check a CSMS, run a proxy or a local CSMS')
    .version(pkg.version)
    .exitOverride()
    .configureOutput({ writeOut: (text) => ctx.io.out(text), writeErr: (text) => ctx.io.err(text) })
    .showHelpAfterError('(run with --help for usage)');
  for (const make of COMMANDS) {
    const command = make(ctx)
      .exitOverride()
      .configureOutput({ writeOut: (text) => ctx.io.out(text), writeErr: (text) => ctx.io.err(text) })
      .showHelpAfterError('(run with --help for usage)');
    program.addCommand(command);
  }
  return program;
}

/**
 * Runs the CLI with `argv` (the arguments after the executable and script, e.g. `['bench', '--help']`)
 * and resolves with the exit code: 0 ok, 1 failures found, 2 usage error.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT_OK;
  const ctx: CommandContext = { io, setExitCode: (code) => (exitCode = code) };
  const program = createProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end through exitOverride with exitCode 0; `chargewire` alone shows help (code 1).
      if (err.exitCode === 0) return EXIT_OK;
      return EXIT_USAGE;
    }
    if (err instanceof UsageError) {
      io.err(`error: ${err.message}\n`);
      return EXIT_USAGE;
    }
    if (err instanceof EndpointError) {
      io.err(`error: ${err.message}\n`);
      return EXIT_FAILURES;
    }
    io.err(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT_FAILURES;
  }
}
