import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMessageSigner, SIGNATURE_MAX_AGE_MS } from './messageSigner.js';

const SECRET = 'a-cluster-secret-that-is-32-bytes+';

describe('createMessageSigner', () => {
  it('opens what it sealed, for any text and channel', () => {
    const signer = createMessageSigner(SECRET);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ minLength: 1, maxLength: 40 }), (text, channel) => {
        expect(signer.open(channel, signer.seal(channel, text))).toBe(text);
      }),
    );
  });

  it('rejects any single-character change of a sealed payload', () => {
    const signer = createMessageSigner(SECRET);
    const text = JSON.stringify({ v: 1, t: 'call', id: 'x', from: 'n', req: { identity: 'CP-1', action: 'Reset' } });
    const sealed = signer.seal('ch', text);
    fc.assert(
      fc.property(fc.nat({ max: sealed.length - 1 }), fc.string({ minLength: 1, maxLength: 1 }), (at, ch) => {
        fc.pre(sealed[at] !== ch);
        const tampered = sealed.slice(0, at) + ch + sealed.slice(at + 1);
        expect(signer.open('ch', tampered)).toBeUndefined();
      }),
    );
  });

  it('rejects another channel, another secret, no signature, and a stale or future timestamp', () => {
    let clock = 1_800_000_000_000;
    const signer = createMessageSigner(SECRET, () => clock);
    const sealed = signer.seal('ch', '{}');
    expect(signer.open('other', sealed)).toBeUndefined();
    expect(createMessageSigner(`${SECRET}!`, () => clock).open('ch', sealed)).toBeUndefined();
    expect(signer.open('ch', '{}')).toBeUndefined();
    clock += SIGNATURE_MAX_AGE_MS + 1;
    expect(signer.open('ch', sealed)).toBeUndefined();
    clock -= 2 * (SIGNATURE_MAX_AGE_MS + 1);
    expect(signer.open('ch', sealed)).toBeUndefined();
  });

  it('passes messages through unchanged without a secret', () => {
    const signer = createMessageSigner(undefined);
    expect(signer.signed).toBe(false);
    expect(signer.seal('ch', '{"v":1}')).toBe('{"v":1}');
    expect(signer.open('ch', '{"v":1}')).toBe('{"v":1}');
  });
});
