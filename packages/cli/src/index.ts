export { createProgram, runCli } from './program.js';
export type { CliIo } from './io.js';
export { processIo } from './io.js';
export type { CommandContext } from './context.js';
export { EXIT_OK, EXIT_FAILURES, EXIT_USAGE, UsageError, EndpointError, type ExitCode } from './exitCodes.js';
export { runBench, BENCH_ACTIONS, type BenchOptions, type BenchResult, type BenchProgress, type BenchAction } from './commands/bench/runBench.js';
export { latencyStats, percentile, type LatencyStats } from './commands/bench/latencyStats.js';
