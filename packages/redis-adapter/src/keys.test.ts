import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyLayout, presenceBucket, PRESENCE_BUCKETS } from './keys.js';

/** The part of a key Redis Cluster hashes: the first `{…}` with something inside, else the whole key. */
function hashTag(key: string): string {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

describe('key layout', () => {
  const keys = keyLayout('csms');

  it('tags every presence key with its bucket, whatever the identity (braces included)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 48 }), (identity) => {
        const bucket = presenceBucket(identity);
        expect(bucket).toBeGreaterThanOrEqual(0);
        expect(bucket).toBeLessThan(PRESENCE_BUCKETS);
        expect(hashTag(keys.presence(identity))).toBe(String(bucket));
        expect(keys.presence(identity).endsWith(`:${identity}`)).toBe(true);
      }),
    );
  });

  it('keeps the bucket function stable (every node, every version must agree on it)', () => {
    expect([presenceBucket('CP-1'), presenceBucket(''), presenceBucket('CP/1 ü:x')]).toEqual([128, 453, 720]);
  });

  it('spreads identities over the buckets', () => {
    const used = new Set(Array.from({ length: 10_000 }, (_, i) => presenceBucket(`CP-${i}`)));
    expect(used.size).toBeGreaterThan(PRESENCE_BUCKETS * 0.95);
  });

  it('gives node channels no shared tag (they spread over the slots of a Redis Cluster)', () => {
    expect(hashTag(keys.nodeChannel('node-a'))).toBe('csms:node:node-a');
  });

  it('refuses a prefix with braces (they would change the hash tags)', () => {
    expect(() => keyLayout('a{b}')).toThrow(TypeError);
  });
});
