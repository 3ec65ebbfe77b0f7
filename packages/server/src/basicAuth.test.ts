import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkChargerPassword, parseBasicAuth } from './basicAuth.js';

const header = (user: string, password: Buffer): string =>
  'Basic ' + Buffer.concat([Buffer.from(user + ':', 'utf8'), password]).toString('base64');

describe('parseBasicAuth (security profiles 1–2)', () => {
  it('splits on the first colon: the password may contain colons', () => {
    const creds = parseBasicAuth(header('CP-1', Buffer.from('pa:ss:word')));
    expect(creds?.username).toBe('CP-1');
    expect(creds?.password.toString()).toBe('pa:ss:word');
  });

  it('keeps the password as raw bytes', () => {
    const bytes = Buffer.from([0x00, 0xff, 0x3a, 0x80, 0x41]);
    expect(parseBasicAuth(header('CP', bytes))?.password.equals(bytes)).toBe(true);
  });

  it('accepts any case of the scheme and rejects malformed headers', () => {
    expect(parseBasicAuth('basic ' + Buffer.from('a:b').toString('base64'))?.username).toBe('a');
    expect(parseBasicAuth(undefined)).toBeUndefined();
    expect(parseBasicAuth('Bearer abc')).toBeUndefined();
    expect(parseBasicAuth('Basic ' + Buffer.from('no-colon').toString('base64'))).toBeUndefined();
    expect(parseBasicAuth('Basic !!!')).toBeUndefined();
  });

  it('round-trips any username without colon and any password bytes (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }).filter((u) => !u.includes(':')), fc.uint8Array({ maxLength: 64 }), (user, pw) => {
        const creds = parseBasicAuth(header(user, Buffer.from(pw)));
        expect(creds?.username).toBe(user);
        expect(creds?.password.equals(Buffer.from(pw))).toBe(true);
      }),
    );
  });
});

describe('checkChargerPassword', () => {
  it('accepts 16–40 characters', () => {
    expect(checkChargerPassword('x'.repeat(16))).toEqual({ ok: true });
    expect(checkChargerPassword(Buffer.alloc(40, 0x61))).toEqual({ ok: true });
    expect(checkChargerPassword('x'.repeat(15))).toMatchObject({ ok: false });
    expect(checkChargerPassword(Buffer.alloc(41, 0x61))).toMatchObject({ ok: false });
    expect(checkChargerPassword('abc', { minLength: 3 })).toEqual({ ok: true });
  });
});
