/** Parses a `Sec-WebSocket-Protocol` request header (comma-separated tokens, possibly repeated headers). */
export function parseProtocolHeader(header: string | string[] | undefined): string[] {
  if (header === undefined) return [];
  const text = Array.isArray(header) ? header.join(',') : header;
  const out: string[] = [];
  for (const part of text.split(',')) {
    const token = part.trim();
    if (token !== '' && !out.includes(token)) out.push(token);
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
