import { getValidator, isProtocolName } from '@chargewire/ocpp-types';
import { brokenExamplesFor, exampleFor } from '@chargewire/ocpp-types/examples';
import type { TlsFiles } from '../../net/tlsFiles.js';
import { probeCall } from '../fuzz/categories.js';
import { endpointSource } from '../fuzz/endpointSource.js';
import { FuzzHarness } from '../fuzz/harness.js';
import { describeReaction, expectationFor, familyOf, frameText, judge, WIRE_CODES, type FuzzCase, type Reaction } from '../fuzz/oracle.js';
import { SECTIONS, type RuleResult } from './ruleResult.js';

interface FrameRule {
  id: string;
  title: string;
  section: string;
  /** The frame to send, described for the oracle. */
  frame: FuzzCase;
  /** Extra check on the reaction (beyond the oracle's). */
  extra?: (reaction: Reaction) => string | undefined;
}

function rulesFor(protocol: string): FrameRule[] {
  const family = familyOf(protocol);
  const rules: FrameRule[] = [
    {
      id: 'callresult.id',
      title: 'a CALL is answered by a CALLRESULT with the same message id and a valid payload',
      section: SECTIONS.callResult,
      frame: { kind: 'schema', id: 'cw-check-heartbeat', action: 'Heartbeat', payload: {}, violation: 'valid', mutation: 'valid Heartbeat' },
    },
    {
      id: 'error.unknown-action',
      title: 'an unknown action is answered NotImplemented',
      section: SECTIONS.errorCodes,
      frame: { kind: 'unknownAction', id: 'cw-check-unknown', action: 'ChargewireCheckUnknownAction' },
    },
    {
      id: 'error.invalid-json',
      title: `invalid JSON is answered ${family === '1.6' ? 'FormationViolation' : 'RpcFrameworkError'} with message id "-1"`,
      section: SECTIONS.errorCodes,
      frame: { kind: 'invalidJson', text: '[2,"cw-check-json","Heartbeat",{' },
    },
    {
      id: 'message-type.unknown',
      title: family === '2.0.1' ? 'an unknown message type is answered MessageTypeNotSupported' : 'an unknown message type is ignored',
      section: SECTIONS.messageType,
      frame: { kind: 'unknownType', messageType: 9, id: 'cw-check-type', rest: ['Heartbeat', {}] },
    },
    {
      id: 'message-id.max-length',
      title: 'a CALL with a message id over 36 characters is answered with an error for id "-1"',
      section: SECTIONS.messageId,
      frame: { kind: 'longId', id: 'cw-check-'.padEnd(37, 'x') },
    },
    {
      id: 'callresult.unknown-id',
      title: 'a CALLRESULT for no outstanding CALL is ignored',
      section: SECTIONS.callResult,
      frame: { kind: 'strayResponse', messageType: 3, id: 'cw-check-stray', rest: [{}] },
    },
    {
      id: 'call.arity',
      title: 'a CALL without payload is answered with a framework error for its id',
      section: SECTIONS.call,
      frame: { kind: 'badArity', id: 'cw-check-arity', elements: ['Heartbeat'] },
    },
  ];
  if (isProtocolName(protocol)) {
    const missing = brokenExamplesFor(protocol, 'BootNotification', 'request').find((b) => b.keyword === 'required');
    if (missing) {
      rules.push({
        id: 'error.schema-code',
        title: 'a payload missing a required field is answered with the occurrence-constraint code of the version',
        section: SECTIONS.errorCodes,
        frame: { kind: 'schema', id: 'cw-check-schema', action: 'BootNotification', payload: missing.payload, violation: missing.code, mutation: missing.description },
      });
    }
    rules.push({
      id: 'call.valid-boot',
      title: 'a valid BootNotification is answered with a valid CALLRESULT',
      section: SECTIONS.callResult,
      frame: { kind: 'schema', id: 'cw-check-boot', action: 'BootNotification', payload: exampleFor(protocol, 'BootNotification', 'request'), violation: 'valid', mutation: 'valid' },
    });
  }
  return rules;
}

/** The RPC-framing rules for one subprotocol, judged with the fuzz oracle. */
export async function frameRules(url: string, protocol: string, deadlineMs: number, password?: string, tls?: TlsFiles): Promise<RuleResult[]> {
  const family = familyOf(protocol);
  const source = endpointSource({ url, protocol, connections: 1, ...(password !== undefined ? { password } : {}), ...(tls ? { tls } : {}) });
  const harness = new FuzzHarness({ source, worker: 0, deadlineMs, probe: probeCall(protocol, 'toCsms') });
  const results: RuleResult[] = [];
  const errors: Reaction[] = [];
  try {
    for (const rule of rulesFor(protocol)) {
      const expected = expectationFor(rule.frame, family);
      const text = frameText(rule.frame);
      const reaction = await harness.exchange(text, expected.reply !== 'none', expected.reply !== 'callResult');
      if (reaction.kind === 'callError') errors.push(reaction);
      let problem = judge(expected, reaction, family);
      if (!problem && reaction.kind === 'callResult' && rule.frame.kind === 'schema') {
        problem = responseProblem(protocol, rule.frame.action, reaction.payload);
      }
      results.push({
        id: rule.id,
        title: rule.title,
        section: rule.section,
        protocol,
        status: problem ? 'fail' : 'pass',
        detail: problem ?? describeReaction(reaction),
      });
    }
  } finally {
    await harness.stop();
  }
  const bad = errors.map((e) => (e.kind === 'callError' ? shapeProblem(e, family) : undefined)).find(Boolean);
  results.push({
    id: 'callerror.shape',
    title: `CALLERROR frames use the version's codes${family === '1.6' ? '' : ', a description of at most 255 characters'} and an errorDetails object`,
    section: SECTIONS.callError,
    protocol,
    status: errors.length === 0 ? 'n/a' : bad ? 'fail' : 'pass',
    detail: errors.length === 0 ? 'no CALLERROR was received' : bad ?? `${errors.length} CALLERROR frames checked`,
  });
  return results;
}

function shapeProblem(e: Extract<Reaction, { kind: 'callError' }>, family: ReturnType<typeof familyOf>): string | undefined {
  if (!WIRE_CODES[family].has(e.code)) return `code ${e.code} does not exist in OCPP ${family}`;
  if (typeof e.description !== 'string') return 'errorDescription is not a string';
  if (family !== '1.6' && e.description.length > 255) return `errorDescription has ${e.description.length} characters`;
  if (typeof e.details !== 'object' || e.details === null || Array.isArray(e.details)) return 'errorDetails is not an object';
  return undefined;
}

/** Validates a CALLRESULT payload against the response schema of the action. */
function responseProblem(protocol: string, action: string, payload: unknown): string | undefined {
  const validate = getValidator(protocol, action, 'response');
  if (!validate) return undefined;
  const verdict = validate(payload);
  if (verdict.valid) return undefined;
  const v = verdict.violations[0];
  return `CALLRESULT payload violates the ${action} response schema: ${v?.pointer || '/'} ${v?.message ?? ''}`.trimEnd();
}
