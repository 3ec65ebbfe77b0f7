import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt cost parameters: N = 2^14, r = 8, p = 1 (the interactive-login level; ~50 ms per check). */
const PARAMS = { N: 16384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

function derive(password: Buffer, salt: Buffer, params: ScryptOptions, keyLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, { ...params, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/**
 * Hashes a Basic-auth password (bytes, OCPP security profile 1/2) to
 * `scrypt$N$r$p$<salt base64>$<hash base64>`. The plain password is never stored or logged.
 */
export async function hashPassword(password: string | Buffer): Promise<string> {
  const bytes = typeof password === 'string' ? Buffer.from(password, 'utf8') : password;
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(bytes, salt, PARAMS, KEY_LENGTH);
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Checks a password against a stored hash in constant time; a malformed hash never matches. */
export async function verifyPassword(password: string | Buffer, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltText, keyText] = parts as [string, string, string, string, string, string];
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (!Object.values(params).every((v) => Number.isInteger(v) && v > 0)) return false;
  const expected = Buffer.from(keyText, 'base64');
  if (expected.length === 0) return false;
  const bytes = typeof password === 'string' ? Buffer.from(password, 'utf8') : password;
  const actual = await derive(bytes, Buffer.from(saltText, 'base64'), params, expected.length);
  return timingSafeEqual(actual, expected);
}
