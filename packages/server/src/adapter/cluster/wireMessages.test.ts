import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, MalformedMessageError, type WireMessage } from './wireMessages.js';

const json = fc.jsonValue();
const text = fc.string({ minLength: 1 });
const outcome = fc.oneof(
  json.map((result) => ({ ok: true as const, result })),
  fc.record({
    ok: fc.constant(false as const),
    error: fc.oneof(
      fc.record({
        kind: fc.constant('rpc' as const),
        code: fc.constantFrom('GenericError' as const, 'NotImplemented' as const, 'FormatViolation' as const),
        description: fc.string(),
        details: fc.dictionary(fc.string(), json),
      }),
      fc.record({ kind: fc.constantFrom('timeout' as const, 'notConnected' as const, 'closed' as const, 'internal' as const), message: fc.string() }),
    ),
  }),
);
const message: fc.Arbitrary<WireMessage> = fc.oneof(
  fc.record({
    t: fc.constant('call' as const),
    id: text,
    from: text,
    req: fc.record({ identity: text, protocol: text, action: text, params: json, timeoutMs: fc.integer({ min: 1, max: 1e9 }) }),
  }),
  fc.record({ t: fc.constant('reply' as const), id: text, from: text, outcome }),
  fc.record({ t: fc.constant('bcast' as const), id: text, from: text, protocol: text, action: text, params: json }),
  fc.record({ t: fc.constant('bcastReport' as const), id: text, from: text, delivered: fc.nat(), failed: fc.nat() }),
  fc.record({ t: fc.constant('superseded' as const), id: text, from: text, identity: text, connectionId: text }),
);

describe('wire messages', () => {
  it('round-trip every well-formed message (property)', () => {
    fc.assert(
      fc.property(message, (msg) => {
        // JSON has no -0; compare through the same normalisation the transport applies
        expect(decodeMessage(encodeMessage(msg))).toEqual(JSON.parse(JSON.stringify(msg)));
      }),
    );
  });

  it('keep an undefined call result', () => {
    const decoded = decodeMessage(encodeMessage({ t: 'reply', id: 'i', from: 'n', outcome: { ok: true, result: undefined } }));
    expect(decoded).toEqual({ t: 'reply', id: 'i', from: 'n', outcome: { ok: true, result: undefined } });
  });

  it('throw only MalformedMessageError on arbitrary input (property)', () => {
    const anyObject = fc.dictionary(fc.constantFrom('v', 't', 'id', 'from', 'req', 'outcome', 'protocol', 'action', 'delivered', 'failed', 'x'), json);
    fc.assert(
      fc.property(fc.oneof(fc.string(), json.map((v) => JSON.stringify(v)), anyObject.map((o) => JSON.stringify({ v: 1, ...o }))), (input) => {
        try {
          decodeMessage(input);
        } catch (err) {
          expect(err).toBeInstanceOf(MalformedMessageError);
        }
      }),
    );
  });

  it('keep the id and sender of an unreadable call so it can be answered', () => {
    const err = (() => {
      try {
        decodeMessage(JSON.stringify({ v: 1, t: 'call', id: 'r1', from: 'n1', req: { identity: 'CP', protocol: 'ocpp1.6', action: 'Reset', timeoutMs: -1 } }));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(MalformedMessageError);
    expect(err).toMatchObject({ id: 'r1', from: 'n1', type: 'call' });
  });

  it('name at most 40 characters of a peer-controlled value in the error (errors are logged)', () => {
    const huge = `${'x'.repeat(10_000)}\n`;
    for (const input of [{ v: 1, t: huge, id: 'i', from: 'n' }, { v: huge, t: 'call', id: 'i', from: 'n' }]) {
      expect(() => decodeMessage(JSON.stringify(input))).toThrow(MalformedMessageError);
      try {
        decodeMessage(JSON.stringify(input));
      } catch (err) {
        expect((err as Error).message.length).toBeLessThan(100);
        expect((err as Error).message).not.toMatch(/\n/);
      }
    }
  });

  it('refuse unknown error codes and kinds rather than passing them on', () => {
    const reply = (error: unknown): string => JSON.stringify({ v: 1, t: 'reply', id: 'i', from: 'n', outcome: { ok: false, error } });
    expect(() => decodeMessage(reply({ kind: 'rpc', code: 'FormationViolation', description: '', details: {} }))).toThrow(MalformedMessageError);
    expect(() => decodeMessage(reply({ kind: 'boom', message: 'x' }))).toThrow(/malformed call outcome/);
    expect(() => decodeMessage(JSON.stringify({ v: 1, t: 'bcastReport', id: 'i', from: 'n', delivered: -1, failed: 0 }))).toThrow(/report/);
  });
});
