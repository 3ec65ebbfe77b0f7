/**
 * What a channel may be asked to close with, per RFC 6455 — shared by every WebSocket-backed channel
 * (the server's and the client's), so both sides apply the same rules.
 */

/** Close codes an endpoint may send (RFC 6455 §7.4.1/§7.4.2): 1000–1003, 1007–1014, 3000–4999. */
export function isSendableCloseCode(code: number): boolean {
  return Number.isInteger(code) && ((code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999));
}

/** A close reason is limited to 123 UTF-8 bytes (RFC 6455 §5.5: 125-byte control payload minus the code). */
export function truncateCloseReason(reason: string | undefined): string {
  if (!reason) return '';
  let out = reason;
  while (Buffer.byteLength(out, 'utf8') > 123) out = out.slice(0, -1);
  return out;
}
