/**
 * Who may speak on the cluster channels, with a real Redis and real OCPPServer nodes: with a shared `secret`,
 * a publish from outside the cluster (no or wrong signature) reaches no charger, nodes sharing the secret
 * work as before, and nodes with different secrets cannot talk. Connection ids cannot be guessed.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedisAdapter } from './createRedisAdapter.js';
import { keyLayout } from './keys.js';
import { createMessageSigner, encodeClusterMessage as encodeMessage } from '@chargewire/server/testing';
import { callFrom, startClusterNode, type ClusterNode, type ClusterNodeConfig } from './testing/clusterNode.fixture.js';
import { RawCharger } from './testing/rawCharger.fixture.js';
import { deletePrefix, REDIS_URL, uniquePrefix, waitFor } from './testing/redis.fixture.js';

const SECRET = randomBytes(32);
const OTHER_SECRET = 'another-cluster-secret-of-32-bytes!!';

const cleanups: Array<() => Promise<unknown> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function cluster(secrets: Array<ClusterNodeConfig['secret']>, extra: Partial<ClusterNodeConfig> = {}) {
  const prefix = uniquePrefix('sec');
  const nodes = await Promise.all(
    secrets.map((secret, i) =>
      startClusterNode({
        redisUrl: REDIS_URL,
        prefix,
        nodeId: `node-${i}-${randomUUID().slice(0, 6)}`,
        callTimeoutMs: 1000,
        callGraceMs: 200,
        broadcastTimeoutMs: 1000,
        ...(secret !== undefined && { secret }),
        ...extra,
      }),
    ),
  );
  const redis = new Redis(REDIS_URL);
  cleanups.push(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await deletePrefix(redis, prefix);
    redis.disconnect();
  });
  return { prefix, nodes, redis, keys: keyLayout(prefix) };
}

async function connect(node: ClusterNode, identity = `CP-${randomUUID().slice(0, 8)}`): Promise<RawCharger> {
  const charger = await RawCharger.connect(node.url, identity);
  cleanups.push(() => charger.terminate());
  await waitFor(async () => (await node.adapter.locate(identity))?.nodeId === node.server.nodeId, 5000, `${identity} presence`);
  return charger;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('redis-adapter: signed cluster messages', () => {
  it('a forged publish (no signature, wrong signature, or a replayed one on another channel) reaches no charger', async () => {
    const { nodes, redis, keys } = await cluster([SECRET]);
    const [a] = nodes as [ClusterNode];
    const errors: Error[] = [];
    a.adapter.on('error', (e) => errors.push(e));
    const charger = await connect(a);
    const channel = keys.nodeChannel(a.server.nodeId);
    // Anyone who can read Redis knows the connection id from the presence hash.
    const { connectionId } = await redis.hgetall(keys.presence(charger.identity));
    const call = { t: 'call', id: randomUUID(), from: 'attacker', req: { identity: charger.identity, protocol: 'ocpp1.6', action: 'Reset', params: { type: 'Hard' }, timeoutMs: 5000 } } as const;
    const superseded = { t: 'superseded', id: randomUUID(), from: 'attacker', identity: charger.identity, connectionId: connectionId! } as const;
    const bcast = { t: 'bcast', id: randomUUID(), from: 'attacker', protocol: 'ocpp1.6', action: 'Reset', params: { type: 'Hard' } } as const;
    const wrongKey = createMessageSigner(OTHER_SECRET);
    const forged = [
      [channel, encodeMessage(call)],
      [channel, encodeMessage(superseded)],
      [keys.broadcastChannel, encodeMessage(bcast)],
      [channel, wrongKey.seal(channel, encodeMessage(call))],
      // Correctly signed, but for the broadcast channel: not valid on the node's own channel.
      [channel, createMessageSigner(SECRET).seal(keys.broadcastChannel, encodeMessage(call))],
    ] as const;
    const replies: string[] = [];
    const listener = redis.duplicate();
    cleanups.push(() => listener.disconnect());
    await listener.subscribe(keys.nodeChannel('attacker'));
    listener.on('message', (_channel, text) => replies.push(text));
    for (const [ch, payload] of forged) expect(await redis.publish(ch, payload)).toBe(1);

    await waitFor(() => a.adapter.stats().rejectedMessages === forged.length, 3000, 'every forged message to be rejected');
    await sleep(200);
    expect(charger.calls).toEqual([]);
    expect(charger.ws.readyState).toBe(charger.ws.OPEN);
    expect(replies).toEqual([]); // not even an error reply: no reflection toward the publisher
    // Logged once (rate-limited), without the content.
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/failed signature verification/);
    expect(errors.map((e) => e.message).join('\n')).not.toMatch(/Reset|attacker|Hard/);
  });

  it('nodes sharing the secret call each other and broadcast as before', async () => {
    const { nodes } = await cluster([SECRET, SECRET]);
    const [a, b] = nodes as [ClusterNode, ClusterNode];
    const onA = await connect(a);
    const onB = await connect(b);
    expect(await callFrom(b.server, onA.identity, 'DataTransfer', { vendorId: 'cw', data: 'hi' })).toEqual({
      ok: true,
      result: { status: 'Accepted', data: JSON.stringify({ identity: onA.identity, data: 'hi' }) },
    });
    const report = await b.server.broadcast('ocpp1.6', 'ClearCache', {});
    expect(report.delivered).toBe(2);
    expect(onB.calls.map((c) => c.action)).toEqual(['ClearCache']);
    expect(a.adapter.stats().rejectedMessages + b.adapter.stats().rejectedMessages).toBe(0);
  });

  it('nodes with different secrets (or one without) cannot talk', async () => {
    const { nodes } = await cluster([SECRET, OTHER_SECRET, undefined]);
    const [a, b, c] = nodes as [ClusterNode, ClusterNode, ClusterNode];
    const onA = await connect(a);
    for (const caller of [b, c]) {
      const outcome = await callFrom(caller.server, onA.identity, 'DataTransfer', { vendorId: 'cw', data: 'hi' }, 300);
      expect(outcome).toMatchObject({ ok: false, error: { name: 'TimeoutError' } });
    }
    expect(onA.calls).toEqual([]);
    expect(a.adapter.stats().rejectedMessages).toBe(2);
  });

  it('a list of secrets signs with the first and accepts any (rotation node by node)', async () => {
    // Mid-rotation: every node already accepts both; b has switched to signing with the new one, a not yet.
    const { nodes } = await cluster([[SECRET, OTHER_SECRET], [OTHER_SECRET, SECRET]]);
    const [a, b] = nodes as [ClusterNode, ClusterNode];
    const onA = await connect(a);
    const onB = await connect(b);
    expect(await callFrom(b.server, onA.identity, 'DataTransfer', { vendorId: 'cw' })).toMatchObject({ ok: true });
    expect(await callFrom(a.server, onB.identity, 'DataTransfer', { vendorId: 'cw' })).toMatchObject({ ok: true });
    expect(a.adapter.stats().rejectedMessages + b.adapter.stats().rejectedMessages).toBe(0);
  });

  it('keeps the secret out of the adapter options as serialised or inspected', async () => {
    const secret = 'do-not-print-this-cluster-secret-0123456789';
    const { nodes } = await cluster([secret]);
    const adapter = nodes[0]!.adapter;
    const { pub: _pub, sub: _sub, ...rest } = adapter.options;
    expect(JSON.stringify(rest)).not.toContain(secret);
    expect(inspect(rest, { depth: 10, showHidden: true })).not.toContain(secret);
  });

  it('refuses a secret shorter than 32 bytes or of the wrong type', () => {
    const pub = new Redis(REDIS_URL, { lazyConnect: true });
    const sub = pub.duplicate();
    const create = (secret: unknown) => () => createRedisAdapter({ pub, sub, secret: secret as string });
    expect(create('short-secret')).toThrow(RangeError);
    expect(create(new Uint8Array(31))).toThrow(RangeError);
    expect(create([])).toThrow(TypeError);
    expect(create(42)).toThrow(TypeError);
    expect(create([SECRET, 42])).toThrow(TypeError);
    expect(create(new Uint8Array(32))).not.toThrow();
  });
});

describe('redis-adapter: connection ids', () => {
  it('are random, not a counter or a clock: nothing about one connection id predicts the next', async () => {
    const { nodes, redis, keys } = await cluster([undefined]);
    const [a] = nodes as [ClusterNode];
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const charger = await connect(a);
      ids.push((await redis.hgetall(keys.presence(charger.identity))).connectionId!);
    }
    const prefix = `${a.server.nodeId}:`;
    for (const id of ids) {
      expect(id.startsWith(prefix)).toBe(true);
      expect(id.slice(prefix.length)).toMatch(/^[A-Za-z0-9_-]{16}$/); // 96 random bits
    }
    expect(new Set(ids).size).toBe(ids.length);
    // Consecutive serials share no long common prefix (a counter or a timestamp would).
    const serials = ids.map((id) => id.slice(prefix.length));
    const sharedPrefix = (x: string, y: string) => [...x].findIndex((ch, i) => ch !== y[i]);
    expect(Math.max(...serials.slice(1).map((s, i) => sharedPrefix(s, serials[i]!)))).toBeLessThan(6);
  });
});
