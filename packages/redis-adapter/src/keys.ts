/**
 * Key and channel layout. Everything lives under one prefix so clusters (and tests) can share a Redis.
 *
 * - `<prefix>:presence:{<bucket>}:<identity>`  hash { nodeId, connectionId, protocol, connectedAt }, TTL = presence TTL
 * - `<prefix>:nodes`                           sorted set nodeId → liveness deadline (epoch ms, Redis clock)
 * - `<prefix>:node:<nodeId>`                   channel: CALL requests for that node and replies to its callers
 * - `<prefix>:broadcast`                       channel every node subscribes to
 *
 * Redis Cluster: a script may only touch keys of one slot. Every script but the heartbeat touches one key; the
 * heartbeat refreshes many records in one script, so each presence key carries the hash tag `{<bucket>}` of its
 * identity's bucket (one of {@link PRESENCE_BUCKETS}): a node's heartbeat is one script per bucket, each on one
 * slot, and the buckets spread the records over the cluster's slots. Node channels carry no tag, so they spread
 * over the slots (and the masters) too.
 */
export interface KeyLayout {
  presence(identity: string): string;
  readonly nodes: string;
  readonly nodeChannel: (nodeId: string) => string;
  readonly broadcastChannel: string;
}

/**
 * How many hash-tag buckets presence is split into. Fixed: every node of a cluster must compute the same key
 * for an identity. 1024 spreads records over up to 1024 slots (enough for a cluster of hundreds of masters)
 * while a heartbeat stays at most 1024 scripts per node.
 */
export const PRESENCE_BUCKETS = 1024;

/** The bucket of an identity: FNV-1a (32 bit) over its UTF-16 code units — stable across nodes and versions. */
export function presenceBucket(identity: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < identity.length; i++) {
    h ^= identity.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % PRESENCE_BUCKETS;
}

/** The key layout for one prefix. A prefix may not contain `{` or `}`: the layout places its own hash tags. */
export function keyLayout(prefix: string): KeyLayout {
  if (/[{}]/.test(prefix)) throw new TypeError('options.prefix must not contain "{" or "}" (the adapter places its own Redis Cluster hash tags)');
  return {
    presence: (identity) => `${prefix}:presence:{${presenceBucket(identity)}}:${identity}`,
    nodes: `${prefix}:nodes`,
    nodeChannel: (nodeId) => `${prefix}:node:${nodeId}`,
    broadcastChannel: `${prefix}:broadcast`,
  };
}
