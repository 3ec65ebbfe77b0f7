import { randomUUID } from 'node:crypto';
import { getValidator } from '@chargewire/ocpp-types';
import { InMemorySessionStore } from '../store/inMemorySessionStore.js';
import type { SessionStore } from '../store/sessionStore.js';
import type { UpstreamProtocol, ValidatorLookup } from '../wire/types.js';
import { DEFAULT_CONFIG_KEYS, mergeConfigKeys, type ConfigKeyMapping } from './configKeys.js';
import { TranslationError, translateError, truncate, type TranslationFailure } from './errors.js';
import { toCallOutcome, type ActionPlan, type ActionTranslator, type CallOutcome, type CallOutcomeInput, type OutboundCall, type TranslatorEnv } from './plan.js';
import { resolvePolicy, type TranslationPolicy } from './policy.js';
import { BACKEND_ACTIONS, CHARGER_ACTIONS } from './tables.js';

export interface TranslatorOptions {
  /** Where per-charger state lives. @default new InMemorySessionStore() */
  store?: SessionStore;
  /** The backend's protocol. @default 'ocpp2.0.1' */
  upstreamProtocol?: UpstreamProtocol;
  /** Translation choices; see {@link TranslationPolicy} for each default. */
  policy?: Partial<TranslationPolicy>;
  /** Extra configuration-key rows, merged over {@link DEFAULT_CONFIG_KEYS} (same key or same variable replaces). */
  configKeys?: readonly ConfigKeyMapping[];
  /**
   * Validators for both versions. Incoming payloads are checked before translation, every translated payload
   * after it; a failure becomes a CALLERROR instead of a frame the other side cannot parse. `false` turns it off.
   * @default getValidator from @chargewire/ocpp-types
   */
  validators?: ValidatorLookup | false;
  /** Clock. @default () => new Date() */
  now?: () => Date;
  /** 2.0.1 transaction ids (≤ 36 characters). @default crypto.randomUUID */
  newTransactionId?: () => string;
}

/** What the engine may know about the charger's connection when it translates one of its calls. */
export interface ChargerCallOptions {
  /**
   * When the charger's current connection opened. Transaction messages timestamped earlier (beyond the
   * policy's `offlineSkewMs`) happened while it was offline: their TransactionEvent gets `offline: true`.
   */
  connectedSince?: Date;
}

/** Which side started the call being translated. */
export type CallDirection = 'charger' | 'backend';

/** Travels from a call's translation to its result's translation. Opaque apart from these fields. */
export interface TranslationContext {
  readonly identity: string;
  readonly direction: CallDirection;
  /** The action as received (1.6 for charger calls, 2.0.1 for backend calls). */
  readonly action: string;
  /** The actions sent to the other side, in order (may be empty when answered locally). */
  readonly targets: readonly string[];
}

export type CallTranslation =
  | { ok: true; calls: readonly OutboundCall[]; context: TranslationContext; notes: readonly string[] }
  | { ok: false; error: TranslationFailure; notes: readonly string[] };

export type ResultTranslation =
  | {
      ok: true;
      result: object;
      /** Calls to send to the original caller after the answer (validated like any translated call). */
      followUps: readonly OutboundCall[];
      notes: readonly string[];
    }
  | { ok: false; error: TranslationFailure; notes: readonly string[] };

/** The engine: pure apart from the session store it is given. */
export interface Translator {
  readonly upstreamProtocol: UpstreamProtocol;
  readonly store: SessionStore;
  readonly configKeys: readonly ConfigKeyMapping[];
  /** A 1.6 CALL from the charger → the 2.0.1 CALL(s) for the backend. */
  chargerCall(identity: string, action: string, params: unknown, options?: ChargerCallOptions): Promise<CallTranslation>;
  /** The backend's answers (in call order) → the 1.6 CALLRESULT or CALLERROR for the charger. */
  chargerResult(context: TranslationContext, outcomes: readonly CallOutcomeInput[]): Promise<ResultTranslation>;
  /** A 2.0.1 CALL from the backend → the 1.6 CALL(s) for the charger. */
  backendCall(identity: string, action: string, params: unknown): Promise<CallTranslation>;
  /** The charger's answers → the 2.0.1 CALLRESULT or CALLERROR for the backend. */
  backendResult(context: TranslationContext, outcomes: readonly CallOutcomeInput[]): Promise<ResultTranslation>;
  /** A CALLERROR from one side re-coded for the other side's version. */
  translateError(target: 'ocpp1.6' | UpstreamProtocol, error: TranslationFailure): TranslationFailure;
}

interface PendingState {
  plan: ActionPlan;
  env: TranslatorEnv;
  notes: string[];
  source: 'ocpp1.6' | UpstreamProtocol;
  target: 'ocpp1.6' | UpstreamProtocol;
}

function failure(err: unknown): TranslationFailure {
  if (err instanceof TranslationError) return err.toFailure();
  // Never leak an internal message or stack to a peer (DESIGN: errors).
  return { code: 'InternalError', description: 'translation failed', details: {} };
}

/**
 * Creates the translation engine.
 * @example
 * const t = createTranslator({ validators: getValidator });
 * const out = await t.chargerCall('CP-1', 'Heartbeat', {});
 * if (out.ok) { const res = await t.chargerResult(out.context, [{ ok: true, result: { currentTime } }]); }
 */
export function createTranslator(options: TranslatorOptions = {}): Translator {
  const store = options.store ?? new InMemorySessionStore();
  const upstream: UpstreamProtocol = options.upstreamProtocol ?? 'ocpp2.0.1';
  const policy = resolvePolicy(options.policy);
  const configKeys = mergeConfigKeys(DEFAULT_CONFIG_KEYS, options.configKeys);
  const validators = options.validators === false ? undefined : (options.validators ?? getValidator);
  const now = options.now ?? (() => new Date());
  const newTransactionId = options.newTransactionId ?? randomUUID;
  const pending = new WeakMap<TranslationContext, PendingState>();

  function check(protocol: string, action: string, kind: 'request' | 'response', payload: unknown, what: string): void {
    const validator = validators?.(protocol, action, kind);
    if (!validator) return;
    const result = validator(payload);
    if (result.valid) return;
    const first = result.violations[0];
    throw new TranslationError(
      first?.code ?? 'FormatViolation',
      truncate(`${what}: ${first ? `${first.pointer || '/'} ${first.message}` : 'invalid payload'}`, 255),
      { violations: result.violations.slice(0, 5).map((v) => ({ pointer: v.pointer, keyword: v.keyword, message: v.message })) },
    );
  }

  /**
   * The tables are written for the 2.0.1 shapes. A 2.1 request that is not also a valid 2.0.1 request uses 2.1
   * fields or values (V2X periods, dynamic profiles, ImmediateAndResume, customTrigger, …) that a 1.6 charger
   * cannot honour: NotSupported rather than a silent loss.
   */
  function requireV201Shape(action: string, params: unknown): void {
    const result = validators?.('ocpp2.0.1', action, 'request')?.(params);
    if (!result || result.valid) return;
    const first = result.violations[0];
    throw new TranslationError(
      'NotSupported',
      truncate(`${action}: uses OCPP ${upstream.slice(4)} content with no OCPP 1.6 counterpart (${first?.pointer || '/'} ${first?.message ?? ''})`, 255),
      { action, pointer: first?.pointer ?? '' },
    );
  }

  async function translateCall(
    direction: CallDirection,
    identity: string,
    action: string,
    params: unknown,
    options: ChargerCallOptions = {},
  ): Promise<CallTranslation> {
    const [source, target]: ['ocpp1.6' | UpstreamProtocol, 'ocpp1.6' | UpstreamProtocol] =
      direction === 'charger' ? ['ocpp1.6', upstream] : [upstream, 'ocpp1.6'];
    const notes: string[] = [];
    const env: TranslatorEnv = {
      identity,
      store,
      policy,
      configKeys,
      upstream,
      now,
      newTransactionId,
      note: (text) => void notes.push(text),
      ...(options.connectedSince && { connectedSince: options.connectedSince }),
    };
    try {
      const entry = direction === 'charger' ? CHARGER_ACTIONS[action as keyof typeof CHARGER_ACTIONS] : BACKEND_ACTIONS[action as keyof typeof BACKEND_ACTIONS];
      if (!entry || !Object.hasOwn(direction === 'charger' ? CHARGER_ACTIONS : BACKEND_ACTIONS, action)) {
        const other = direction === 'charger' ? `OCPP ${upstream.slice(4)}` : 'OCPP 1.6';
        throw new TranslationError('NotSupported', `${action} has no ${other} counterpart in this proxy`, { action });
      }
      check(source, action, 'request', params, `${action} request`);
      if (direction === 'backend' && upstream !== 'ocpp2.0.1') requireV201Shape(action, params);
      const plan = await (entry.translate as ActionTranslator<unknown>)(params, env);
      for (const call of plan.calls) check(target, call.action, 'request', call.params, `${action} → ${call.action}`);
      const context: TranslationContext = Object.freeze({ identity, direction, action, targets: plan.calls.map((c) => c.action) });
      pending.set(context, { plan, env, notes, source, target });
      return { ok: true, calls: plan.calls, context, notes };
    } catch (err) {
      return { ok: false, error: failure(err), notes };
    }
  }

  async function translateResult(context: TranslationContext, outcomes: readonly CallOutcomeInput[]): Promise<ResultTranslation> {
    const state = pending.get(context);
    if (!state) {
      return { ok: false, error: { code: 'InternalError', description: 'unknown translation context', details: {} }, notes: [] };
    }
    pending.delete(context);
    const { plan, notes, source, target } = state;
    try {
      const checked = plan.calls.map((call, i): CallOutcome => {
        const input = outcomes[i];
        if (!input) return { ok: false, error: { code: 'InternalError', description: `no answer for ${call.action}`, details: {} } };
        const outcome = toCallOutcome(input);
        if (!outcome.ok) return { ok: false, error: translateError(source, outcome.error) };
        try {
          check(target, call.action, 'response', outcome.result, `${call.action} response`);
          if (target === 'ocpp2.1') {
            // A 2.1 answer may carry what 2.0.1 has no field for (transactionLimit, tariff, …); 1.6 cannot carry it either.
            const compat = validators?.('ocpp2.0.1', call.action, 'response')?.(outcome.result);
            if (compat && !compat.valid) {
              notes.push(`${call.action} response: ${compat.violations.map((v) => v.pointer || '/').join(', ')} not representable in OCPP 1.6; left out`);
            }
          }
          return outcome;
        } catch (err) {
          return { ok: false, error: failure(err) };
        }
      });
      const result = await plan.respond(checked);
      check(source, context.action, 'response', result, `${context.action} response`);
      const followUps = plan.followUps?.() ?? [];
      for (const call of followUps) check(source, call.action, 'request', call.params, `${context.action} → ${call.action}`);
      return { ok: true, result, followUps, notes };
    } catch (err) {
      return { ok: false, error: translateError(source, failure(err)), notes };
    }
  }

  return {
    upstreamProtocol: upstream,
    store,
    configKeys,
    chargerCall: (identity, action, params, options) => translateCall('charger', identity, action, params, options),
    chargerResult: translateResult,
    backendCall: (identity, action, params) => translateCall('backend', identity, action, params),
    backendResult: translateResult,
    translateError,
  };
}
