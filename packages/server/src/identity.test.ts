import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkIdentity, identityFromPath } from './identity.js';

describe('identityFromPath (rule 1: last segment, percent-decoded)', () => {
  it('takes the last segment and decodes it', () => {
    expect(identityFromPath('/ocpp/CP-1')).toEqual({ ok: true, identity: 'CP-1' });
    expect(identityFromPath('/ocpp/CP%201')).toEqual({ ok: true, identity: 'CP 1' });
    expect(identityFromPath('/a/b/c/%E2%82%AC')).toEqual({ ok: true, identity: '€' });
    expect(identityFromPath('/ocpp/CP%2F1')).toEqual({ ok: true, identity: 'CP/1' });
    expect(identityFromPath('/ocpp/CP-1/')).toEqual({ ok: true, identity: 'CP-1' });
  });

  it('refuses a missing identity and broken percent-encoding', () => {
    expect(identityFromPath('/')).toMatchObject({ ok: false, problem: 'missing' });
    expect(identityFromPath('')).toMatchObject({ ok: false, problem: 'missing' });
    expect(identityFromPath('/ocpp//')).toMatchObject({ ok: false, problem: 'missing' });
    expect(identityFromPath('/ocpp/%E2%82')).toMatchObject({ ok: false, problem: 'badEncoding' });
    expect(identityFromPath('/ocpp/%zz')).toMatchObject({ ok: false, problem: 'badEncoding' });
  });

  it('round-trips any encoded identity (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60, unit: 'grapheme' }), fc.array(fc.stringMatching(/^[a-z0-9]{1,8}$/), { maxLength: 3 }), (id, prefix) => {
        const path = '/' + [...prefix, encodeURIComponent(id)].join('/');
        expect(identityFromPath(path)).toEqual({ ok: true, identity: id });
      }),
    );
  });
});

describe('checkIdentity (2.x: ≤ 48 characters, no colon)', () => {
  it('applies the 2.x rules only to 2.x protocols', () => {
    const long = 'x'.repeat(49);
    expect(checkIdentity(long, 'ocpp1.6')).toEqual({ ok: true, identity: long });
    expect(checkIdentity(long, 'ocpp2.0.1')).toMatchObject({ ok: false, problem: 'tooLong' });
    expect(checkIdentity(long, 'ocpp2.1')).toMatchObject({ ok: false, problem: 'tooLong' });
    expect(checkIdentity('x'.repeat(48), 'ocpp2.0.1')).toMatchObject({ ok: true });
    expect(checkIdentity('CP:1', 'ocpp1.6')).toMatchObject({ ok: true });
    expect(checkIdentity('CP:1', 'ocpp2.0.1')).toMatchObject({ ok: false, problem: 'colon' });
  });

  it('counts characters, not UTF-16 units or bytes', () => {
    expect(checkIdentity('€'.repeat(48), 'ocpp2.0.1')).toMatchObject({ ok: true });
    expect(checkIdentity('😀'.repeat(48), 'ocpp2.0.1')).toMatchObject({ ok: true });
  });

  it('refuses control characters for every protocol', () => {
    expect(checkIdentity('CP\n1', 'ocpp1.6')).toMatchObject({ ok: false, problem: 'controlCharacter' });
    expect(checkIdentity('CP\u00001', 'ocpp2.1')).toMatchObject({ ok: false, problem: 'controlCharacter' });
  });

  it('never accepts a 2.x identity that breaks a rule (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (id) => {
        const r = checkIdentity(id, 'ocpp2.0.1');
        if (r.ok) {
          expect([...id].length).toBeLessThanOrEqual(48);
          expect(id).not.toContain(':');
          expect(id.length).toBeGreaterThan(0);
        }
      }),
    );
  });
});
