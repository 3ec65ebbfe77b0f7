import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PresenceRecord } from '@chargewire/server';
import type { PresenceConflict } from '@chargewire/server';
import { presenceBucket } from './keys.js';
import type { RedisAdapter } from './redisAdapter.js';
import { AdapterTestBed } from './testing/testBed.fixture.js';
import type { TestHost } from './testing/testHost.fixture.js';

const record = (identity: string, nodeId: string, overrides: Partial<PresenceRecord> = {}): PresenceRecord => ({
  identity,
  nodeId,
  connectionId: randomUUID(),
  protocol: 'ocpp2.0.1',
  connectedAt: Date.now(),
  ...overrides,
});

describe('presence', () => {
  let bed: AdapterTestBed;
  let a: RedisAdapter;
  let b: RedisAdapter;
  let hostA: TestHost;
  let hostB: TestHost;

  beforeEach(async () => {
    bed = new AdapterTestBed(undefined, { presenceTtlSeconds: 30 });
    ({ adapter: a, host: hostA } = await bed.node());
    ({ adapter: b, host: hostB } = await bed.node());
  });
  afterEach(() => bed.cleanup());

  it('stores the record as a hash under <prefix>:presence:{<bucket>}:<identity> with the presence TTL', async () => {
    const rec = record('CP/1 ü:x', hostA.nodeId); // any identity string is a valid key suffix
    await a.register(rec);
    const redis = await bed.client();
    const key = `${bed.prefix}:presence:{${presenceBucket('CP/1 ü:x')}}:CP/1 ü:x`;
    expect(await redis.hgetall(key)).toEqual({
      nodeId: rec.nodeId,
      connectionId: rec.connectionId,
      protocol: rec.protocol,
      connectedAt: String(rec.connectedAt),
    });
    const pttl = await redis.pttl(key);
    expect(pttl).toBeGreaterThan(25_000);
    expect(pttl).toBeLessThanOrEqual(30_000);
    expect(await b.locate('CP/1 ü:x')).toEqual(rec);
  });

  it('a stale node cannot overwrite the presence of a charger that reconnected elsewhere', async () => {
    const conflicts: PresenceConflict[] = [];
    a.on('presenceConflict', (c) => conflicts.push(c));
    const id = `CP-${randomUUID()}`;
    const old = record(id, hostA.nodeId, { connectedAt: 1_000 });
    const newer = record(id, hostB.nodeId, { connectedAt: 2_000 });
    await b.register(newer);
    await a.register(old); // delayed register of the older connection (e.g. queued during a Redis outage)
    expect(await a.locate(id)).toEqual(newer);
    expect(conflicts).toEqual([
      { identity: id, connectionId: old.connectionId, owner: { nodeId: hostB.nodeId, connectionId: newer.connectionId }, during: 'register' },
    ]);
    await a.unregister(old); // and its disconnect does not remove the new owner
    expect(await b.locate(id)).toEqual(newer);
  });

  it('re-registering the same connection refreshes it, whatever its connectedAt', async () => {
    const id = `CP-${randomUUID()}`;
    const rec = record(id, hostA.nodeId);
    await a.register(rec);
    const moved = { ...rec, protocol: 'ocpp1.6', connectedAt: rec.connectedAt - 5 };
    await a.register(moved);
    expect(await b.locate(id)).toEqual(moved);
  });

  it('locate() treats a malformed record as absent and reports it', async () => {
    const redis = await bed.client();
    await redis.set(bed.presenceKey('CP-string'), 'not a hash');
    await redis.hset(bed.presenceKey('CP-partial'), 'nodeId', 'n1');
    expect(await a.locate('CP-string')).toBeUndefined();
    expect(await a.locate('CP-partial')).toBeUndefined();
    expect(bed.errors.map((e) => e.message)).toEqual([
      expect.stringContaining('"CP-string" is malformed'),
      expect.stringContaining('"CP-partial" is malformed'),
    ]);
    // a real registration replaces the junk
    const rec = record('CP-string', hostA.nodeId);
    await a.register(rec);
    expect(await b.locate('CP-string')).toEqual(rec);
  });

  it('rejects invalid records with a TypeError and calls before init() with a clear error', async () => {
    await expect(a.register({ ...record('X', hostA.nodeId), connectionId: '' })).rejects.toThrow(TypeError);
    await expect(a.register({ ...record('X', hostA.nodeId), connectedAt: Number.NaN })).rejects.toThrow(/connectedAt/);
    const fresh = await bed.adapter();
    await expect(fresh.locate('X')).rejects.toThrow(/not initialised/);
    await fresh.close();
    await expect(fresh.register(record('X', 'n'))).rejects.toThrow(/closed/);
  });

  it('close() removes (fenced) the presence registered through the adapter, not newer owners', async () => {
    const mine = record(`CP-${randomUUID()}`, hostA.nodeId);
    const id = `CP-${randomUUID()}`;
    const lost = record(id, hostA.nodeId, { connectedAt: 1 });
    const winner = record(id, hostB.nodeId, { connectedAt: 2 });
    await a.register(mine);
    await a.register(lost);
    await b.register(winner);
    expect(a.stats().trackedPresence).toBe(2);
    await a.close();
    expect(await b.locate(mine.identity)).toBeUndefined();
    expect(await b.locate(id)).toEqual(winner);
    expect(await b.liveNodes()).toEqual([hostB.nodeId]);
  });

  it('fencing matches the model for any interleaving of registers and unregisters (property)', async () => {
    const conns = ['c1', 'c2', 'c3'] as const;
    const op = fc.oneof(
      fc.record({ kind: fc.constant('register' as const), conn: fc.constantFrom(...conns), at: fc.integer({ min: 0, max: 5 }), viaB: fc.boolean() }),
      fc.record({ kind: fc.constant('unregister' as const), conn: fc.constantFrom(...conns), at: fc.integer({ min: 0, max: 5 }), viaB: fc.boolean() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 15 }), async (ops) => {
        const identity = `CP-prop-${randomUUID()}`;
        let model: PresenceRecord | undefined;
        for (const o of ops) {
          const via = o.viaB ? b : a;
          const rec: PresenceRecord = { identity, nodeId: o.viaB ? hostB.nodeId : hostA.nodeId, connectionId: o.conn, protocol: 'ocpp1.6', connectedAt: o.at };
          if (o.kind === 'register') {
            await via.register(rec);
            // the newest connection owns the identity; ties go to the latest writer
            if (!model || model.connectionId === rec.connectionId || model.connectedAt <= rec.connectedAt) model = rec;
          } else {
            await via.unregister(rec);
            if (model?.connectionId === rec.connectionId) model = undefined;
          }
          expect(await a.locate(identity)).toEqual(model);
        }
      }),
      { numRuns: 40 },
    );
  });
});
