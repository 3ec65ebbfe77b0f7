import fc from 'fast-check';
import { isKnownAction } from '@chargewire/ocpp-types';
import { EndpointError } from '../../exitCodes.js';
import { truncate } from '../../net/frames.js';
import * as arb from './arbitraries.js';
import { FuzzHarness, ServerCrashedError } from './harness.js';
import { describe, describeReaction, expectationFor, familyOf, frameText, judge, type FuzzCase } from './oracle.js';

/** A family of generated frames, checked as one fast-check property. */
export interface FuzzCategory {
  name: string;
  summary: string;
  arbitrary: fc.Arbitrary<FuzzCase>;
  /** A CALL the CSMS must answer with a CALLRESULT for this category to apply (else it is skipped). */
  requires?: { action: string; payload: unknown };
}

/** Every category for `protocol` (schema-boundary categories are added by the caller when available). */
export function fuzzCategories(protocol: string): FuzzCategory[] {
  const known = (action: string): boolean => ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'].some((p) => isKnownAction(p, action));
  return [
    { name: 'invalid-json', summary: 'broken JSON', arbitrary: arb.invalidJson() },
    { name: 'not-a-frame', summary: 'JSON that is not an OCPP-J array', arbitrary: arb.notAFrame() },
    { name: 'unknown-type', summary: 'undefined message type numbers', arbitrary: arb.unknownType(protocol) },
    { name: 'stray-response', summary: 'responses to CALLs never sent', arbitrary: arb.strayResponse() },
    { name: 'send', summary: 'SEND frames (2.1) / unknown type elsewhere', arbitrary: arb.send() },
    { name: 'bad-id', summary: 'message ids that are not strings or empty', arbitrary: arb.badId() },
    { name: 'long-id', summary: 'message ids over 36 characters', arbitrary: arb.longId() },
    { name: 'bad-arity', summary: 'CALLs with the wrong number of elements', arbitrary: arb.badArity() },
    { name: 'bad-action', summary: 'CALLs whose action is not a string', arbitrary: arb.badAction() },
    { name: 'unknown-action', summary: 'actions no version defines', arbitrary: arb.unknownAction(known) },
    { name: 'bad-payload', summary: 'payloads that are not objects', arbitrary: arb.badPayload() },
  ];
}

/** Options of {@link runFuzz}. */
export interface FuzzOptions {
  url: string;
  protocol: string;
  /** fast-check seed; random when omitted (reported so a run can be replayed). */
  seed?: number;
  /** Generated frames per category. @default 30 */
  runs?: number;
  /** Only these categories (names). */
  only?: readonly string[];
  /** fast-check replay path of a reported deviation (needs one category in `only`). */
  path?: string;
  /** Answer deadline per frame. @default 2000 */
  deadlineMs?: number;
  /** Extra categories (schema-boundary payloads). */
  extraCategories?: readonly FuzzCategory[];
  onCategory?: (result: CategoryResult) => void;
  /** Basic-auth password (security profiles 1/2). */
  password?: string;
}

/** One reported deviation: the shrunk reproducer and how to replay it. */
export interface Deviation {
  frame: string;
  expected: string;
  actual: string;
  message: string;
  /** fast-check path to replay this counterexample with `--seed` and `--path`. */
  path: string;
  /** Frames the server got wrong in this category before shrinking. */
  failures: number;
}

export interface CategoryResult {
  name: string;
  summary: string;
  runs: number;
  deviation?: Deviation;
  /** Why the category did not run (the CSMS does not implement its action). */
  skipped?: string;
}

export interface FuzzReport {
  url: string;
  protocol: string;
  seed: number;
  runsPerCategory: number;
  framesSent: number;
  categories: CategoryResult[];
  /** Set when the server stopped accepting connections: the frame that (probably) crashed it. */
  crash?: { message: string; lastFrame: string | undefined };
  deviations: number;
}

/**
 * Runs each category as a fast-check property against the endpoint: every generated frame is sent and
 * the reaction judged by the oracle; a failing category is shrunk to a minimal reproducer.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  const runs = options.runs ?? 30;
  const family = familyOf(options.protocol);
  const harness = new FuzzHarness({
    url: options.url,
    protocol: options.protocol,
    ...(options.deadlineMs ? { deadlineMs: options.deadlineMs } : {}),
    ...(options.password !== undefined ? { password: options.password } : {}),
  });
  await harness.start();
  const categories = [...fuzzCategories(options.protocol), ...(options.extraCategories ?? [])].filter(
    (c) => !options.only || options.only.includes(c.name),
  );
  const results: CategoryResult[] = [];
  let crash: FuzzReport['crash'];
  try {
    for (const category of categories) {
      if (category.requires) {
        const { action, payload } = category.requires;
        const reaction = await harness.exchange(JSON.stringify([2, `cw-req-${category.name}`, action, payload]), true);
        if (reaction.kind === 'hang' || reaction.kind === 'closed' || reaction.kind === 'unparseable') {
          // Not "unsupported": the server misbehaved on a valid CALL, which is itself a deviation.
          const text = JSON.stringify([2, `cw-req-${category.name}`, action, payload]);
          const message = judge({ reply: 'callResult', id: `cw-req-${category.name}` }, reaction, family) ?? 'no CALLRESULT';
          const result: CategoryResult = { name: category.name, summary: category.summary, runs: 1, deviation: { frame: truncate(text, 400), expected: 'CALLRESULT', actual: describeReaction(reaction), message, path: '', failures: 1 } };
          results.push(result);
          options.onCategory?.(result);
          continue;
        }
        if (reaction.kind !== 'callResult') {
          const result: CategoryResult = { name: category.name, summary: category.summary, runs: 0, skipped: `${action} is not answered with a CALLRESULT (${describeReaction(reaction)})` };
          results.push(result);
          options.onCategory?.(result);
          continue;
        }
      }
      const seen = new Map<string, { expected: string; actual: string; message: string }>();
      let failures = 0;
      const property = fc.asyncProperty(category.arbitrary, async (c) => {
        const text = frameText(c);
        const expected = expectationFor(c, family);
        const reaction = await harness.exchange(text, expected.reply !== 'none');
        const message = judge(expected, reaction, family);
        if (message === undefined) return true;
        failures++;
        seen.set(text, { expected: describe(expected), actual: describeReaction(reaction), message });
        return false;
      });
      const details = await fc.check(property, {
        seed,
        numRuns: runs,
        ...(options.path ? { path: options.path } : {}),
        // Shrinking talks to the server too; bound it so a slow server cannot stall the run.
        interruptAfterTimeLimit: 120_000,
      });
      if (details.errorInstance instanceof ServerCrashedError || details.errorInstance instanceof EndpointError) throw details.errorInstance;
      const result: CategoryResult = { name: category.name, summary: category.summary, runs: details.numRuns };
      const counterexample = details.counterexample?.[0];
      if (details.failed && counterexample) {
        const frame = frameText(counterexample);
        const info = seen.get(frame) ?? { expected: describe(expectationFor(counterexample, family)), actual: 'unknown', message: 'failed' };
        result.deviation = { frame: truncate(frame, 400), ...info, path: details.counterexamplePath ?? '', failures };
      }
      results.push(result);
      options.onCategory?.(result);
    }
  } catch (err) {
    if (!(err instanceof ServerCrashedError)) throw err;
    crash = { message: err.message, lastFrame: harness.lastFrame };
  } finally {
    await harness.stop();
  }
  return {
    url: options.url,
    protocol: options.protocol,
    seed,
    runsPerCategory: runs,
    framesSent: harness.sent,
    categories: results,
    ...(crash ? { crash } : {}),
    deviations: results.filter((r) => r.deviation).length + (crash ? 1 : 0),
  };
}
