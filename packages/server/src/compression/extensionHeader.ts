/**
 * Parser of the `Sec-WebSocket-Extensions` request header (RFC 6455 §9.1):
 *
 *   extension-list = 1#extension
 *   extension      = token *( ";" param )
 *   param          = token [ "=" ( token / quoted-string ) ]
 *
 * It keeps every offer, in order, with its parameters as written (duplicates included), so the
 * negotiation can decline one offer and try the next, as RFC 7692 §5 asks, instead of refusing the
 * whole handshake over one bad offer.
 */

/** One offered extension: its name and its parameters in order (`true` for a parameter without a value). */
export interface ExtensionOffer {
  readonly name: string;
  readonly params: ReadonlyArray<readonly [name: string, value: string | true]>;
}

/** Offers beyond this many are ignored: a charger offers one or two, and parsing stays linear and small. */
export const MAX_EXTENSION_OFFERS = 16;

const TCHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

function isTchar(c: string | undefined): boolean {
  return c !== undefined && TCHAR.test(c);
}

/** The offers of a header, or `undefined` when the header is malformed (then no extension is accepted). */
export function parseExtensionOffers(header: string | string[] | undefined): ExtensionOffer[] | undefined {
  if (header === undefined) return [];
  const text = Array.isArray(header) ? header.join(',') : header;
  const offers: ExtensionOffer[] = [];
  let i = 0;
  const n = text.length;
  const skipSpace = (): void => {
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
  };
  const token = (): string | undefined => {
    const start = i;
    while (i < n && isTchar(text[i])) i++;
    return i > start ? text.slice(start, i) : undefined;
  };
  const quoted = (): string | undefined => {
    // RFC 7230 §3.2.6 quoted-string with quoted-pair.
    i++;
    let value = '';
    while (i < n) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return value;
      }
      if (c === '\\') {
        i++;
        if (i >= n) return undefined;
        value += text[i]!;
        i++;
        continue;
      }
      if (c < ' ' && c !== '\t') return undefined;
      value += c;
      i++;
    }
    return undefined;
  };
  while (i < n) {
    skipSpace();
    // Empty list elements (",,") are allowed by the #rule.
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (i >= n) break;
    const name = token();
    if (name === undefined) return undefined;
    const params: Array<[string, string | true]> = [];
    skipSpace();
    while (text[i] === ';') {
      i++;
      skipSpace();
      const param = token();
      if (param === undefined) return undefined;
      skipSpace();
      let value: string | true = true;
      if (text[i] === '=') {
        i++;
        skipSpace();
        const v = text[i] === '"' ? quoted() : token();
        if (v === undefined) return undefined;
        value = v;
        skipSpace();
      }
      params.push([param.toLowerCase(), value]);
    }
    if (i < n && text[i] !== ',') return undefined;
    if (offers.length < MAX_EXTENSION_OFFERS) offers.push({ name: name.toLowerCase(), params });
  }
  return offers;
}
