import { getValidator } from '@chargewire/ocpp-types';
import { expect } from 'vitest';
import type { CallOutcome, OutboundCall } from '../engine/plan.js';
import type { Translator } from '../engine/translator.js';

/** Answers one translated call the way the other side would (a result object, or a thrown CALLERROR). */
export type Peer = (call: OutboundCall) => object | { error: CallOutcome & { ok: false } };

export interface Exchange {
  calls: OutboundCall[];
  followUps?: readonly OutboundCall[];
  result?: object;
  error?: { code: string; description: string };
  notes: readonly string[];
}

function outcome(peer: Peer, call: OutboundCall): CallOutcome {
  const answer = peer(call);
  if ('error' in answer && typeof answer.error === 'object' && answer.error && 'ok' in answer.error) return answer.error;
  return { ok: true, result: answer };
}

/** Runs a charger CALL through the translator against a fake backend; asserts every frame is schema-valid. */
export async function chargerExchange(t: Translator, identity: string, action: string, params: object, backend: Peer): Promise<Exchange> {
  const tr = await t.chargerCall(identity, action, params);
  if (!tr.ok) return { calls: [], error: tr.error, notes: tr.notes };
  for (const c of tr.calls) expectValid(t.upstreamProtocol, c.action, 'request', c.params);
  const outcomes = tr.calls.map((c) => outcome(backend, c));
  const res = await t.chargerResult(tr.context, outcomes);
  if (!res.ok) return { calls: [...tr.calls], error: res.error, notes: res.notes };
  expectValid('ocpp1.6', action, 'response', res.result);
  for (const c of res.followUps) expectValid('ocpp1.6', c.action, 'request', c.params);
  return { calls: [...tr.calls], result: res.result, followUps: res.followUps, notes: res.notes };
}

/** Runs a backend CALL through the translator against a fake 1.6 charger. */
export async function backendExchange(t: Translator, identity: string, action: string, params: object, charger: Peer): Promise<Exchange> {
  const tr = await t.backendCall(identity, action, params);
  if (!tr.ok) return { calls: [], error: tr.error, notes: tr.notes };
  for (const c of tr.calls) expectValid('ocpp1.6', c.action, 'request', c.params);
  const outcomes = tr.calls.map((c) => outcome(charger, c));
  const res = await t.backendResult(tr.context, outcomes);
  if (!res.ok) return { calls: [...tr.calls], error: res.error, notes: res.notes };
  expectValid(t.upstreamProtocol, action, 'response', res.result);
  for (const c of res.followUps) expectValid(t.upstreamProtocol, c.action, 'request', c.params);
  return { calls: [...tr.calls], result: res.result, followUps: res.followUps, notes: res.notes };
}

export function expectValid(protocol: string, action: string, kind: 'request' | 'response', payload: unknown): void {
  const validate = getValidator(protocol, action, kind);
  expect(validate, `${protocol} ${action} ${kind} validator`).toBeDefined();
  const result = validate?.(payload);
  expect(result, `${protocol} ${action} ${kind}: ${JSON.stringify(payload)}`).toEqual({ valid: true });
}

export function callError(code: 'NotSupported' | 'InternalError' | 'GenericError' | 'RpcFrameworkError', description = ''): { error: CallOutcome & { ok: false } } {
  return { error: { ok: false, error: { code, description, details: {} } } };
}
