/** Credentials from an `Authorization: Basic …` header. The password is raw bytes (Security profiles 1–2). */
export interface BasicCredentials {
  username: string;
  password: Buffer;
}

/**
 * Parses an `Authorization: Basic` header. The password is kept as bytes and may contain ':'
 * (the user-pass is split on the FIRST ':', RFC 7617 §2). `undefined` when absent or malformed.
 */
export function parseBasicAuth(header: string | undefined): BasicCredentials | undefined {
  if (!header) return undefined;
  const match = /^\s*basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64');
  const colon = decoded.indexOf(0x3a);
  if (colon < 0) return undefined;
  return { username: decoded.subarray(0, colon).toString('utf8'), password: Buffer.from(decoded.subarray(colon + 1)) };
}

/** Result of {@link checkChargerPassword}. */
export type PasswordCheck = { ok: true } | { ok: false; reason: string };

/**
 * Checks the charger-side configuration rule for Basic-auth passwords (OCPP 1.6 security whitepaper
 * `AuthorizationKey`, 2.0.1 `BasicAuthPassword`): 16 to 40 characters. Auth handlers may use it to refuse
 * passwords a compliant charger could never have been configured with.
 */
export function checkChargerPassword(password: Buffer | string, options: { minLength?: number; maxLength?: number } = {}): PasswordCheck {
  const min = options.minLength ?? 16;
  const max = options.maxLength ?? 40;
  const length = typeof password === 'string' ? [...password].length : password.length;
  if (length < min) return { ok: false, reason: `password shorter than ${min} characters` };
  if (length > max) return { ok: false, reason: `password longer than ${max} characters` };
  return { ok: true };
}
