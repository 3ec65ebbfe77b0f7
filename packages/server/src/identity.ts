/** Why an identity was refused (the server answers 400 before upgrading). */
export type IdentityProblem = 'missing' | 'badEncoding' | 'controlCharacter' | 'tooLong' | 'colon';

export type IdentityResult = { ok: true; identity: string } | { ok: false; problem: IdentityProblem; message: string };

/** OCPP 2.0.1 / 2.1 Part 4 §3.1.1: identity is at most 48 characters and MUST NOT contain ':'. */
export const MAX_IDENTITY_LENGTH_2X = 48;

/**
 * Extracts the charging-station identity from a request path: the last path segment, percent-decoded
 * (DESIGN rule 1). The query string must already be removed.
 */
export function identityFromPath(pathname: string): IdentityResult {
  const trimmed = pathname.endsWith('/') ? pathname.slice(0, -1) : pathname;
  const raw = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  if (raw === '') return { ok: false, problem: 'missing', message: 'No charging station identity in the path' };
  let identity: string;
  try {
    identity = decodeURIComponent(raw);
  } catch {
    return { ok: false, problem: 'badEncoding', message: 'Charging station identity is not valid percent-encoding' };
  }
  return { ok: true, identity };
}

/** Whether a protocol name is OCPP 2.x (identity rules of 2.0.1/2.1 Part 4 apply). */
export function isOcpp2x(protocol: string | undefined): boolean {
  return protocol !== undefined && /^ocpp2\./.test(protocol);
}

/**
 * Checks an identity against the rules of the negotiated protocol: never empty or with control
 * characters; for 2.x at most 48 characters and without ':' (Part 4 §3.1.1).
 */
export function checkIdentity(identity: string, protocol: string | undefined): IdentityResult {
  if (identity === '') return { ok: false, problem: 'missing', message: 'No charging station identity in the path' };
  if (/[\u0000-\u001f\u007f]/.test(identity)) {
    return { ok: false, problem: 'controlCharacter', message: 'Charging station identity contains control characters' };
  }
  if (isOcpp2x(protocol)) {
    if ([...identity].length > MAX_IDENTITY_LENGTH_2X) {
      return { ok: false, problem: 'tooLong', message: `Charging station identity is longer than ${MAX_IDENTITY_LENGTH_2X} characters` };
    }
    if (identity.includes(':')) return { ok: false, problem: 'colon', message: "Charging station identity must not contain ':'" };
  }
  return { ok: true, identity };
}
