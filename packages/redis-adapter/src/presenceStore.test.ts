import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PresenceRecord } from '@chargewire/server';
import fc from 'fast-check';
import { keyLayout, presenceBucket } from './keys.js';
import { RedisPresenceStore } from './presenceStore.js';
import { AdapterTestBed } from './testing/testBed.fixture.js';

describe('RedisPresenceStore.refresh', () => {
  let bed: AdapterTestBed;
  beforeEach(() => {
    bed = new AdapterTestBed();
  });
  afterEach(() => bed.cleanup());

  const record = (identity: string): PresenceRecord => ({ identity, nodeId: 'n1', connectionId: `n1:${randomUUID()}`, protocol: 'ocpp1.6', connectedAt: Date.now() });

  it('answers per record, in order, across many buckets: refreshed, missing, not a hash, taken, malformed hash', async () => {
    const redis = await bed.client();
    const store = new RedisPresenceStore(redis, keyLayout(bed.prefix), 60_000);
    const owned = Array.from({ length: 300 }, (_, i) => record(`CP-own-${i}`));
    for (const r of owned) await store.register(r);
    const missing = record('CP-missing');
    const notHash = record('CP-string');
    await redis.set(bed.presenceKey(notHash.identity), 'x');
    const taken = record('CP-taken');
    await redis.hset(bed.presenceKey(taken.identity), { nodeId: 'n2', connectionId: 'n2:newer', protocol: 'ocpp1.6', connectedAt: String(Date.now() + 1) });
    const noConnection = record('CP-partial');
    await redis.hset(bed.presenceKey(noConnection.identity), { nodeId: 'n3' });
    await redis.pexpire(bed.presenceKey(owned[0]!.identity), 1000);

    const results = await store.refresh([missing, ...owned, notHash, taken, noConnection]);
    expect(results[0]).toEqual({ status: 'missing' });
    expect(results.slice(1, 301).every((r) => r.status === 'refreshed')).toBe(true);
    expect(results.slice(301)).toEqual([
      { status: 'missing' },
      { status: 'superseded', owner: { nodeId: 'n2', connectionId: 'n2:newer' } },
      { status: 'superseded', owner: { nodeId: 'n3', connectionId: '' } },
    ]);
    expect(await redis.pttl(bed.presenceKey(owned[0]!.identity))).toBeGreaterThan(50_000);
  });
});

describe('RedisPresenceStore.sliceOf', () => {
  it('cuts the key space into parts of whole hash-tag buckets, each in range (property)', () => {
    // sliceOf is arithmetic on the identity: no Redis connection is needed for it.
    const store = new RedisPresenceStore(undefined as never, keyLayout('p'), 60_000);
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 48 }), { minLength: 1, maxLength: 200 }), fc.integer({ min: 1, max: 64 }), (identities, slices) => {
        const sliceOfBucket = new Map<number, number>();
        for (const identity of identities) {
          const slice = store.sliceOf(identity, slices);
          expect(Number.isInteger(slice) && slice >= 0 && slice < slices).toBe(true);
          const bucket = presenceBucket(identity);
          expect(sliceOfBucket.get(bucket) ?? slice).toBe(slice);
          sliceOfBucket.set(bucket, slice);
        }
      }),
    );
  });
});
