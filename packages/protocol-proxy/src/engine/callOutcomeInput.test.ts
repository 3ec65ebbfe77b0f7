import { describe, expect, it } from 'vitest';
import { InMemorySessionStore } from '../store/inMemorySessionStore.js';
import type { TranslationFailure } from './errors.js';
import { createTranslator } from './translator.js';

const NOW = '2025-03-01T10:00:00.000Z';
const make = () => createTranslator({ store: new InMemorySessionStore(), now: () => new Date(NOW) });

// The README stores the outcomes in a variable before passing them: TypeScript infers `ok: boolean` there,
// which the discriminated CallOutcome alone refused without `as const`.
describe('chargerResult / backendResult outcomes', () => {
  it('accepts outcomes whose ok was widened to boolean (no as const)', async () => {
    const t = make();
    const out = await t.chargerCall('CP-1', 'Heartbeat', {});
    if (!out.ok) throw new Error('Heartbeat did not translate');
    const outcomes = [{ ok: true, result: { currentTime: NOW } }];
    expect(await t.chargerResult(out.context, outcomes)).toMatchObject({ ok: true, result: { currentTime: NOW } });
  });

  it('passes a widened CALLERROR outcome on, re-coded for the caller', async () => {
    const t = make();
    const out = await t.chargerCall('CP-1', 'Heartbeat', {});
    if (!out.ok) throw new Error('Heartbeat did not translate');
    const error: TranslationFailure = { code: 'RpcFrameworkError', description: 'bad', details: {} };
    const outcomes = [{ ok: false, error }];
    expect(await t.chargerResult(out.context, outcomes)).toMatchObject({ ok: false, error: { code: 'ProtocolError' } });
  });

  it('answers InternalError when ok does not match the fields of the outcome', async () => {
    const t = make();
    const error: TranslationFailure = { code: 'GenericError', description: '', details: {} };
    for (const outcome of [{ ok: false, result: { currentTime: NOW } }, { ok: true, error }]) {
      const out = await t.chargerCall('CP-1', 'Heartbeat', {});
      if (!out.ok) throw new Error('Heartbeat did not translate');
      const answer = await t.chargerResult(out.context, [outcome]);
      expect(answer).toMatchObject({ ok: false, error: { code: 'InternalError' } });
    }
  });
});
