import type { PresenceRecord } from './adapter.js';
import { ClusterAdapter, type ClusterAdapterOptions, type ClusterChannels } from './cluster/clusterAdapter.js';
import { InMemoryPresenceStore } from './cluster/inMemoryPresenceStore.js';

type Receiver = (channel: string, payload: string) => void;

const CHANNELS: ClusterChannels = {
  node: (nodeId) => `node:${nodeId}`,
  broadcast: 'broadcast',
};

/**
 * Shared state of several `InMemoryAdapter`s in one process — the in-memory transport of the cluster protocol
 * (pub/sub between nodes) and its presence store. Lets tests run a "cluster" of servers without Redis.
 * Every adapter created without a cluster gets its own private one.
 */
export class InMemoryCluster {
  readonly store = new InMemoryPresenceStore();
  /** nodeId → receiver of a live (initialised, not closed) adapter. */
  readonly #receivers = new Map<string, Receiver>();

  /** identity → current owner. */
  get presence(): ReadonlyMap<string, PresenceRecord> {
    return this.store.presence;
  }

  /** Ids of the nodes currently attached. */
  get nodeIds(): string[] {
    return [...this.#receivers.keys()];
  }

  /** @internal Attaches a node; throws when the id is taken. */
  attach(nodeId: string, receiver: Receiver): void {
    if (this.#receivers.has(nodeId)) throw new Error(`node id "${nodeId}" is already used by a live node of this cluster`);
    this.#receivers.set(nodeId, receiver);
  }

  /** @internal */
  detach(nodeId: string, receiver: Receiver): void {
    if (this.#receivers.get(nodeId) === receiver) this.#receivers.delete(nodeId);
  }

  /** @internal Delivers asynchronously, as a transport would; resolves with the number of receivers. */
  publish(nodeIds: readonly string[], channel: string, payload: string): number {
    let n = 0;
    for (const id of nodeIds) {
      const receiver = this.#receivers.get(id);
      if (!receiver) continue;
      n++;
      queueMicrotask(() => receiver(channel, payload));
    }
    return n;
  }
}

/** Options of {@link InMemoryAdapter}. */
export interface InMemoryAdapterOptions extends ClusterAdapterOptions {
  /** Share presence and routing with other adapters of this process. @default a private cluster */
  cluster?: InMemoryCluster;
}

/**
 * The default adapter: the cluster protocol over an in-process transport. Messages are encoded (and signed,
 * with `secret`) exactly as over Redis, so values cross the simulated node boundary as copies.
 */
export class InMemoryAdapter extends ClusterAdapter {
  readonly cluster: InMemoryCluster;
  #nodeId: string | undefined;
  readonly #receiver: Receiver = (channel, payload) => this.deliver(channel, payload);

  constructor(options: InMemoryAdapterOptions = {}) {
    const cluster = options.cluster ?? new InMemoryCluster();
    const { cluster: _cluster, ...protocol } = options;
    super(cluster.store, CHANNELS, protocol);
    this.cluster = cluster;
  }

  protected override async openTransport(nodeId: string): Promise<void> {
    this.cluster.attach(nodeId, this.#receiver);
    this.#nodeId = nodeId;
  }

  protected override async closeTransport(): Promise<void> {
    if (this.#nodeId !== undefined) this.cluster.detach(this.#nodeId, this.#receiver);
  }

  protected override detachTransport(): void {
    if (this.#nodeId !== undefined) this.cluster.detach(this.#nodeId, this.#receiver);
    this.#nodeId = undefined;
  }

  protected override transportReady(): boolean {
    return true;
  }

  protected override async publishToNode(nodeId: string, channel: string, payload: string): Promise<number> {
    return this.cluster.publish([nodeId], channel, payload);
  }

  protected override async publishToAll(channel: string, payload: string): Promise<number> {
    return this.cluster.publish(this.cluster.nodeIds, channel, payload);
  }
}
