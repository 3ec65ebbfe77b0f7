import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './credentials.js';

describe('scrypt credentials', { timeout: 60_000 }, () => {
  it('verifies the right password and refuses others', async () => {
    const hash = await hashPassword('correct-horse-battery');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(hash).not.toContain('correct-horse-battery');
    expect(await verifyPassword('correct-horse-battery', hash)).toBe(true);
    expect(await verifyPassword(Buffer.from('correct-horse-battery'), hash)).toBe(true);
    expect(await verifyPassword('correct-horse-batterY', hash)).toBe(false);
    // Salted: the same password hashes differently each time.
    expect(await hashPassword('correct-horse-battery')).not.toBe(hash);
  });

  it('treats passwords as bytes, including ":" and non-UTF-8 bytes', async () => {
    const password = Buffer.from([0x3a, 0xff, 0x00, 0x41, 0x3a, 0x80, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a]);
    const hash = await hashPassword(password);
    expect(await verifyPassword(password, hash)).toBe(true);
    expect(await verifyPassword(password.subarray(1), hash)).toBe(false);
  });

  it('never matches a malformed stored hash', async () => {
    for (const stored of ['', 'plain', 'scrypt$1$2$3', 'scrypt$x$8$1$c2FsdA==$aGFzaA==', 'bcrypt$16384$8$1$c2FsdA==$aGFzaA==', 'scrypt$16384$8$1$c2FsdA==$']) {
      expect(await verifyPassword('anything-at-all-16', stored)).toBe(false);
    }
  });

  it('accepts exactly the hashed password (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 16, maxLength: 40 }), fc.string({ minLength: 16, maxLength: 40 }), async (password, other) => {
        const hash = await hashPassword(password);
        expect(await verifyPassword(password, hash)).toBe(true);
        expect(await verifyPassword(other, hash)).toBe(other === password);
      }),
      { numRuns: 4 },
    );
  });
});
