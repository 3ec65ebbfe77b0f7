import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RemoteCallOutcome, RemoteCallRequest } from '@chargewire/server';
import { keyLayout } from './keys.js';
import type { RedisAdapter } from './redisAdapter.js';
import { waitFor } from './testing/redis.fixture.js';
import { AdapterTestBed } from './testing/testBed.fixture.js';
import { TestHost } from './testing/testHost.fixture.js';

const req = (overrides: Partial<RemoteCallRequest> = {}): RemoteCallRequest => ({
  identity: 'CP-1',
  protocol: 'ocpp2.0.1',
  action: 'Reset',
  params: { type: 'Immediate' },
  timeoutMs: 5000,
  ...overrides,
});

describe('cross-node calls', () => {
  let bed: AdapterTestBed;
  let a: RedisAdapter;
  let b: RedisAdapter;
  let hostA: TestHost;
  let hostB: TestHost;

  beforeEach(async () => {
    bed = new AdapterTestBed(undefined, { callGraceMs: 200 });
    ({ adapter: a, host: hostA } = await bed.node());
    ({ adapter: b, host: hostB } = await bed.node());
  });
  afterEach(() => bed.cleanup());

  it('carries results of any JSON shape, including undefined and null', async () => {
    const results: unknown[] = [undefined, null, 0, '', 'text', [1, [2]], { deep: { unicode: 'é☃', n: -1.5e-7 } }];
    for (const result of results) {
      hostB.answer = async () => ({ ok: true, result });
      expect(await a.sendCall(hostB.nodeId, req())).toEqual({ ok: true, result });
    }
  });

  it('a call message published twice (a Redis Cluster client re-sends a command whose reply was lost) runs once', async () => {
    const channel = keyLayout(bed.prefix).nodeChannel(hostB.nodeId);
    const spy = await bed.client();
    const captured: string[] = [];
    spy.on('message', (c: string, m: string) => {
      if (c === channel) captured.push(m);
    });
    await spy.subscribe(channel);
    expect(await a.sendCall(hostB.nodeId, req())).toMatchObject({ ok: true });
    await waitFor(() => captured.length === 1, 5000, 'the call message');
    const publisher = await bed.client();
    expect(await publisher.publish(channel, captured[0]!)).toBe(2); // the very same bytes, to B (and the spy)
    await new Promise((r) => setTimeout(r, 300));
    expect(hostB.calls).toHaveLength(1);
    expect(a.stats().pendingCalls).toBe(0);
  });

  it('passes the charger CALLERROR through unchanged', async () => {
    const outcome: RemoteCallOutcome = {
      ok: false,
      error: { kind: 'rpc', code: 'OccurrenceConstraintViolation', description: 'missing "type"', details: { pointer: '/type' } },
    };
    hostB.answer = async () => outcome;
    expect(await a.sendCall(hostB.nodeId, req())).toEqual(outcome);
  });

  it('times out after timeoutMs plus the grace when the owning node never answers, leaving nothing pending', async () => {
    hostB.answer = () => new Promise<RemoteCallOutcome>(() => undefined); // lost on node B
    const started = Date.now();
    const outcome = await a.sendCall(hostB.nodeId, req({ timeoutMs: 300 }));
    expect(Date.now() - started).toBeGreaterThanOrEqual(490);
    expect(outcome).toEqual({ ok: false, error: { kind: 'timeout', message: expect.stringContaining('within 500 ms') } });
    expect(a.stats().pendingCalls).toBe(0);
  });

  it('drops a reply that arrives after the timeout', async () => {
    let answered!: () => void;
    const late = new Promise<void>((r) => (answered = r));
    hostB.answer = async () => {
      await new Promise((r) => setTimeout(r, 700));
      answered();
      return { ok: true, result: 'late' };
    };
    const outcome = await a.sendCall(hostB.nodeId, req({ timeoutMs: 100 }));
    expect(outcome.ok).toBe(false);
    await late;
    await new Promise((r) => setTimeout(r, 100)); // let the late reply travel through Redis
    expect(a.stats().pendingCalls).toBe(0);
    expect(bed.errors).toEqual([]);
  });

  it('fails at once with notConnected for a node nobody runs', async () => {
    const outcome = await a.sendCall(`ghost-${randomUUID()}`, req({ timeoutMs: 60_000 }));
    expect(outcome).toEqual({ ok: false, error: { kind: 'notConnected', message: expect.stringContaining('not reachable') } });
    expect(a.stats().pendingCalls).toBe(0);
  });

  it('rejects parameters that cannot be serialised with an internal outcome', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(await a.sendCall(hostB.nodeId, req({ params: cyclic }))).toEqual({
      ok: false,
      error: { kind: 'internal', message: expect.stringContaining('serialised') },
    });
    expect(await a.sendCall(hostB.nodeId, req({ timeoutMs: Number.NaN }))).toMatchObject({ ok: false, error: { kind: 'internal' } });
    expect(hostB.calls).toEqual([]);
  });

  it('survives garbage on its channels and answers an unreadable call with an error', async () => {
    const raw = await bed.client();
    const listener = await bed.client();
    const replies: unknown[] = [];
    const fakeNode = `fake-${randomUUID()}`;
    await listener.subscribe(`${bed.prefix}:node:${fakeNode}`);
    listener.on('message', (_channel: string, text: string) => replies.push(JSON.parse(text)));
    const channel = `${bed.prefix}:node:${hostB.nodeId}`;
    for (const junk of ['', 'not json', '[]', 'null', '{"v":2}', '{"v":1,"t":"call"}', '{"v":1,"t":"nope","id":"x","from":"y"}', '{"v":1,"t":"reply","id":"x","from":"y","outcome":{"ok":false,"error":{"kind":"rpc","code":"Bogus","description":"","details":{}}}}']) {
      await raw.publish(channel, junk);
    }
    await raw.publish(channel, JSON.stringify({ v: 1, t: 'call', id: 'req-1', from: fakeNode, req: { identity: 'CP-1' } }));
    const reply = await waitFor(() => replies[0], 5000, 'a reply to the malformed call');
    expect(reply).toEqual({ v: 1, t: 'reply', id: 'req-1', from: hostB.nodeId, outcome: { ok: false, error: { kind: 'internal', message: expect.any(String) } } });
    expect(bed.errors.length).toBe(9);
    expect(hostB.calls).toEqual([]);
    // and the node still works
    expect(await a.sendCall(hostB.nodeId, req())).toMatchObject({ ok: true });
  });

  it('ignores a reply from a node the request did not go to', async () => {
    const raw = await bed.client();
    const spy = await bed.client();
    const seen: Array<{ id: string }> = [];
    await spy.subscribe(`${bed.prefix}:node:${hostB.nodeId}`);
    spy.on('message', (_c: string, text: string) => seen.push(JSON.parse(text) as { id: string }));
    let release!: () => void;
    hostB.answer = () => new Promise((resolve) => (release = () => resolve({ ok: true, result: 'genuine' })));
    const pending = a.sendCall(hostB.nodeId, req());
    const { id } = await waitFor(() => seen[0], 5000, 'the call message');
    await waitFor(() => hostB.calls.length === 1, 5000, 'the call to reach node B');
    // someone who read the request id answers it in another node's name: not accepted
    await raw.publish(`${bed.prefix}:node:${hostA.nodeId}`, JSON.stringify({ v: 1, t: 'reply', id, from: 'mallory', outcome: { ok: true, result: 'forged' } }));
    await raw.publish(`${bed.prefix}:node:${hostA.nodeId}`, JSON.stringify({ v: 1, t: 'reply', id: 'unknown', from: hostB.nodeId, outcome: { ok: true, result: 'stray' } }));
    await raw.ping(); // both forged replies were delivered before the genuine one is released
    release();
    expect(await pending).toEqual({ ok: true, result: 'genuine' });
  });

  it('runs many concurrent calls in both directions without mixing them up', async () => {
    hostA.answer = async (r) => ({ ok: true, result: { at: 'A', n: (r.params as { n: number }).n } });
    hostB.answer = async (r) => ({ ok: true, result: { at: 'B', n: (r.params as { n: number }).n } });
    const calls = Array.from({ length: 200 }, (_, n) =>
      n % 2 ? a.sendCall(hostB.nodeId, req({ params: { n } })) : b.sendCall(hostA.nodeId, req({ params: { n } })),
    );
    const outcomes = await Promise.all(calls);
    outcomes.forEach((o, n) => expect(o).toEqual({ ok: true, result: { at: n % 2 ? 'B' : 'A', n } }));
    expect(a.stats().pendingCalls + b.stats().pendingCalls).toBe(0);
  });

  it('close() settles in-flight calls with a closed error', async () => {
    hostB.answer = () => new Promise<RemoteCallOutcome>(() => undefined);
    const inFlight = a.sendCall(hostB.nodeId, req());
    await waitFor(() => hostB.calls.length === 1, 5000, 'the call to reach node B');
    await a.close();
    expect(await inFlight).toEqual({ ok: false, error: { kind: 'closed', message: expect.stringContaining('closed') } });
    expect(await a.sendCall(hostB.nodeId, req())).toMatchObject({ ok: false, error: { kind: 'closed' } });
    expect(a.stats().pendingCalls).toBe(0);
  });

  it('refuses to start a second node with an id that a live node uses', async () => {
    const twin = await bed.adapter();
    await expect(twin.init({ ...hostA, nodeId: hostA.nodeId, callLocal: hostA.callLocal.bind(hostA), broadcastLocal: hostA.broadcastLocal.bind(hostA), localPresence: () => [], closeSuperseded: () => undefined })).rejects.toThrow(/already used/);
    // the failed init left the original untouched
    expect(await b.sendCall(hostA.nodeId, req())).toMatchObject({ ok: true });
  });

  it('validates options with clear errors', async () => {
    const pub = await bed.client();
    const { createRedisAdapter } = await import('./createRedisAdapter.js');
    expect(() => createRedisAdapter({ pub, sub: pub })).toThrow(/dedicated connection/);
    expect(() => createRedisAdapter({ pub, sub: pub.duplicate({ lazyConnect: true }), presenceTtlSeconds: 1, heartbeatIntervalMs: 1000 })).toThrow(/shorter/);
    expect(() => createRedisAdapter({ pub, sub: pub.duplicate({ lazyConnect: true }), prefix: '' })).toThrow(/prefix/);
    expect(() => createRedisAdapter({ pub: {} as never, sub: pub })).toThrow(/ioredis/);
  });
});

describe('lifecycle', () => {
  let bed: AdapterTestBed;
  beforeEach(() => {
    bed = new AdapterTestBed();
  });
  afterEach(() => bed.cleanup());

  it('calls made while init() runs wait for it instead of failing', async () => {
    const { adapter: b, host: hostB } = await bed.node();
    const a = await bed.adapter();
    const init = a.init(new TestHost(`node-${randomUUID().slice(0, 8)}`));
    const record = { identity: `CP-${randomUUID()}`, nodeId: 'x', connectionId: 'c', protocol: 'ocpp1.6', connectedAt: 1 };
    const [outcome] = await Promise.all([a.sendCall(hostB.nodeId, req()), a.register(record), init]);
    expect(outcome).toMatchObject({ ok: true });
    expect(await b.locate(record.identity)).toEqual(record);
    expect(a.state).toBe('ready');
  });

  it('concurrent close() calls all wait for the clean-up; close() before init() is harmless', async () => {
    const { adapter } = await bed.node();
    const rec = { identity: `CP-${randomUUID()}`, nodeId: adapter.nodeId!, connectionId: 'c', protocol: 'ocpp1.6', connectedAt: 1 };
    await adapter.register(rec);
    const observer = (await bed.node()).adapter;
    await Promise.all([adapter.close(), adapter.close()]);
    expect(await observer.locate(rec.identity)).toBeUndefined();
    const never = await bed.adapter();
    await never.close();
    expect(never.state).toBe('closed');
    await expect(never.init(new TestHost('late'))).rejects.toThrow(/closed/);
  });

  it('a huge timeoutMs does not overflow the timer (the call stays pending until answered)', async () => {
    const { adapter: a } = await bed.node();
    const { host: hostB } = await bed.node();
    let release!: () => void;
    hostB.answer = () => new Promise((resolve) => (release = () => resolve({ ok: true, result: 'eventually' })));
    const pending = a.sendCall(hostB.nodeId, req({ timeoutMs: 1e12 }));
    await waitFor(() => hostB.calls.length === 1, 5000, 'the call to arrive');
    await new Promise((r) => setTimeout(r, 50)); // an overflowed timer would have fired after 1 ms
    expect(a.stats().pendingCalls).toBe(1);
    release();
    expect(await pending).toEqual({ ok: true, result: 'eventually' });
  });
});
