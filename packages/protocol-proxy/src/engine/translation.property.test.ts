import { getValidator } from '@chargewire/ocpp-types';
import { exampleFor } from '@chargewire/ocpp-types/examples';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InMemorySessionStore } from '../store/inMemorySessionStore.js';
import type { UpstreamProtocol } from '../wire/types.js';
import type { CallOutcome } from './plan.js';
import { BACKEND_ACTIONS, CHARGER_ACTIONS } from './tables.js';
import { createTranslator, type Translator } from './translator.js';

/**
 * Property: every schema-valid message of either direction translates into a schema-valid message of the other
 * version (or into a CALLERROR with a clear code — never InternalError), and every schema-valid answer translates
 * back into a schema-valid answer. Payloads come from ocpp-types' seeded schema example generator.
 */

const RUNS = 30;
/** CALLERRORs a translation may legitimately produce for a schema-valid input. */
const CLEAN_CODES = new Set(['NotSupported', 'FormatViolation', 'PropertyConstraintViolation', 'OccurrenceConstraintViolation', 'TypeConstraintViolation']);

type Json = Record<string, unknown>;

/** Walks a generated payload: 1.6 sampled values become numeric strings (what meters send). */
function numericSamples(value: unknown, numbers: number[]): void {
  if (Array.isArray(value)) return value.forEach((v) => numericSamples(v, numbers));
  if (value && typeof value === 'object') {
    const obj = value as Json;
    if (Array.isArray(obj['sampledValue'])) {
      for (const s of obj['sampledValue'] as Json[]) s['value'] = String(numbers.shift() ?? 0);
    }
    Object.values(obj).forEach((v) => numericSamples(v, numbers));
  }
}

function isValid(protocol: string, action: string, kind: 'request' | 'response', payload: unknown): string | true {
  const result = getValidator(protocol, action, kind)?.(payload);
  if (!result) return `no validator for ${protocol} ${action} ${kind}`;
  return result.valid ? true : `${protocol} ${action} ${kind} invalid: ${JSON.stringify(result.violations.slice(0, 2))} in ${JSON.stringify(payload)}`;
}

function make(upstream: UpstreamProtocol, securityExtension = false): Translator {
  return createTranslator({ store: new InMemorySessionStore(), upstreamProtocol: upstream, policy: { securityExtension } });
}

const numbers = fc.array(fc.oneof(fc.integer({ min: -1e6, max: 1e9 }), fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true })), {
  minLength: 40,
  maxLength: 40,
});

describe.each(['ocpp2.0.1', 'ocpp2.1'] as const)('properties with upstream %s', (upstream) => {
  it.each(Object.keys(CHARGER_ACTIONS))('charger %s translates to valid frames both ways', async (action) => {
    let forwarded = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer(), fc.integer(), numbers, async (seed, answerSeed, nums) => {
        const t = make(upstream);
        const params = exampleFor('ocpp1.6', action, 'request', { seed }) as Json;
        numericSamples(params, [...nums]);
        const tr = await t.chargerCall('CP', action, params);
        if (!tr.ok) {
          expect(CLEAN_CODES.has(tr.error.code), `${tr.error.code}: ${tr.error.description}`).toBe(true);
          return;
        }
        forwarded++;
        const outcomes: CallOutcome[] = [];
        for (const call of tr.calls) {
          expect(isValid(upstream, call.action, 'request', call.params)).toBe(true);
          outcomes.push({ ok: true, result: exampleFor(upstream, call.action, 'response', { seed: answerSeed }) });
        }
        const res = await t.chargerResult(tr.context, outcomes);
        expect(res.ok, res.ok ? '' : `${res.error.code}: ${res.error.description}`).toBe(true);
        if (res.ok) expect(isValid('ocpp1.6', action, 'response', res.result)).toBe(true);
      }),
      { numRuns: RUNS },
    );
    expect(forwarded).toBeGreaterThan(0);
  });

  it.each(Object.keys(BACKEND_ACTIONS))('backend %s translates to valid frames both ways', async (action) => {
    await fc.assert(
      fc.asyncProperty(fc.integer(), fc.integer(), fc.boolean(), async (seed, answerSeed, securityExtension) => {
        const t = make(upstream, securityExtension);
        const params = exampleFor(upstream, action, 'request', { seed });
        const tr = await t.backendCall('CP', action, params);
        if (!tr.ok) {
          expect(CLEAN_CODES.has(tr.error.code), `${tr.error.code}: ${tr.error.description}`).toBe(true);
          return;
        }
        const outcomes: CallOutcome[] = [];
        for (const call of tr.calls) {
          expect(isValid('ocpp1.6', call.action, 'request', call.params)).toBe(true);
          outcomes.push({ ok: true, result: exampleFor('ocpp1.6', call.action, 'response', { seed: answerSeed }) });
        }
        const res = await t.backendResult(tr.context, outcomes);
        expect(res.ok, res.ok ? '' : `${res.error.code}: ${res.error.description}`).toBe(true);
        if (res.ok) expect(isValid(upstream, action, 'response', res.result)).toBe(true);
        if (res.ok) for (const c of res.followUps) expect(isValid(upstream, c.action, 'request', c.params)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});
