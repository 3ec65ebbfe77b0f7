import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { basicAuthHeader } from './basicAuth.js';

function decode(header: string): Buffer {
  expect(header.startsWith('Basic ')).toBe(true);
  return Buffer.from(header.slice(6), 'base64');
}

describe('basicAuthHeader', () => {
  it('encodes identity:password', () => {
    expect(basicAuthHeader('CP-1', 'secretsecret1234')).toBe(`Basic ${Buffer.from('CP-1:secretsecret1234').toString('base64')}`);
  });

  it('keeps password bytes untouched, including ":" and non-UTF-8 bytes', () => {
    const password = Buffer.from([0x3a, 0xff, 0x00, 0x80, 0x41]);
    const raw = decode(basicAuthHeader('CP-1', password));
    expect(raw.subarray(0, 5).toString('utf8')).toBe('CP-1:');
    expect(raw.subarray(5).equals(password)).toBe(true);
  });

  it('rejects identities containing ":" (RFC 7617)', () => {
    expect(() => basicAuthHeader('a:b', 'x')).toThrow(TypeError);
  });

  it('the server can always recover identity and password bytes', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 48 }).filter((s) => !s.includes(':')),
        fc.uint8Array({ minLength: 0, maxLength: 64 }),
        (identity, password) => {
          const raw = decode(basicAuthHeader(identity, password));
          const colon = raw.indexOf(0x3a);
          expect(raw.subarray(0, colon).toString('utf8')).toBe(identity);
          expect(Buffer.compare(raw.subarray(colon + 1), Buffer.from(password))).toBe(0);
        },
      ),
    );
  });
});
