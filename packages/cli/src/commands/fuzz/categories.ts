import fc from 'fast-check';
import { actionOrigin, isKnownAction, isProtocolName, isSendOnly, listActions, type Side } from '@chargewire/ocpp-types';
import { brokenExamplesFor } from '@chargewire/ocpp-types/examples';
import * as arb from './arbitraries.js';
import type { FuzzCase } from './oracle.js';
import { payloadArbitrary } from './schemaArbitrary.js';

/** A family of generated frames, checked as one fast-check property on one connection. */
export interface FuzzCategory {
  name: string;
  summary: string;
  /** Built on first use: schema-derived arbitraries load the action's schema and validator. */
  arbitrary(): fc.Arbitrary<FuzzCase>;
  /** The OCPP action whose payloads the category generates (its CALLRESULTs are checked against the response schema). */
  action?: string;
}

/** Which side the fuzzer plays: a charger calling a CSMS (`--endpoint`) or a CSMS calling a charger (`--listen`). */
export type FuzzDirection = 'toCsms' | 'toCharger';

/** The side that sends the CALLs of a direction. */
export function senderOf(direction: FuzzDirection): Side {
  return direction === 'toCsms' ? 'ChargingStation' : 'CSMS';
}

/**
 * A CALL every target of the direction answers (with anything, a CALLERROR included): malformed frames name
 * it, and the probe that tells "ignored" from "hung" sends it.
 */
export function probeCall(protocol: string, direction: FuzzDirection): { action: string; payload: unknown } {
  if (direction === 'toCsms') return { action: 'Heartbeat', payload: {} };
  if (protocol === 'ocpp1.6') return { action: 'GetConfiguration', payload: {} };
  return { action: 'GetVariables', payload: { getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }] } };
}

/** The malformed-frame categories (OCPP-J framing rules, DESIGN rules 3, 4, 7). */
export function malformedCategories(protocol: string, direction: FuzzDirection): FuzzCategory[] {
  const known = (action: string): boolean => ['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'].some((p) => isKnownAction(p, action));
  const action = probeCall(protocol, direction).action;
  return [
    { name: 'invalid-json', summary: 'broken JSON', arbitrary: () => arb.invalidJson(action) },
    { name: 'not-a-frame', summary: 'JSON that is not an OCPP-J array', arbitrary: () => arb.notAFrame(action) },
    { name: 'unknown-type', summary: 'undefined message type numbers', arbitrary: () => arb.unknownType(protocol) },
    { name: 'stray-response', summary: 'responses to CALLs never sent', arbitrary: () => arb.strayResponse() },
    { name: 'send', summary: 'SEND frames (2.1) / unknown type elsewhere', arbitrary: () => arb.send() },
    { name: 'bad-id', summary: 'message ids that are not strings or empty', arbitrary: () => arb.badId(action) },
    { name: 'long-id', summary: 'message ids over 36 characters', arbitrary: () => arb.longId(action) },
    { name: 'bad-arity', summary: 'CALLs with the wrong number of elements', arbitrary: () => arb.badArity(action) },
    { name: 'bad-action', summary: 'CALLs whose action is not a string', arbitrary: () => arb.badAction() },
    { name: 'unknown-action', summary: 'actions no version defines', arbitrary: () => arb.unknownAction(known) },
    { name: 'bad-payload', summary: 'payloads that are not objects', arbitrary: () => arb.badPayload(action) },
  ];
}

/**
 * One category per action the direction's sender may call (1.6 with its security extension, 2.0.1, 2.1):
 * mostly schema-valid payloads generated from the official schema (must not crash the handler, must get a
 * CALLRESULT valid against the response schema or a non-validation CALLERROR), plus every payload that
 * breaks exactly one schema rule (must get that rule's CALLERROR code, DESIGN rule 7). SEND-only messages
 * (2.1) are sent as SEND frames and must not be answered.
 */
export function actionCategories(protocol: string, direction: FuzzDirection): FuzzCategory[] {
  if (!isProtocolName(protocol)) return [];
  const sender = senderOf(direction);
  return listActions(protocol)
    .filter((action) => actionOrigin(protocol, action)?.includes(sender))
    .map((action): FuzzCategory => {
      const payload = (): fc.Arbitrary<unknown> => payloadArbitrary(protocol, action, 'request');
      if (isSendOnly(protocol, action)) {
        return {
          name: action,
          summary: `${action} SEND frames with schema-valid payloads`,
          action,
          arbitrary: () => fc.tuple(arb.messageId(), payload()).map(([id, p]): FuzzCase => ({ kind: 'send', id, action, payload: p })),
        };
      }
      return {
        name: action,
        summary: `${action}: schema-valid payloads and single-rule violations`,
        action,
        arbitrary: () => {
          const valid = fc.tuple(arb.messageId(), payload()).map(([id, p]): FuzzCase => ({ kind: 'schema', id, action, payload: p, violation: 'valid', mutation: 'schema-valid payload' }));
          const broken = brokenExamplesFor(protocol, action, 'request').map(
            (b): FuzzCase => ({ kind: 'schema', id: '', action, payload: b.payload, violation: b.code, mutation: b.description }),
          );
          if (broken.length === 0) return valid;
          return fc.oneof(
            { arbitrary: valid, weight: 9 },
            { arbitrary: fc.tuple(arb.messageId(), fc.constantFrom(...broken)).map(([id, c]) => ({ ...c, id }) as FuzzCase), weight: 1 },
          );
        },
      };
    });
}

/** Every category of a run: the actions first (they find the handler bugs), then the malformed frames. */
export function fuzzCategories(protocol: string, direction: FuzzDirection): FuzzCategory[] {
  return [...actionCategories(protocol, direction), ...malformedCategories(protocol, direction)];
}
