import { randomFillSync } from 'node:crypto';

const BYTES = 12; // 96 bits: not guessable, 16 characters of base64url
const POOL = BYTES * 256;
const pool = Buffer.allocUnsafe(POOL);
let offset = POOL;

/**
 * A random (CSPRNG) per-connection serial; with the node id it makes the connection id. Presence fencing only
 * needs uniqueness, but the connection id is also what a cluster peer names to close a superseded connection,
 * so it must not be guessable from a counter or a clock. Drawn from a pool refilled 256 ids at a time.
 */
export function newConnectionSerial(): string {
  if (offset + BYTES > POOL) {
    randomFillSync(pool);
    offset = 0;
  }
  const serial = pool.toString('base64url', offset, offset + BYTES);
  offset += BYTES;
  return serial;
}
