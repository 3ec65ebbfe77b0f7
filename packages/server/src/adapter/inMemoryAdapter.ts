import { Adapter } from './adapter.js';
import type { AdapterHost, BroadcastReport, PresenceRecord, RemoteCallOutcome, RemoteCallRequest } from './adapter.js';

/**
 * Shared state of several `InMemoryAdapter`s in one process: lets tests run a "cluster" of servers
 * without any transport. Every adapter created without a cluster gets its own private one.
 */
export class InMemoryCluster {
  /** identity → current owner. */
  readonly presence = new Map<string, PresenceRecord>();
  /** nodeId → host of a live (initialised, not closed) adapter. */
  readonly nodes = new Map<string, AdapterHost>();
}

/** Options of {@link InMemoryAdapter}. */
export interface InMemoryAdapterOptions {
  /** Share presence and routing with other adapters of this process. @default a private cluster */
  cluster?: InMemoryCluster;
}

function cloneData<T>(value: T): T {
  // Values cross a (simulated) node boundary: copy them so neither side can mutate the other's objects,
  // exactly like a serialising transport would.
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** The default adapter: presence and routing inside one process. */
export class InMemoryAdapter extends Adapter {
  readonly cluster: InMemoryCluster;
  #host: AdapterHost | undefined;

  constructor(options: InMemoryAdapterOptions = {}) {
    super();
    this.cluster = options.cluster ?? new InMemoryCluster();
  }

  override async init(host: AdapterHost): Promise<void> {
    if (this.#host) throw new Error('InMemoryAdapter.init() called twice');
    if (this.cluster.nodes.has(host.nodeId)) throw new Error(`node id "${host.nodeId}" is already in this cluster`);
    this.#host = host;
    this.cluster.nodes.set(host.nodeId, host);
  }

  override async close(): Promise<void> {
    const host = this.#host;
    if (!host) return;
    this.#host = undefined;
    if (this.cluster.nodes.get(host.nodeId) === host) this.cluster.nodes.delete(host.nodeId);
    for (const [identity, record] of this.cluster.presence) {
      if (record.nodeId === host.nodeId) this.cluster.presence.delete(identity);
    }
  }

  override async register(record: PresenceRecord): Promise<void> {
    const previous = this.cluster.presence.get(record.identity);
    // Records are immutable once registered (the server freezes them): no copy needed.
    this.cluster.presence.set(record.identity, Object.isFrozen(record) ? record : { ...record });
    if (previous && previous.connectionId !== record.connectionId) {
      const owner = this.cluster.nodes.get(previous.nodeId);
      // Asynchronously, as over a transport: the previous node hears of it after this register resolved.
      if (owner) queueMicrotask(() => owner.closeSuperseded(previous.identity, previous.connectionId));
    }
  }

  override async unregister(record: PresenceRecord): Promise<void> {
    const current = this.cluster.presence.get(record.identity);
    if (current && current.connectionId === record.connectionId) this.cluster.presence.delete(record.identity);
  }

  override async locate(identity: string): Promise<PresenceRecord | undefined> {
    const record = this.cluster.presence.get(identity);
    return record ? { ...record } : undefined;
  }

  override async sendCall(nodeId: string, req: RemoteCallRequest): Promise<RemoteCallOutcome> {
    const host = this.cluster.nodes.get(nodeId);
    if (!host) return { ok: false, error: { kind: 'notConnected', message: `node "${nodeId}" is not reachable` } };
    try {
      return cloneData(await host.callLocal(cloneData(req)));
    } catch {
      return { ok: false, error: { kind: 'internal', message: 'remote call failed on the owning node' } };
    }
  }

  override async broadcast(protocol: string, action: string, params: unknown): Promise<BroadcastReport> {
    const hosts = [...this.cluster.nodes.values()];
    const nodes = await Promise.all(
      hosts.map(async (host) => {
        try {
          const r = await host.broadcastLocal(protocol, action, cloneData(params));
          return { nodeId: host.nodeId, delivered: r.delivered, failed: r.failed };
        } catch {
          return { nodeId: host.nodeId, delivered: 0, failed: 0 };
        }
      }),
    );
    return {
      nodes,
      delivered: nodes.reduce((n, x) => n + x.delivered, 0),
      failed: nodes.reduce((n, x) => n + x.failed, 0),
    };
  }
}
