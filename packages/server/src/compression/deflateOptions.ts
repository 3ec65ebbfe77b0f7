/**
 * permessage-deflate (RFC 7692) options of a route. The server negotiates and runs the extension itself
 * (see `syncPerMessageDeflate.ts`), so these are its own options, named as `ws` names them.
 */
export interface PerMessageDeflateOptions {
  /**
   * Declare `server_no_context_takeover` in every response (RFC 7692 §7.1.1.1): each message the server sends
   * is compressed on its own, only messages of `threshold` bytes or more are compressed, and nothing is kept
   * between messages. `false` keeps the server's LZ77 window (up to 2^`serverMaxWindowBits` bytes per
   * connection) unless the charger asks otherwise, and compresses every message. @default true
   */
  serverNoContextTakeover?: boolean;
  /**
   * Declare `client_no_context_takeover` in every response (RFC 7692 §7.1.1.2 lets the server ask it of any
   * charger): each message the charger sends is inflated on its own, and an idle connection holds no
   * decompression state. `false` lets a charger keep its context: the server then keeps the last
   * 2^`clientMaxWindowBits` bytes the charger sent (32 KiB by default) per connection. @default true
   */
  clientNoContextTakeover?: boolean;
  /**
   * Largest LZ77 window the server compresses with (9–15). Answered as `server_max_window_bits` when the
   * charger offers that parameter (its value, if lower, wins). @default 15
   */
  serverMaxWindowBits?: number;
  /**
   * Largest LZ77 window asked of a charger that offers `client_max_window_bits` (8–15); bounds what the server
   * keeps per connection when the charger keeps its context. @default 15
   */
  clientMaxWindowBits?: number;
  /** Without server context takeover, messages shorter than this many bytes are sent uncompressed. @default 1024 */
  threshold?: number;
  /** zlib compression level (0–9, or -1 for zlib's default). @default -1 */
  level?: number;
}

/** permessage-deflate options with every default applied. */
export interface ResolvedDeflateOptions {
  readonly serverNoContextTakeover: boolean;
  readonly clientNoContextTakeover: boolean;
  readonly serverMaxWindowBits: number;
  readonly clientMaxWindowBits: number;
  readonly threshold: number;
  readonly level: number;
}

/**
 * permessage-deflate as negotiated when the option is `true`: no context takeover either way, so an idle
 * connection keeps no zlib state or window at all, and small frames (most OCPP frames) go out uncompressed.
 */
export const DEFAULT_PER_MESSAGE_DEFLATE: Readonly<Required<PerMessageDeflateOptions>> = Object.freeze({
  serverNoContextTakeover: true,
  clientNoContextTakeover: true,
  serverMaxWindowBits: 15,
  clientMaxWindowBits: 15,
  threshold: 1024,
  level: -1,
});

function integerIn(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`perMessageDeflate.${name} must be an integer from ${min} to ${max}, got ${value}`);
  return value;
}

/** `false` (off), or the options with defaults applied; throws RangeError on out-of-range values. */
export function resolveDeflateOptions(option: boolean | PerMessageDeflateOptions): false | ResolvedDeflateOptions {
  if (option === false) return false;
  const o = option === true ? {} : option;
  const d = DEFAULT_PER_MESSAGE_DEFLATE;
  const threshold = o.threshold ?? d.threshold;
  if (!(threshold >= 0)) throw new RangeError(`perMessageDeflate.threshold must be 0 or more, got ${threshold}`);
  return {
    serverNoContextTakeover: o.serverNoContextTakeover ?? d.serverNoContextTakeover,
    clientNoContextTakeover: o.clientNoContextTakeover ?? d.clientNoContextTakeover,
    // zlib cannot deflate with a 256-byte window (it silently uses 512), hence 9 and not 8 here.
    serverMaxWindowBits: integerIn('serverMaxWindowBits', o.serverMaxWindowBits ?? d.serverMaxWindowBits, 9, 15),
    clientMaxWindowBits: integerIn('clientMaxWindowBits', o.clientMaxWindowBits ?? d.clientMaxWindowBits, 8, 15),
    threshold,
    level: integerIn('level', o.level ?? d.level, -1, 9),
  };
}
