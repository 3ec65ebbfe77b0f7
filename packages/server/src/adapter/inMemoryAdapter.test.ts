import { describe, expect, it } from 'vitest';
import { runAdapterConformanceSuite, runClusterProtocolSuite } from '../testing/index.js';
import { InMemoryAdapter, InMemoryCluster } from './inMemoryAdapter.js';

runAdapterConformanceSuite('InMemoryAdapter', async () => {
  const cluster = new InMemoryCluster();
  return { adapters: [new InMemoryAdapter({ cluster }), new InMemoryAdapter({ cluster }), new InMemoryAdapter({ cluster })], cleanup: async () => {} };
});

runClusterProtocolSuite('InMemoryAdapter', async (options) => {
  const cluster = new InMemoryCluster();
  return {
    adapters: options.map((o) => new InMemoryAdapter({ cluster, ...o })),
    lapse: async (adapter) => {
      if (adapter.nodeId) cluster.store.expireNode(adapter.nodeId);
    },
    cleanup: async () => {},
  };
});

describe('InMemoryAdapter', () => {
  it('refuses two nodes with the same id in one cluster', async () => {
    const cluster = new InMemoryCluster();
    const host = { nodeId: 'n1', callLocal: async () => ({ ok: true as const, result: null }), broadcastLocal: async () => ({ delivered: 0, failed: 0 }), localPresence: () => [], closeSuperseded: () => undefined };
    await new InMemoryAdapter({ cluster }).init(host);
    await expect(new InMemoryAdapter({ cluster }).init({ ...host })).rejects.toThrow(/already/);
  });

  it('drops the presence of a node when it closes', async () => {
    const cluster = new InMemoryCluster();
    const adapter = new InMemoryAdapter({ cluster });
    await adapter.init({ nodeId: 'n1', callLocal: async () => ({ ok: true, result: null }), broadcastLocal: async () => ({ delivered: 0, failed: 0 }), localPresence: () => [], closeSuperseded: () => undefined });
    await adapter.register({ identity: 'CP', nodeId: 'n1', connectionId: 'c', protocol: 'ocpp1.6', connectedAt: 1 });
    await adapter.close();
    expect(cluster.presence.size).toBe(0);
  });
});
