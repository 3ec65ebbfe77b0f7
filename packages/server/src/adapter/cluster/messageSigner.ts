import { createHmac, timingSafeEqual } from 'node:crypto';

/** A shared cluster secret: at least 32 bytes (a string counts its UTF-8 bytes). */
export type ClusterSecret = string | Uint8Array;

/**
 * Signs cluster messages on publish and verifies them on delivery. The one place that knows the envelope, so
 * the cluster protocol around it (and whichever package will own it) only calls `seal` and `open`.
 */
export interface MessageSigner {
  /** True when messages are signed (a secret was configured). */
  readonly signed: boolean;
  /** The payload to publish on `channel` for `text`. */
  seal(channel: string, text: string): string;
  /** The message text, or `undefined` when the payload is not authentic (for this channel, now). */
  open(channel: string, payload: string): string | undefined;
}

/** Minimum secret length: HMAC-SHA256 keys shorter than the 32-byte digest weaken it. */
export const MIN_SECRET_BYTES = 32;

/**
 * How far a signed timestamp may be from the receiver's clock. Bounds the window in which a captured message
 * can be replayed by someone who can publish but does not know the secret. Nodes already need synchronised
 * clocks (presence fencing compares `connectedAt`).
 */
export const SIGNATURE_MAX_AGE_MS = 60_000;

const VERSION = 's1';
const MAC_LENGTH = 43; // 32 bytes of HMAC-SHA256 in unpadded base64url
const BASE64URL_MAC = /^[A-Za-z0-9_-]{43}$/;

/** No secret: messages travel as plain JSON (Redis ACLs and TLS are then the only protection). */
const UNSIGNED: MessageSigner = { signed: false, seal: (_channel, text) => text, open: (_channel, payload) => payload };

function toKey(secret: unknown, index: number): Buffer {
  let key: Buffer;
  if (typeof secret === 'string') key = Buffer.from(secret, 'utf8');
  else if (secret instanceof Uint8Array) key = Buffer.from(secret); // a copy: the caller may reuse its buffer
  else throw new TypeError(`options.secret${index > 0 ? `[${index}]` : ''} must be a string or a Uint8Array`);
  if (key.length < MIN_SECRET_BYTES) throw new RangeError(`options.secret must be at least ${MIN_SECRET_BYTES} bytes (got ${key.length}); e.g. crypto.randomBytes(32)`);
  return key;
}

/**
 * The signer for `secret` (none: messages are not signed). With a list, the first secret signs and every
 * secret verifies, so a cluster can rotate its secret node by node without a gap.
 *
 * Envelope: `s1.<timestamp base36>.<HMAC-SHA256 base64url>.<message>`, the MAC over the version, the channel,
 * the timestamp and the message, so a message cannot be moved to another channel (another node) or re-dated.
 */
export function createMessageSigner(secret: ClusterSecret | readonly ClusterSecret[] | undefined, now: () => number = Date.now): MessageSigner {
  if (secret === undefined) return UNSIGNED;
  const list = Array.isArray(secret) ? (secret as readonly ClusterSecret[]) : [secret as ClusterSecret];
  if (list.length === 0) throw new TypeError('options.secret must not be an empty list');
  const keys = list.map((s, i) => toKey(s, i));
  const mac = (key: Buffer, channel: string, stamp: string, text: string): Buffer =>
    createHmac('sha256', key).update(`${VERSION}\n${channel}\n${stamp}\n`).update(text).digest();
  return {
    signed: true,
    seal(channel, text) {
      const stamp = now().toString(36);
      return `${VERSION}.${stamp}.${mac(keys[0]!, channel, stamp, text).toString('base64url')}.${text}`;
    },
    open(channel, payload) {
      if (!payload.startsWith(`${VERSION}.`)) return undefined;
      const stampEnd = payload.indexOf('.', VERSION.length + 1);
      if (stampEnd < 0 || stampEnd - VERSION.length - 1 > 11) return undefined;
      const macEnd = stampEnd + 1 + MAC_LENGTH;
      if (payload.charCodeAt(macEnd) !== 0x2e /* . */) return undefined;
      const stamp = payload.slice(VERSION.length + 1, stampEnd);
      const sentAt = parseInt(stamp, 36);
      if (!Number.isSafeInteger(sentAt) || Math.abs(now() - sentAt) > SIGNATURE_MAX_AGE_MS) return undefined;
      // Compared as text, not decoded: base64url decoding ignores the spare bits of the last character, which
      // would let several spellings of one MAC pass.
      const givenText = payload.slice(stampEnd + 1, macEnd);
      if (!BASE64URL_MAC.test(givenText)) return undefined;
      const given = Buffer.from(givenText, 'latin1');
      const text = payload.slice(macEnd + 1);
      // Every key is tried (no early exit on the first match), so timing says nothing about which one matched.
      let valid = false;
      for (const key of keys) valid = timingSafeEqual(Buffer.from(mac(key, channel, stamp, text).toString('base64url'), 'latin1'), given) || valid;
      return valid ? text : undefined;
    },
  };
}
