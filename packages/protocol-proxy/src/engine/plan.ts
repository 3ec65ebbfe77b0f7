import type { SessionStore } from '../store/sessionStore.js';
import type { UpstreamProtocol } from '../wire/types.js';
import type { ConfigKeyMapping } from './configKeys.js';
import { TranslationError, type TranslationFailure } from './errors.js';
import type { TranslationPolicy } from './policy.js';

/** One CALL the engine wants sent to the other side. */
export interface OutboundCall {
  readonly action: string;
  readonly params: object;
}

/** What came back for one {@link OutboundCall}: its CALLRESULT payload or its CALLERROR. */
export type CallOutcome = { ok: true; result: unknown } | { ok: false; error: TranslationFailure };

/**
 * What `chargerResult` / `backendResult` accept: a {@link CallOutcome}, or the same object with `ok` typed
 * `boolean` — what TypeScript infers for `const outcomes = [{ ok: true, result }]` — so callers need no `as const`.
 * `ok` decides at run time; an outcome whose `ok` does not match its fields answers InternalError.
 */
export type CallOutcomeInput =
  | CallOutcome
  | { readonly ok: boolean; readonly result: unknown }
  | { readonly ok: boolean; readonly error: TranslationFailure };

/** A {@link CallOutcomeInput} as the discriminated {@link CallOutcome} the translators work with. */
export function toCallOutcome(input: CallOutcomeInput): CallOutcome {
  if (input.ok && 'result' in input) return { ok: true, result: input.result };
  if (!input.ok && 'error' in input && input.error) return { ok: false, error: input.error };
  const description = input.ok ? 'an outcome with ok: true has no result' : 'an outcome with ok: false has no error';
  return { ok: false, error: { code: 'InternalError', description, details: {} } };
}

/** Everything an action translator may use. One env per translated call. */
export interface TranslatorEnv {
  readonly identity: string;
  readonly store: SessionStore;
  readonly policy: TranslationPolicy;
  readonly configKeys: readonly ConfigKeyMapping[];
  readonly upstream: UpstreamProtocol;
  now(): Date;
  /** When the charger's current connection opened, if known (offline detection). */
  readonly connectedSince?: Date;
  /** A new 2.0.1 transaction id (≤ 36 characters). */
  newTransactionId(): string;
  /** Records something the translation could not carry over (emitted with the translation event). */
  note(text: string): void;
}

/** How one incoming CALL is carried out: the calls to make in order, then how to build the answer. */
export interface ActionPlan {
  readonly calls: readonly OutboundCall[];
  /** Builds the response for the original caller from the outcomes (same order as calls). Throw TranslationError to answer a CALLERROR. */
  respond(outcomes: readonly CallOutcome[]): Promise<object> | object;
  /**
   * Calls to send back to the original caller's side after answering it (e.g. the NotifyReport that follows
   * an accepted GetBaseReport); read after `respond`.
   */
  followUps?(): readonly OutboundCall[];
}

export type ActionTranslator<P> = (params: P, env: TranslatorEnv) => Promise<ActionPlan>;

/** A plan of exactly one call whose answer maps through `map`; a CALLERROR passes through. */
export function single<R>(action: string, params: object, map: (result: R) => Promise<object> | object): ActionPlan {
  return {
    calls: [{ action, params }],
    respond: (outcomes) => map(resultOf<R>(outcomes[0])),
  };
}

/** A plan answered without bothering the other side. */
export function local(answer: () => Promise<object> | object): ActionPlan {
  return { calls: [], respond: () => answer() };
}

/** The CALLRESULT payload of an outcome, or the CALLERROR rethrown for the original caller. */
export function resultOf<R>(outcome: CallOutcome | undefined): R {
  if (!outcome) throw new TranslationError('InternalError', 'missing outcome for a translated call');
  if (!outcome.ok) throw new TranslationError(outcome.error.code, outcome.error.description, outcome.error.details);
  return outcome.result as R;
}

/** Copies the listed keys whose values are not undefined (keeps optional fields absent, never `undefined`). */
export function defined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out as T;
}

/** Narrows a list the code has just checked to be non-empty to the tuple type the schemas' minItems: 1 gives. */
export function nonEmpty<T>(list: readonly T[], what: string): [T, ...T[]] {
  if (list.length === 0) throw new TranslationError('InternalError', `${what} is empty`);
  return list as [T, ...T[]];
}
