import type { PresenceRecord } from '../adapter.js';

/** Who owns an identity when a write was refused. */
export interface PresenceOwner {
  nodeId: string;
  connectionId: string;
}

/**
 * Result of a fenced register: written (`replaced` names the other connection it took the identity from), or
 * refused because a newer connection owns the identity.
 */
export type RegisterResult = { written: true; replaced?: PresenceOwner } | { written: false; owner: PresenceOwner };

/** Result of a heartbeat refresh of one record. */
export type RefreshResult =
  | { status: 'refreshed' }
  | { status: 'missing' }
  | { status: 'superseded'; owner: PresenceOwner }
  | { status: 'failed'; error: Error };

/**
 * Where a {@link ClusterAdapter} keeps presence (identity → owning connection) and node liveness. A transport
 * supplies one (Redis: fenced Lua scripts with TTLs; in memory: maps). Every method may reject when the store
 * cannot be reached; the adapter turns that into `ConnectionClosedError` for lookups, never into "absent".
 */
export interface ClusterPresenceStore {
  /** Writes `record` unless a newer connection (later `connectedAt`) owns the identity. */
  register(record: PresenceRecord): Promise<RegisterResult>;
  /** Removes the identity only while `record.connectionId` owns it; true when it did. */
  unregister(record: PresenceRecord): Promise<boolean>;
  /** Extends the lifetime of every record still owned by its connection. */
  refresh(records: readonly PresenceRecord[]): Promise<RefreshResult[]>;
  /**
   * How many records one `refresh()` call should carry (the heartbeat splits a node's records into batches of
   * this size). A store that groups records (Redis: one script per hash-tag bucket) wants large batches.
   * @default 500
   */
  readonly refreshBatch?: number;
  /**
   * Which of `slices` equal parts of the store's key space holds `identity` (an integer in [0, slices)). The
   * heartbeat refreshes a node's records one part at a time, spread over the interval; a store that groups
   * records (Redis: hash-tag buckets) answers so that each part covers whole groups and keeps them whole.
   * Without it the records are cut into parts in the order the server lists them.
   */
  sliceOf?(identity: string, slices: number): number;
  /** The current owner, `undefined` when absent, `'malformed'` when the stored data is not a presence record. */
  locate(identity: string): Promise<PresenceRecord | 'malformed' | undefined>;
  /** Marks `nodeId` alive for one lifetime. */
  touchNode(nodeId: string): Promise<void>;
  removeNode(nodeId: string): Promise<void>;
  /** Ids of the nodes whose liveness has not expired. */
  liveNodes(): Promise<string[]>;
}
