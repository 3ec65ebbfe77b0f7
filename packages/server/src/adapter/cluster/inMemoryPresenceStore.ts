import type { PresenceRecord } from '../adapter.js';
import type { ClusterPresenceStore, RefreshResult, RegisterResult } from './presenceStore.js';

/**
 * Presence of an in-process cluster, with the same fencing rules as the Redis scripts: a register is refused
 * when a newer connection (later `connectedAt`) owns the identity; an unregister or refresh only acts for the
 * owning connection. Records never expire (the nodes share one process, so none can die alone).
 */
export class InMemoryPresenceStore implements ClusterPresenceStore {
  /** identity → current owner. */
  readonly presence = new Map<string, PresenceRecord>();
  readonly #nodes = new Set<string>();
  readonly #expired = new Set<string>();

  async register(record: PresenceRecord): Promise<RegisterResult> {
    const current = this.presence.get(record.identity);
    if (current && current.connectionId !== record.connectionId && current.connectedAt > record.connectedAt) {
      return { written: false, owner: { nodeId: current.nodeId, connectionId: current.connectionId } };
    }
    // Records are immutable once registered (the server freezes them): no copy needed then.
    this.presence.set(record.identity, Object.isFrozen(record) ? record : { ...record });
    if (current && current.connectionId !== record.connectionId) {
      return { written: true, replaced: { nodeId: current.nodeId, connectionId: current.connectionId } };
    }
    return { written: true };
  }

  async unregister(record: PresenceRecord): Promise<boolean> {
    const current = this.presence.get(record.identity);
    if (!current || current.connectionId !== record.connectionId) return false;
    this.presence.delete(record.identity);
    return true;
  }

  async refresh(records: readonly PresenceRecord[]): Promise<RefreshResult[]> {
    return records.map((r): RefreshResult => {
      const current = this.presence.get(r.identity);
      if (!current) return { status: 'missing' };
      if (current.connectionId === r.connectionId) return { status: 'refreshed' };
      return { status: 'superseded', owner: { nodeId: current.nodeId, connectionId: current.connectionId } };
    });
  }

  async locate(identity: string): Promise<PresenceRecord | undefined> {
    const record = this.presence.get(identity);
    return record ? { ...record } : undefined;
  }

  async touchNode(nodeId: string): Promise<void> {
    if (!this.#expired.has(nodeId)) this.#nodes.add(nodeId);
  }

  /**
   * Lets `nodeId`'s liveness lapse for good while it stays attached (its heartbeats no longer count): what the
   * rest of a cluster sees of a node that hangs or lost its store but still looks subscribed. For tests.
   */
  expireNode(nodeId: string): void {
    this.#expired.add(nodeId);
    this.#nodes.delete(nodeId);
  }

  async removeNode(nodeId: string): Promise<void> {
    this.#nodes.delete(nodeId);
    for (const [identity, record] of this.presence) if (record.nodeId === nodeId) this.presence.delete(identity);
  }

  async liveNodes(): Promise<string[]> {
    return [...this.#nodes];
  }
}
