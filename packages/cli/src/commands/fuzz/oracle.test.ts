import { describe, expect, it } from 'vitest';
import { assess, expectationFor, judge, wireCode, type Family, type FuzzCase, type Reaction } from './oracle.js';

const cases: Array<[FuzzCase, Family, ReturnType<typeof expectationFor>]> = [
  [{ kind: 'invalidJson', text: '[2,' }, '1.6', { reply: 'callError', ids: ['-1'], codes: ['FormationViolation', 'ProtocolError'] }],
  [{ kind: 'invalidJson', text: '[2,' }, '2.0.1', { reply: 'callError', ids: ['-1'], codes: ['RpcFrameworkError', 'FormatViolation'] }],
  [{ kind: 'unknownType', messageType: 7, id: 'a', rest: [] }, '1.6', { reply: 'none' }],
  [{ kind: 'unknownType', messageType: 7, id: 'a', rest: [] }, '2.0.1', { reply: 'callError', ids: ['a', '-1'], codes: ['MessageTypeNotSupported'] }],
  [{ kind: 'unknownType', messageType: 7, id: 'a', rest: [] }, '2.1', { reply: 'none' }],
  [{ kind: 'send', id: 'a', action: 'Heartbeat', payload: {} }, '2.1', { reply: 'none' }],
  [{ kind: 'send', id: 'a', action: 'Heartbeat', payload: {} }, '2.0.1', { reply: 'callError', ids: ['a', '-1'], codes: ['MessageTypeNotSupported'] }],
  [{ kind: 'strayResponse', messageType: 3, id: 'a', rest: [{}] }, '2.0.1', { reply: 'none' }],
  [{ kind: 'longId', id: 'x'.repeat(37) }, '2.1', { reply: 'callError', ids: ['-1'], codes: ['RpcFrameworkError', 'FormatViolation'] }],
  [{ kind: 'unknownAction', id: 'a', action: 'Foo' }, '1.6', { reply: 'callError', ids: ['a'], codes: ['NotImplemented'] }],
  [
    { kind: 'schema', id: 'a', action: 'Authorize', payload: {}, violation: 'OccurrenceConstraintViolation', mutation: 'remove idTag' },
    '1.6',
    // An action the receiver does not implement may be refused as such.
    { reply: 'callError', ids: ['a'], codes: ['OccurenceConstraintViolation', 'NotImplemented', 'NotSupported'] },
  ],
];

describe('fuzz oracle', () => {
  it.each(cases)('%j on %s', (c, family, expected) => {
    expect(expectationFor(c, family)).toEqual(expected);
  });

  it('spells codes per version (1.6 typos are normative)', () => {
    expect(wireCode('1.6', 'FormatViolation')).toBe('FormationViolation');
    expect(wireCode('1.6', 'OccurrenceConstraintViolation')).toBe('OccurenceConstraintViolation');
    expect(wireCode('1.6', 'RpcFrameworkError')).toBe('ProtocolError');
    expect(wireCode('2.0.1', 'FormatViolation')).toBe('FormatViolation');
  });

  it('judges reactions', () => {
    const error = { reply: 'callError', ids: ['-1'], codes: ['RpcFrameworkError'] } as const;
    expect(judge(error, { kind: 'callError', id: '-1', code: 'RpcFrameworkError', description: '', details: {} }, '2.0.1')).toBeUndefined();
    expect(judge(error, { kind: 'callError', id: '7', code: 'RpcFrameworkError', description: '', details: {} }, '2.0.1')).toMatch(/id "7"/);
    expect(judge(error, { kind: 'none' }, '2.0.1')).toMatch(/no answer, expected CALLERROR/);
    expect(judge(error, { kind: 'closed', code: 1002, reason: 'bad' }, '2.0.1')).toMatch(/connection closed \(1002 bad\)/);
    expect(judge(error, { kind: 'callError', id: '-1', code: 'FormationViolation', description: '', details: {} }, '2.0.1')).toMatch(/does not exist in OCPP 2.0.1/);
    expect(judge(error, { kind: 'callError', id: '-1', code: 'RpcFrameworkError', description: 'x'.repeat(256), details: {} }, '2.0.1')).toMatch(/256 characters/);
    expect(judge(error, { kind: 'callError', id: '-1', code: 'RpcFrameworkError', description: '', details: null }, '2.0.1')).toMatch(/errorDetails/);
    expect(judge({ reply: 'none' }, { kind: 'callResult', id: 'a' }, '1.6')).toMatch(/must be ignored/);
    expect(judge({ reply: 'none' }, { kind: 'hang' }, '1.6')).toMatch(/^hang: no answer to a probe/);
    // A valid payload may be refused for business reasons, never with a validation code.
    expect(judge({ reply: 'callResult', id: 'a' }, { kind: 'callError', id: 'a', code: 'SecurityError', description: '', details: {} }, '2.0.1')).toBeUndefined();
    expect(judge({ reply: 'callResult', id: 'a' }, { kind: 'callError', id: 'a', code: 'FormatViolation', description: '', details: {} }, '2.0.1')).toMatch(/payload is valid/);
  });

  it('classifies findings', () => {
    const valid = { reply: 'callResult', id: 'a' } as const;
    const error = (code: string): Reaction => ({ kind: 'callError', id: 'a', code, description: '', details: {} });
    // A crashing handler: never a "skip" (issue 16).
    expect(assess(valid, error('InternalError'), '1.6')?.kind).toBe('crash');
    expect(assess(valid, error('GenericError'), '2.0.1')?.kind).toBe('crash');
    expect(assess(valid, error('NotImplemented'), '2.0.1')).toBeUndefined();
    expect(assess(valid, { kind: 'hang' }, '2.0.1')?.kind).toBe('hang');
    expect(assess(valid, { kind: 'closed', code: 1011, reason: '' }, '2.0.1')?.kind).toBe('dropped');
    expect(assess(valid, { kind: 'policyClose' }, '2.0.1')?.kind).toBe('dropped');
    expect(assess({ reply: 'callError', ids: ['-1'], codes: ['RpcFrameworkError'] }, { kind: 'policyClose' }, '2.0.1')).toBeUndefined();
    expect(assess(valid, { kind: 'callResult', id: 'a', payload: {} }, '2.0.1', () => '/status is required')).toEqual({
      kind: 'invalid-response',
      message: 'CALLRESULT payload fails the response schema: /status is required',
    });
    expect(assess(valid, { kind: 'callResult', id: 'b' }, '2.0.1')?.kind).toBe('deviation');
  });
});
