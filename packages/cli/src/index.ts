// The published declarations use Node's types (events, Buffer, http, ...). TypeScript 6+ no longer loads
// @types/* by itself, so the emitted .d.ts keeps this reference (preserve) and the package depends on @types/node.
/// <reference types="node" preserve="true" />
// Public surface: `runCli` and the command engines listed under "Programmatic use" in the README. Their
// helpers (percentiles, the fuzz category table, the string form of the oracle) are internal. The committed
// API report (api/cli.api.md) lists the surface.
export { createProgram, runCli } from './program.js';
export type { CliIo } from './io.js';
export { processIo } from './io.js';
export type { CommandContext } from './context.js';
export { EXIT_OK, EXIT_FAILURES, EXIT_USAGE, UsageError, EndpointError, type ExitCode } from './exitCodes.js';
export { runBench, BENCH_ACTIONS, type BenchOptions, type BenchResult, type BenchProgress, type BenchAction } from './commands/bench/runBench.js';
export { latencyStats, type LatencyStats } from './commands/bench/latencyStats.js';
export { runCheck, type CheckOptions, type CheckReport } from './commands/check/runCheck.js';
export type { RuleResult, RuleStatus } from './commands/check/ruleResult.js';
export { runFuzz, type FuzzOptions, type FuzzReport, type CategoryResult, type Finding } from './commands/fuzz/runFuzz.js';
export type { FuzzCategory, FuzzDirection } from './commands/fuzz/categories.js';
export { endpointSource, type EndpointSourceOptions } from './commands/fuzz/endpointSource.js';
export { listenForCharger, type ListenSource, type ListenSourceOptions } from './commands/fuzz/listenSource.js';
export { UnreachableError, type ConnectionSource } from './commands/fuzz/harness.js';
export { payloadArbitrary, type PayloadArbitraryOptions } from './commands/fuzz/schemaArbitrary.js';
export { assess, expectationFor, type FindingKind, type Verdict, type FuzzCase, type Expectation, type Reaction } from './commands/fuzz/oracle.js';
export { validateText, type ValidationReport, type ValidateTextOptions } from './commands/validate/validateText.js';
export { startLocalCsms, type LocalCsms, type LocalCsmsOptions } from './commands/serve/localCsms.js';
export { Simulator, type SimulatorOptions, type LogLine, type ConnectionState } from './commands/simulate/simulator.js';
export { parseScript, ScriptError, type Step, type ScriptStep } from './commands/simulate/scenario.js';
export { runScript, type ScriptResult } from './commands/simulate/runScript.js';
