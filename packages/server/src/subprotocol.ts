/**
 * Most subprotocols a client may offer in `Sec-WebSocket-Protocol`. OCPP knows half a dozen versions; a
 * handshake offering more is refused with 400 before anything else reads the list (a 13 KB header holds
 * thousands of tokens, which would otherwise be parsed, compared and stored per handshake).
 */
export const MAX_OFFERED_SUBPROTOCOLS = 32;

/**
 * Parses a `Sec-WebSocket-Protocol` request header (comma-separated tokens, possibly repeated headers) into
 * its distinct tokens in order. Linear in the header length; stops after `limit` distinct tokens, so a caller
 * that passes `max + 1` learns that more than `max` were offered without collecting them all.
 */
export function parseProtocolHeader(header: string | string[] | undefined, limit = Infinity): string[] {
  if (header === undefined) return [];
  const text = Array.isArray(header) ? header.join(',') : header;
  const out: string[] = [];
  const seen = new Set<string>();
  let start = 0;
  while (start <= text.length && out.length < limit) {
    let end = text.indexOf(',', start);
    if (end < 0) end = text.length;
    const token = text.slice(start, end).trim();
    if (token !== '' && !seen.has(token)) {
      seen.add(token);
      out.push(token);
    }
    start = end + 1;
  }
  return out;
}

/**
 * Picks the subprotocol by the SERVER's preference order (DESIGN rule 2): the first of `supported`
 * that the client offered. Matching is exact (subprotocol tokens are case-sensitive, RFC 6455 §4.1).
 * `undefined` means no match: the server then completes the handshake without the header and closes.
 */
export function selectProtocol(supported: readonly string[], offered: readonly string[]): string | undefined {
  for (const protocol of supported) if (offered.includes(protocol)) return protocol;
  return undefined;
}
