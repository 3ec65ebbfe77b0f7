import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionClosedError } from '@chargewire/rpc-core';
import type { PresenceRecord, RemoteCallOutcome, RemoteCallRequest } from '@chargewire/server';
import type { Redis } from 'ioredis';
import { RedisServerProcess, waitFor } from './testing/redis.fixture.js';
import { AdapterTestBed } from './testing/testBed.fixture.js';

const req = (identity: string): RemoteCallRequest => ({ identity, protocol: 'ocpp1.6', action: 'Reset', params: { type: 'Soft' }, timeoutMs: 20_000 });

describe('Redis restart', () => {
  let redis: RedisServerProcess;
  let bed: AdapterTestBed;

  beforeAll(async () => {
    redis = await RedisServerProcess.start();
    bed = new AdapterTestBed(redis.url, { presenceTtlSeconds: 30 });
  });
  afterAll(async () => {
    await redis?.restart().catch(() => undefined); // so the clean-up can reach it
    await bed?.cleanup();
    await redis?.kill();
  });

  it('fails in-flight calls with a clear error, then reconnects and re-registers presence', async () => {
    const a = await bed.node();
    const b = await bed.node();
    const reregistered = new Promise<{ records: number }>((resolve) => a.adapter.on('reregistered', resolve));
    const identity = `CP-${randomUUID()}`;
    const rec: PresenceRecord = { identity, nodeId: a.host.nodeId, connectionId: randomUUID(), protocol: 'ocpp1.6', connectedAt: Date.now() };
    a.host.presence.set(identity, rec);
    await a.adapter.register(rec);
    a.host.answer = () => new Promise<RemoteCallOutcome>(() => undefined); // the charger is slow: the call is in flight

    const inFlight = b.adapter.sendCall(a.host.nodeId, req(identity));
    await waitFor(() => a.host.calls.length === 1, 5000, 'the call to reach node A');
    await redis.kill();

    // in flight: fails at once (not after its 20 s timeout) and says why
    expect(await inFlight).toEqual({ ok: false, error: { kind: 'closed', message: expect.stringContaining('Redis connection was lost') } });
    // while Redis is down: fails fast too
    expect(await b.adapter.sendCall(a.host.nodeId, req(identity))).toEqual({
      ok: false,
      error: { kind: 'closed', message: expect.stringContaining('Redis connection is down') },
    });
    expect(b.adapter.stats().pendingCalls).toBe(0);

    await redis.restart(); // empty: no presence, no scripts
    expect(await reregistered).toEqual({ records: 1 });
    // B may still be reconnecting: its lookups then fail with ConnectionClosedError, never answer "absent"
    expect(await waitFor(() => b.adapter.locate(identity).catch(() => undefined), 10_000, 'a lookup on B')).toEqual(rec);

    a.host.answer = async () => ({ ok: true, result: { status: 'Accepted' } });
    const outcome = await waitFor(async () => {
      const o = await b.adapter.sendCall(a.host.nodeId, req(identity));
      return o.ok ? o : undefined; // the subscribers resubscribe on their own schedule
    }, 10_000, 'a cross-node call after the restart');
    expect(outcome).toEqual({ ok: true, result: { status: 'Accepted' } });
    expect((await b.adapter.liveNodes()).sort()).toEqual([a.host.nodeId, b.host.nodeId].sort());
    expect(a.adapter.stats().pendingCalls + b.adapter.stats().pendingCalls).toBe(0);
  });
  it.each([
    ['default options', {}],
    ['autoResubscribe off (the adapter re-subscribes itself)', { autoResubscribe: false }],
  ] as const)('a dropped subscriber connection fails in-flight calls at once, then calls work again (%s)', async (_label, subOptions) => {
    const a = await bed.node();
    const b = await bed.node({}, undefined, subOptions);
    a.host.answer = () => new Promise<RemoteCallOutcome>(() => undefined);
    const inFlight = b.adapter.sendCall(a.host.nodeId, req('CP-sub'));
    await waitFor(() => a.host.calls.length === 1, 5000, 'the call to reach node A');
    const admin = await bed.client();
    const name = (b.adapter.options.sub as Redis).options.connectionName;
    const line = String(await admin.client('LIST')).split('\n').find((l) => l.includes(` name=${name} `));
    const id = /\bid=(\d+)/.exec(line ?? '')?.[1];
    expect(id).toBeDefined();
    await admin.client('KILL', 'ID', id!); // only B's subscriber connection; its command connection lives on
    expect(await inFlight).toMatchObject({ ok: false, error: { kind: 'closed', message: expect.stringContaining('Redis connection was lost') } });
    a.host.answer = async () => ({ ok: true, result: 'back' });
    const outcome = await waitFor(async () => {
      const o = await b.adapter.sendCall(a.host.nodeId, req('CP-sub'));
      return o.ok ? o : undefined;
    }, 10_000, 'calls after the resubscribe');
    expect(outcome).toEqual({ ok: true, result: 'back' });
    expect(b.adapter.stats().pendingCalls).toBe(0);
  });

  it('works with lazily connecting clients', async () => {
    const a = await bed.node({}, undefined, { lazyConnect: true });
    const b = await bed.node();
    expect(await b.adapter.sendCall(a.host.nodeId, req('CP-lazy'))).toMatchObject({ ok: true });
  });

  it('after a restart, a charger that moved during the outage stays with its newest connection, whoever re-registers last', async () => {
    const a = await bed.node({ heartbeatIntervalMs: 300 });
    const b = await bed.node({ heartbeatIntervalMs: 300 });
    const identity = `CP-moved-${randomUUID()}`;
    const old: PresenceRecord = { identity, nodeId: a.host.nodeId, connectionId: 'old', protocol: 'ocpp1.6', connectedAt: Date.now() - 60_000 };
    const newer: PresenceRecord = { identity, nodeId: b.host.nodeId, connectionId: 'new', protocol: 'ocpp1.6', connectedAt: Date.now() };
    // A has not noticed yet that its connection is dead; B holds the charger's new connection
    a.host.presence.set(identity, old);
    b.host.presence.set(identity, newer);
    const conflicts: unknown[] = [];
    a.adapter.on('presenceConflict', (c) => conflicts.push(c));
    const both = Promise.all([
      new Promise((r) => a.adapter.on('reregistered', r)),
      new Promise((r) => b.adapter.on('reregistered', r)),
    ]);
    await redis.kill();
    await redis.restart();
    await both;
    expect(await a.adapter.locate(identity)).toEqual(newer);
    // A's heartbeat keeps reporting the conflict until its server drops the stale connection
    await waitFor(() => conflicts.length > 0, 10_000, 'a presence conflict on node A');
    expect(conflicts[0]).toMatchObject({ identity, connectionId: 'old', owner: { nodeId: b.host.nodeId, connectionId: 'new' } });
  });

  it('locate() while Redis is down or before every node has re-registered fails with ConnectionClosedError, never "not connected"', async () => {
    // A (the charger's node) reconnects 1.5 s after B: B's lookups in between run on a Redis without A's records.
    const a = await bed.node({ heartbeatIntervalMs: 300 }, undefined, {}, { retryStrategy: () => 1500 });
    const b = await bed.node({ heartbeatIntervalMs: 300 }, undefined, {}, { retryStrategy: () => 50 });
    const identity = `CP-lookup-${randomUUID()}`;
    const rec: PresenceRecord = { identity, nodeId: a.host.nodeId, connectionId: randomUUID(), protocol: 'ocpp1.6', connectedAt: Date.now() };
    a.host.presence.set(identity, rec);
    await a.adapter.register(rec);
    await waitFor(async () => (await b.adapter.liveNodes()).includes(a.host.nodeId), 5000, 'B to see A live');
    await new Promise((r) => setTimeout(r, 400)); // one heartbeat of B: it knows A as a live node
    const aBack = new Promise((r) => a.adapter.on('reregistered', r));
    const bBack = new Promise((r) => b.adapter.on('reregistered', r));
    await redis.kill();
    const lookups: Array<Promise<PresenceRecord | Error | undefined>> = [];
    const lookup = (): void => void lookups.push(b.adapter.locate(identity).catch((e: unknown) => e as Error));
    const ticker = setInterval(lookup, 20);
    try {
      await new Promise((r) => setTimeout(r, 200));
      await redis.restart();
      await bBack;
      lookup();
      await aBack;
    } finally {
      clearInterval(ticker);
    }
    const results = await Promise.all(lookups);
    expect(results.length).toBeGreaterThan(10);
    for (const result of results) {
      if (result instanceof Error) expect(result).toBeInstanceOf(ConnectionClosedError);
      else expect(result).toEqual(rec); // never undefined: the charger never left node A
    }
    expect(results.filter((r) => r instanceof ConnectionClosedError).length).toBeGreaterThan(0);
    expect(await b.adapter.locate(identity)).toEqual(rec);
  });
});
