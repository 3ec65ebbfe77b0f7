import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Adapter, AdapterHost, PresenceRecord, RemoteCallOutcome, RemoteCallRequest } from '../adapter/adapter.js';
import type { ClusterAdapter, ClusterAdapterOptions } from '../adapter/cluster/clusterAdapter.js';

/** What `makeCluster` returns: at least two adapters that share one cluster, NOT yet initialised. */
export interface AdapterCluster {
  adapters: Adapter[];
  cleanup(): Promise<void>;
}

/** A scripted host: records what the adapter asked it to do and answers from a script. */
class FakeHost implements AdapterHost {
  readonly calls: RemoteCallRequest[] = [];
  readonly broadcasts: Array<{ protocol: string; action: string; params: unknown }> = [];
  readonly presence: PresenceRecord[] = [];
  /** Connections the adapter asked this node to close, as `identity connectionId`. */
  readonly superseded: string[] = [];
  answer: (req: RemoteCallRequest) => Promise<RemoteCallOutcome> = async (req) => ({
    ok: true,
    result: { node: this.nodeId, echo: req.params },
  });
  broadcastAnswer = { delivered: 0, failed: 0 };
  constructor(readonly nodeId: string) {}
  callLocal(req: RemoteCallRequest): Promise<RemoteCallOutcome> {
    this.calls.push(req);
    return this.answer(req);
  }
  async broadcastLocal(protocol: string, action: string, params: unknown): Promise<{ delivered: number; failed: number }> {
    this.broadcasts.push({ protocol, action, params });
    return this.broadcastAnswer;
  }
  localPresence(): PresenceRecord[] {
    return this.presence;
  }
  closeSuperseded(identity: string, connectionId: string): void {
    this.superseded.push(`${identity} ${connectionId}`);
  }
}

/** Polls `condition` for up to two seconds (adapters may tell other nodes over a transport). */
async function eventually(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition() && waited < 2000; waited += 10) await new Promise((r) => setTimeout(r, 10));
}

/**
 * Runs the behaviour every `Adapter` implementation must have, as vitest `describe`/`it` blocks.
 * `makeCluster` is called once per test and must return at least two fresh, uninitialised adapters that
 * see each other (e.g. two Redis adapters on the same Redis with a unique key prefix).
 *
 * @example
 * runAdapterConformanceSuite('InMemoryAdapter', async () => {
 *   const cluster = new InMemoryCluster();
 *   return { adapters: [new InMemoryAdapter({ cluster }), new InMemoryAdapter({ cluster })], cleanup: async () => {} };
 * });
 */
export function runAdapterConformanceSuite(name: string, makeCluster: () => Promise<AdapterCluster>): void {
  describe(`Adapter conformance: ${name}`, () => {
    let cluster: AdapterCluster;
    let a: Adapter;
    let b: Adapter;
    let hostA: FakeHost;
    let hostB: FakeHost;
    let open: Adapter[];

    const record = (identity: string, host: FakeHost, connectionId = randomUUID()): PresenceRecord => ({
      identity,
      nodeId: host.nodeId,
      connectionId,
      protocol: 'ocpp1.6',
      connectedAt: Date.now(),
    });
    const uniqueIdentity = (): string => `CP-${randomUUID().slice(0, 8)}`;

    beforeEach(async () => {
      cluster = await makeCluster();
      if (cluster.adapters.length < 2) throw new Error('makeCluster must return at least two adapters');
      [a, b] = cluster.adapters as [Adapter, Adapter];
      const suffix = randomUUID().slice(0, 8);
      hostA = new FakeHost(`node-a-${suffix}`);
      hostB = new FakeHost(`node-b-${suffix}`);
      await a.init(hostA);
      await b.init(hostB);
      open = [a, b];
    });

    afterEach(async () => {
      for (const adapter of open) await adapter.close();
      await cluster.cleanup();
    });

    it('locate() finds a record registered on any node, from every node', async () => {
      const id = uniqueIdentity();
      const rec = record(id, hostA);
      await a.register(rec);
      expect(await a.locate(id)).toEqual(rec);
      expect(await b.locate(id)).toEqual(rec);
    });

    it('locate() of an unknown identity is undefined', async () => {
      expect(await a.locate(uniqueIdentity())).toBeUndefined();
      expect(await b.locate(uniqueIdentity())).toBeUndefined();
    });

    it('register() overwrites: the newest connection owns the identity', async () => {
      const id = uniqueIdentity();
      await a.register(record(id, hostA));
      const newer = record(id, hostB);
      await b.register(newer);
      expect(await a.locate(id)).toEqual(newer);
    });

    it('register() of a newer connection on another node tells the previous node to close its connection', async () => {
      const id = uniqueIdentity();
      const old = record(id, hostA);
      await a.register(old);
      await a.register(old); // re-registering the same connection (a heartbeat, a reconnect of Redis) is no takeover
      await b.register({ ...record(id, hostB), connectedAt: old.connectedAt + 1 });
      await eventually(() => hostA.superseded.length > 0);
      expect(hostA.superseded).toEqual([`${id} ${old.connectionId}`]);
      expect(hostB.superseded).toEqual([]);
    });

    it('unregister() is fenced by connectionId', async () => {
      const id = uniqueIdentity();
      const old = record(id, hostA);
      const newer = record(id, hostB);
      await a.register(old);
      await b.register(newer);
      await a.unregister(old); // stale disconnect of the replaced connection
      expect(await a.locate(id)).toEqual(newer);
      await b.unregister(newer);
      expect(await a.locate(id)).toBeUndefined();
      expect(await b.locate(id)).toBeUndefined();
    });

    it('unregister() of an identity that is not registered is harmless', async () => {
      await expect(a.unregister(record(uniqueIdentity(), hostA))).resolves.toBeUndefined();
    });

    it('sendCall() runs the call on the named node and returns its result', async () => {
      const req: RemoteCallRequest = {
        identity: 'CP-1',
        protocol: 'ocpp1.6',
        action: 'Reset',
        params: { type: 'Soft', nested: { list: [1, 'two', null, true] } },
        timeoutMs: 5000,
      };
      const outcome = await a.sendCall(hostB.nodeId, req);
      expect(outcome).toEqual({ ok: true, result: { node: hostB.nodeId, echo: req.params } });
      expect(hostB.calls).toEqual([req]);
      expect(hostA.calls).toEqual([]);
    });

    it('sendCall() to its own node works', async () => {
      const outcome = await a.sendCall(hostA.nodeId, {
        identity: 'CP-1', protocol: 'ocpp2.0.1', action: 'Reset', params: { type: 'Immediate' }, timeoutMs: 5000,
      });
      expect(outcome).toEqual({ ok: true, result: { node: hostA.nodeId, echo: { type: 'Immediate' } } });
      expect(hostA.calls).toHaveLength(1);
    });

    it('sendCall() passes error outcomes through unchanged', async () => {
      const rpc: RemoteCallOutcome = {
        ok: false,
        error: { kind: 'rpc', code: 'NotImplemented', description: 'no handler', details: { action: 'Reset' } },
      };
      hostB.answer = async () => rpc;
      expect(await a.sendCall(hostB.nodeId, { identity: 'X', protocol: 'ocpp1.6', action: 'Reset', params: {}, timeoutMs: 5000 })).toEqual(rpc);
      const timeout: RemoteCallOutcome = { ok: false, error: { kind: 'timeout', message: 'no answer' } };
      hostB.answer = async () => timeout;
      expect(await a.sendCall(hostB.nodeId, { identity: 'X', protocol: 'ocpp1.6', action: 'Reset', params: {}, timeoutMs: 5000 })).toEqual(timeout);
    });

    it('concurrent sendCall()s are each answered with their own outcome', async () => {
      hostB.answer = async (req) => {
        const n = (req.params as { n: number }).n;
        await new Promise((r) => setTimeout(r, (n * 7) % 20)); // answer out of order
        return { ok: true, result: { n } };
      };
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, n) =>
          a.sendCall(hostB.nodeId, { identity: `CP-${n}`, protocol: 'ocpp1.6', action: 'DataTransfer', params: { n }, timeoutMs: 5000 }),
        ),
      );
      expect(outcomes).toEqual(Array.from({ length: 20 }, (_, n) => ({ ok: true, result: { n } })));
    });

    it('sendCall() to an unknown node resolves with a failure outcome (never rejects, never hangs)', async () => {
      const outcome = await a.sendCall(`node-missing-${randomUUID()}`, {
        identity: 'CP-1', protocol: 'ocpp1.6', action: 'Reset', params: {}, timeoutMs: 1000,
      });
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) expect(['notConnected', 'timeout', 'closed']).toContain(outcome.error.kind);
    }, 15_000);

    it('sendCall() to a node that has closed resolves with a failure outcome', async () => {
      await b.close();
      open = [a];
      const outcome = await a.sendCall(hostB.nodeId, { identity: 'CP-1', protocol: 'ocpp1.6', action: 'Reset', params: {}, timeoutMs: 1000 });
      expect(outcome.ok).toBe(false);
      expect(hostB.calls).toEqual([]);
    }, 15_000);

    it('broadcast() reaches every node once and sums the per-node counts', async () => {
      hostA.broadcastAnswer = { delivered: 3, failed: 1 };
      hostB.broadcastAnswer = { delivered: 2, failed: 0 };
      const report = await b.broadcast('ocpp2.0.1', 'ClearCache', { x: 1 });
      expect(hostA.broadcasts).toEqual([{ protocol: 'ocpp2.0.1', action: 'ClearCache', params: { x: 1 } }]);
      expect(hostB.broadcasts).toEqual([{ protocol: 'ocpp2.0.1', action: 'ClearCache', params: { x: 1 } }]);
      const byNode = new Map(report.nodes.map((n) => [n.nodeId, n]));
      expect(byNode.get(hostA.nodeId)).toEqual({ nodeId: hostA.nodeId, delivered: 3, failed: 1 });
      expect(byNode.get(hostB.nodeId)).toEqual({ nodeId: hostB.nodeId, delivered: 2, failed: 0 });
      expect(report.delivered).toBe(5);
      expect(report.failed).toBe(1);
    });

    it('close() resolves and the closed node no longer receives broadcasts', async () => {
      await a.close();
      open = [b];
      const report = await b.broadcast('ocpp1.6', 'ClearCache', {});
      expect(hostA.broadcasts).toEqual([]);
      expect(report.nodes.map((n) => n.nodeId)).not.toContain(hostA.nodeId);
    });
  });
}

/** What `makeCluster` of {@link runClusterProtocolSuite} returns: NOT yet initialised `ClusterAdapter`s of one transport. */
export interface ClusterProtocolCluster {
  adapters: ClusterAdapter[];
  /**
   * Makes `adapter`'s node stop counting as live (its liveness lapses, its heartbeats no longer reach the store)
   * while it still receives messages: a node that hangs or is cut off from the store. Resolves at once; the
   * lapse may take up to the presence lifetime.
   */
  lapse(adapter: ClusterAdapter): Promise<void>;
  cleanup(): Promise<void>;
}

/** Options the protocol suite passes to its transports: short lifetimes so liveness tests stay fast. */
export type ClusterProtocolOptions = Required<Pick<ClusterAdapterOptions, 'callGraceMs' | 'heartbeatIntervalMs' | 'presenceTtlMs'>> &
  Pick<ClusterAdapterOptions, 'secret'>;

const SECRET = 'conformance-suite-secret-of-32-bytes!';
const OTHER_SECRET = 'another-conformance-secret-32-bytes!';

/**
 * Runs the behaviour of the cluster protocol (`ClusterAdapter`) over one transport: signing, node liveness,
 * bookkeeping. `makeCluster(options)` is called once per test; every adapter it returns must use `options`.
 */
export function runClusterProtocolSuite(name: string, makeCluster: (options: ClusterProtocolOptions[]) => Promise<ClusterProtocolCluster>): void {
  describe(`Cluster protocol: ${name}`, () => {
    let cluster: ClusterProtocolCluster | undefined;
    const base = { callGraceMs: 200, heartbeatIntervalMs: 100, presenceTtlMs: 600 };
    const req = (n = 0): RemoteCallRequest => ({ identity: `CP-${n}`, protocol: 'ocpp1.6', action: 'Reset', params: { n }, timeoutMs: 800 });

    async function start(options: ClusterProtocolOptions[]): Promise<Array<{ adapter: ClusterAdapter; host: FakeHost }>> {
      cluster = await makeCluster(options);
      const suffix = randomUUID().slice(0, 8);
      return Promise.all(
        cluster.adapters.map(async (adapter, i) => {
          const host = new FakeHost(`node-${i}-${suffix}`);
          await adapter.init(host);
          return { adapter, host };
        }),
      );
    }

    afterEach(async () => {
      if (cluster) {
        for (const adapter of cluster.adapters) await adapter.close();
        await cluster.cleanup();
      }
      cluster = undefined;
    });

    it('nodes sharing a secret talk; a node with another secret is not heard, and its messages are counted as rejected', async () => {
      const [a, b, c] = await start([{ ...base, secret: SECRET }, { ...base, secret: [OTHER_SECRET, SECRET] }, { ...base, secret: OTHER_SECRET }]);
      // b signs with OTHER_SECRET but also accepts SECRET (rotation): a hears b only if it knows OTHER_SECRET, which it does not.
      const [unheard, heard, alsoUnheard] = await Promise.all([
        b!.adapter.sendCall(a!.host.nodeId, req(1)),
        b!.adapter.sendCall(c!.host.nodeId, req(2)),
        a!.adapter.sendCall(c!.host.nodeId, req(3)),
      ]);
      expect(unheard).toEqual({ ok: false, error: expect.objectContaining({ kind: 'timeout' }) });
      expect(a!.host.calls).toEqual([]);
      expect(a!.adapter.stats().rejectedMessages).toBe(1);
      expect(heard).toEqual({ ok: true, result: { node: c!.host.nodeId, echo: { n: 2 } } });
      expect(alsoUnheard).toEqual({ ok: false, error: expect.objectContaining({ kind: 'timeout' }) });
      expect(c!.adapter.stats().rejectedMessages).toBe(1);
      expect(c!.host.calls.map((r) => r.params)).toEqual([{ n: 2 }]);
    }, 10_000);

    it('a node that leaves the live set (missed heartbeats) fails its pending calls at once with notConnected, and later calls too', async () => {
      const [a, b] = await start([base, base]);
      b!.host.answer = () => new Promise<RemoteCallOutcome>(() => undefined); // hangs: no answer will come
      await new Promise((r) => setTimeout(r, 3 * base.heartbeatIntervalMs)); // a has seen b live
      const started = Date.now();
      const pending = a!.adapter.sendCall(b!.host.nodeId, { ...req(), timeoutMs: 30_000 });
      await eventually(() => b!.host.calls.length === 1);
      await cluster!.lapse(b!.adapter);
      expect(await pending).toEqual({ ok: false, error: expect.objectContaining({ kind: 'notConnected' }) });
      expect(Date.now() - started).toBeLessThan(5000); // not the call's 30 s timeout
      expect(await a!.adapter.sendCall(b!.host.nodeId, req())).toEqual({ ok: false, error: expect.objectContaining({ kind: 'notConnected' }) });
      expect(a!.adapter.stats().pendingCalls).toBe(0);
    }, 10_000);

    it('leaves nothing pending after calls and broadcasts', async () => {
      const [a, b] = await start([base, base]);
      await Promise.all(Array.from({ length: 10 }, (_, n) => a!.adapter.sendCall(b!.host.nodeId, req(n))));
      await a!.adapter.broadcast('ocpp1.6', 'ClearCache', {});
      expect(a!.adapter.stats()).toMatchObject({ pendingCalls: 0, pendingBroadcasts: 0 });
      expect(b!.host.calls).toHaveLength(10);
    });
  });
}
