import type { Request, Response } from 'express';

/** The dashboard's session cookie. */
export const SESSION_COOKIE = 'cw_session';

/** The value of one cookie from the `Cookie` header (no cookie-parser dependency for one name). */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * Sets (or, with `value` undefined, clears) the session cookie: HttpOnly (scripts cannot read it),
 * SameSite=Strict (browsers never send it on cross-site requests), Path=/, and Secure whenever the request
 * came over TLS: `req.secure` is true for https, and behind a proxy when TRUST_PROXY lets Express
 * believe X-Forwarded-Proto.
 */
export function setSessionCookie(req: Request, res: Response, value: string | undefined, maxAgeMs: number): void {
  const attributes = ['Path=/', 'HttpOnly', 'SameSite=Strict'];
  if (req.secure) attributes.push('Secure');
  attributes.push(value === undefined ? 'Max-Age=0' : `Max-Age=${Math.floor(maxAgeMs / 1000)}`);
  res.append('Set-Cookie', `${SESSION_COOKIE}=${value ?? ''}; ${attributes.join('; ')}`);
}
