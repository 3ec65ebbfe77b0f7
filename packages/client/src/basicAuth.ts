/**
 * HTTP Basic authentication header for OCPP security profiles 1 and 2 (OCPP 2.0.1 Part 2 A00.FR.2xx,
 * 1.6 security whitepaper §2): user-id = charging station identity, password = the raw bytes of
 * `BasicAuthPassword` (it may contain `:` or non-ASCII bytes, so it is never re-encoded as text).
 *
 * @example basicAuthHeader('CP-1', Buffer.from('0123456789abcdef')) // 'Basic Q1AtMTowMTIz…'
 */
export function basicAuthHeader(identity: string, password: string | Uint8Array): string {
  // RFC 7617 §2: the user-id cannot contain a colon, the server would split at it.
  if (identity.includes(':')) {
    throw new TypeError('identity must not contain ":" when Basic authentication is used (RFC 7617 §2)');
  }
  const user = Buffer.from(`${identity}:`, 'utf8');
  const pass = typeof password === 'string' ? Buffer.from(password, 'utf8') : Buffer.from(password);
  return `Basic ${Buffer.concat([user, pass]).toString('base64')}`;
}
