import type { ResolvedDeflateOptions } from './deflateOptions.js';
import { parseExtensionOffers } from './extensionHeader.js';
import type { ExtensionOffer } from './extensionHeader.js';

export const PERMESSAGE_DEFLATE = 'permessage-deflate';

/** What both sides agreed on for one connection (RFC 7692 §7.1). */
export interface DeflateAgreement {
  /** The server resets its compressor after every message. */
  readonly serverNoContextTakeover: boolean;
  /** The charger resets its compressor after every message (so the server keeps no window). */
  readonly clientNoContextTakeover: boolean;
  /** Window the server compresses with. */
  readonly serverWindowBits: number;
  /** Largest window the charger may compress with: what the server keeps with client context takeover. */
  readonly clientWindowBits: number;
  /** The `Sec-WebSocket-Extensions` response value. */
  readonly response: string;
}

/** A `*_max_window_bits` value: 1*DIGIT from 8 to 15 (RFC 7692 §7.1.2), else undefined. */
function windowBits(value: string): number | undefined {
  if (!/^[0-9]{1,2}$/.test(value)) return undefined;
  const bits = Number(value);
  return bits >= 8 && bits <= 15 ? bits : undefined;
}

/**
 * The agreement for one permessage-deflate offer, or undefined when the server declines it (RFC 7692 §5: an
 * unknown parameter, a repeated one, an invalid value, or a value the server cannot honour).
 */
function acceptOffer(offer: ExtensionOffer, options: ResolvedDeflateOptions): DeflateAgreement | undefined {
  const seen = new Set<string>();
  let serverNoContextTakeover = options.serverNoContextTakeover;
  let clientNoContextTakeover = options.clientNoContextTakeover;
  let offeredServerBits: number | undefined;
  let offeredClientBits: number | true | undefined;
  for (const [name, value] of offer.params) {
    if (seen.has(name)) return undefined;
    seen.add(name);
    switch (name) {
      case 'server_no_context_takeover':
        if (value !== true) return undefined;
        serverNoContextTakeover = true;
        break;
      case 'client_no_context_takeover':
        // A hint that the charger resets its context anyway (§7.1.1.2): echoing it costs nothing and saves the window.
        if (value !== true) return undefined;
        clientNoContextTakeover = true;
        break;
      case 'server_max_window_bits': {
        if (value === true) return undefined;
        const bits = windowBits(value);
        // zlib cannot compress with a 256-byte window: decline rather than send what the charger cannot inflate.
        if (bits === undefined || bits < 9) return undefined;
        offeredServerBits = bits;
        break;
      }
      case 'client_max_window_bits': {
        if (value === true) {
          offeredClientBits = true;
          break;
        }
        const bits = windowBits(value);
        if (bits === undefined) return undefined;
        offeredClientBits = bits;
        break;
      }
      default:
        return undefined;
    }
  }
  const params = [PERMESSAGE_DEFLATE];
  if (serverNoContextTakeover) params.push('server_no_context_takeover');
  if (clientNoContextTakeover) params.push('client_no_context_takeover');
  // §7.1.2.1: with the parameter offered, answer it with the same or a smaller value; a window smaller than
  // declared is always inflatable, so without it the server simply compresses with its own.
  const serverWindowBits = Math.min(offeredServerBits ?? 15, options.serverMaxWindowBits);
  if (offeredServerBits !== undefined) params.push(`server_max_window_bits=${serverWindowBits}`);
  // §7.1.2.2: only a charger that offered client_max_window_bits may be told a limit.
  let clientWindowBits = 15;
  if (offeredClientBits !== undefined) {
    clientWindowBits = Math.min(offeredClientBits === true ? 15 : offeredClientBits, options.clientMaxWindowBits);
    if (offeredClientBits !== true || clientWindowBits < 15) params.push(`client_max_window_bits=${clientWindowBits}`);
  }
  const response = params.join('; ');
  // The response names every parameter: one shared agreement per distinct response (a few hundred at most), so
  // a connection does not keep a copy of its own.
  let agreement = agreements.get(response);
  if (!agreement) {
    agreement = Object.freeze({ serverNoContextTakeover, clientNoContextTakeover, serverWindowBits, clientWindowBits, response });
    agreements.set(response, agreement);
  }
  return agreement;
}

const agreements = new Map<string, DeflateAgreement>();

/**
 * Picks the first acceptable permessage-deflate offer of a `Sec-WebSocket-Extensions` header (offers are in
 * the charger's order of preference, RFC 7692 §5). Undefined: no offer, none acceptable, or a malformed
 * header; the connection then goes on without compression.
 */
export function negotiatePerMessageDeflate(header: string | string[] | undefined, options: ResolvedDeflateOptions): DeflateAgreement | undefined {
  if (header === undefined) return undefined;
  const offers = parseExtensionOffers(header);
  if (!offers) return undefined;
  for (const offer of offers) {
    if (offer.name !== PERMESSAGE_DEFLATE) continue;
    const agreement = acceptOffer(offer, options);
    if (agreement) return agreement;
  }
  return undefined;
}
