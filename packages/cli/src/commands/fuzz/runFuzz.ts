import fc from 'fast-check';
import { getValidator } from '@chargewire/ocpp-types';
import { EndpointError } from '../../exitCodes.js';
import { truncate } from '../../net/frames.js';
import { fuzzCategories, probeCall, type FuzzCategory, type FuzzDirection } from './categories.js';
import { FuzzHarness, UnreachableError, type ConnectionSource } from './harness.js';
import { assess, describe, describeReaction, expectationFor, familyOf, frameText, type FindingKind, type FuzzCase } from './oracle.js';
import { fuzzProgress } from './progress.js';

/** Options of {@link runFuzz}. */
export interface FuzzOptions {
  /** Where the worker connections come from (a dialled CSMS or chargers connecting to us). */
  source: ConnectionSource;
  /** The target as printed in the report (endpoint URL or listen address). */
  target: string;
  protocol: string;
  /** `toCsms`: the fuzzer plays the charger; `toCharger`: it plays the CSMS. @default 'toCsms' */
  direction?: FuzzDirection;
  /** fast-check seed; random when omitted (reported so a run can be replayed). */
  seed?: number;
  /** Generated cases per category. @default 100 */
  runs?: number;
  /** Time budget of the whole run (shrinking included); categories not started by then are left out. @default 60000 */
  durationMs?: number;
  /** Parallel connections, each running one category at a time. @default 4 */
  connections?: number;
  /** Only these categories (names). */
  only?: readonly string[];
  /** fast-check replay path of a reported finding (needs one category in `only`). */
  path?: string;
  /** Answer deadline per frame. @default 2000 */
  deadlineMs?: number;
  /** Extra wait for a late answer to a frame the target must ignore (see FuzzHarness). @default 0 */
  graceMs?: number;
  /** Time spent shrinking one finding against the live target (never past `durationMs`, but at least 1 s). @default 10000 */
  shrinkMs?: number;
  /** Shrink attempts per finding. @default 300 */
  maxShrinkSteps?: number;
  /** Bad frames per connection before a fresh one is opened (see HarnessOptions). @default 8 */
  badFrameBudget?: number;
  /** Builds the replay command printed with a finding. */
  replayCommand?: (category: string, path: string) => string;
  /** Called once per category when it is done. */
  onCategory?: (result: CategoryResult, finding: Finding | undefined) => void;
  /** Progress bar output (a terminal's stderr); no bar when undefined. */
  progress?: (text: string) => void;
}

/** One finding: what went wrong, the shrunk reproducer and how to replay it. */
export interface Finding {
  kind: FindingKind;
  category: string;
  message: string;
  /** The shrunk reproducer frame. */
  frame: string;
  expected: string;
  actual: string;
  /** fast-check path to replay this counterexample with `--seed`, `--only <category>` and `--path`. */
  path: string;
  /** Cases of the category that failed before shrinking. */
  failures: number;
  replay: string;
}

export interface CategoryResult {
  name: string;
  summary: string;
  /** Cases sent. */
  runs: number;
  /** The kind of the category's finding, when it has one. */
  finding?: FindingKind;
  /** The target answered NotImplemented to valid CALLs of this action, so the category stopped early. */
  notImplemented?: boolean;
  /** The time budget ran out before the category ran all its cases. */
  cutShort?: boolean;
}

export interface FuzzReport {
  target: string;
  protocol: string;
  direction: FuzzDirection;
  seed: number;
  runsPerCategory: number;
  connections: number;
  elapsedMs: number;
  /** Frames sent, probes included. */
  framesSent: number;
  framesPerSecond: number;
  categories: CategoryResult[];
  findings: Finding[];
}

/** A valid CALL answered NotImplemented this many times in a row: the action is not implemented, stop early. */
const NOT_IMPLEMENTED_STREAK = 3;

/** Per-category seed, so `--only <category> --seed S --path P` replays what a full run found. */
function categorySeed(seed: number, name: string): number {
  let h = seed | 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h | 0;
}

function responseChecker(protocol: string, action: string | undefined): ((payload: unknown) => string | undefined) | undefined {
  const validate = action ? getValidator(protocol, action, 'response') : undefined;
  if (!validate) return undefined;
  return (payload) => {
    const result = validate(payload);
    if (result.valid) return undefined;
    return result.violations.map((v) => `${v.pointer || '/'} ${v.message}`).slice(0, 3).join('; ');
  };
}

/**
 * Runs each category as a fast-check property against the target: every generated frame is sent and the
 * reaction judged by the oracle. Categories run in parallel on `connections` connections, one frame at a time
 * on each; a failing category is shrunk against the live target (bounded by `shrinkMs`/`maxShrinkSteps`).
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const runs = options.runs ?? 100;
  const direction = options.direction ?? 'toCsms';
  const family = familyOf(options.protocol);
  const started = Date.now();
  const deadline = started + (options.durationMs ?? 60_000);
  const shrinkMs = options.shrinkMs ?? 10_000;
  const maxShrinkSteps = options.maxShrinkSteps ?? 300;
  const categories = fuzzCategories(options.protocol, direction).filter((c) => !options.only || options.only.includes(c.name));
  const connections = Math.max(1, Math.min(options.connections ?? 4, categories.length));
  const findings: Finding[] = [];
  const results: CategoryResult[] = [];
  const harnesses: FuzzHarness[] = [];
  const progress = fuzzProgress(categories.length * runs, options.progress);
  const framesSent = (): number => harnesses.reduce((sum, h) => sum + h.sent, 0);
  let unreachable: UnreachableError | undefined;
  let fatal: Error | undefined;
  let anySent = false;

  const runCategory = async (category: FuzzCategory, harness: FuzzHarness): Promise<void> => {
    const checkResult = responseChecker(options.protocol, category.action);
    let executed = 0;
    let failures = 0;
    let notImplementedStreak = 0;
    let first: { kind: FindingKind; shrinkUntil: number; steps: number } | undefined;
    let latest: { frame: string; expected: string; actual: string; message: string } | undefined;
    let cutShort = false;
    const property = fc.asyncProperty(category.arbitrary(), async (c: FuzzCase) => {
      if (unreachable || fatal) return true;
      if (first) {
        // Shrinking budget spent: passing ends the shrink with the last failing case as the reproducer.
        if (++first.steps > maxShrinkSteps || Date.now() > first.shrinkUntil) return true;
      } else {
        if (Date.now() > deadline) return !(cutShort = true);
        if (notImplementedStreak >= NOT_IMPLEMENTED_STREAK) return true;
      }
      const text = frameText(c);
      const expected = expectationFor(c, family);
      let reaction;
      try {
        reaction = await harness.exchange(text, expected.reply !== 'none', expected.reply !== 'callResult');
      } catch (err) {
        // Thrown out of the property, an error would be "shrunk"; it ends the run instead.
        if (!(err instanceof UnreachableError) || !anySent) {
          fatal ??= err instanceof UnreachableError ? new EndpointError(err.message) : err instanceof Error ? err : new Error(String(err));
          return true;
        }
        unreachable ??= err;
        findings.push({
          kind: 'unreachable',
          category: category.name,
          message: err.message,
          frame: truncate(harness.lastFrame ?? text, 400),
          expected: 'the target accepts a new connection',
          actual: 'no connection',
          path: '',
          failures: 1,
          replay: '',
        });
        return true;
      }
      anySent = true;
      if (!first) {
        executed++;
        progress.tick(framesSent(), findings.length);
      }
      if (expected.reply === 'callResult') {
        notImplementedStreak = reaction.kind === 'callError' && reaction.code === 'NotImplemented' ? notImplementedStreak + 1 : 0;
      }
      const verdict = assess(expected, reaction, family, checkResult);
      if (!verdict || unreachable) return true;
      if (!first) {
        failures++;
        first = { kind: verdict.kind, shrinkUntil: Math.min(Date.now() + shrinkMs, Math.max(deadline, Date.now() + 1000)), steps: 0 };
      } else if (verdict.kind !== first.kind) {
        return true; // a different problem: keep shrinking the one found first
      }
      latest = { frame: text, expected: describe(expected), actual: describeReaction(reaction), message: verdict.message };
      return false;
    });
    const details = await fc.check(property, {
      seed: categorySeed(seed, category.name),
      numRuns: runs,
      ...(options.path ? { path: options.path } : {}),
    });
    if (fatal) throw fatal;
    if (details.failed && !first) {
      throw details.errorInstance instanceof Error ? details.errorInstance : new Error('fuzz property failed without a finding');
    }
    const result: CategoryResult = { name: category.name, summary: category.summary, runs: executed };
    if (notImplementedStreak >= NOT_IMPLEMENTED_STREAK) result.notImplemented = true;
    if (cutShort) result.cutShort = true;
    let finding: Finding | undefined;
    if (details.failed && first && latest) {
      const path = details.counterexamplePath ?? '';
      finding = {
        kind: first.kind,
        category: category.name,
        message: latest.message,
        frame: truncate(latest.frame, 2000),
        expected: latest.expected,
        actual: latest.actual,
        path,
        failures,
        replay: options.replayCommand?.(category.name, path) ?? '',
      };
      findings.push(finding);
      result.finding = first.kind;
    }
    results.push(result);
    options.onCategory?.(result, finding);
  };

  const queue = [...categories];
  const worker = async (index: number): Promise<void> => {
    const harness = new FuzzHarness({
      source: options.source,
      worker: index,
      probe: probeCall(options.protocol, direction),
      ...(options.deadlineMs !== undefined ? { deadlineMs: options.deadlineMs } : {}),
      ...(options.graceMs !== undefined ? { graceMs: options.graceMs } : {}),
      ...(options.badFrameBudget !== undefined ? { badFrameBudget: options.badFrameBudget } : {}),
    });
    harnesses.push(harness);
    try {
      for (let category = queue.shift(); category && !unreachable && !fatal; category = queue.shift()) {
        if (Date.now() > deadline) {
          results.push({ name: category.name, summary: category.summary, runs: 0, cutShort: true });
          continue;
        }
        await runCategory(category, harness);
      }
    } finally {
      await harness.stop();
    }
  };
  try {
    await Promise.all(Array.from({ length: connections }, (_, i) => worker(i)));
  } finally {
    progress.done();
  }
  const elapsedMs = Date.now() - started;
  const order = new Map(categories.map((c, i) => [c.name, i]));
  results.sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0));
  return {
    target: options.target,
    protocol: options.protocol,
    direction,
    seed,
    runsPerCategory: runs,
    connections,
    elapsedMs,
    framesSent: framesSent(),
    framesPerSecond: Math.round(framesSent() / Math.max(0.001, elapsedMs / 1000)),
    categories: results,
    findings,
  };
}
