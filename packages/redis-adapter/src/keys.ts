/**
 * Key and channel layout. Everything lives under one prefix so clusters (and tests) can share a Redis.
 *
 * - `<prefix>:presence:<identity>`  hash { nodeId, connectionId, protocol, connectedAt }, TTL = presence TTL
 * - `<prefix>:nodes`                sorted set nodeId → liveness deadline (epoch ms, Redis clock)
 * - `<prefix>:node:<nodeId>`        pub/sub channel: CALL requests for that node and replies to its callers
 * - `<prefix>:broadcast`            pub/sub channel every node subscribes to
 *
 * Every script touches a single key (no multi-key scripts), which keeps the door open for Redis Cluster.
 */
export interface KeyLayout {
  presence(identity: string): string;
  readonly nodes: string;
  nodeChannel(nodeId: string): string;
  readonly broadcastChannel: string;
}

/** The key layout for one prefix. */
export function keyLayout(prefix: string): KeyLayout {
  return {
    presence: (identity) => `${prefix}:presence:${identity}`,
    nodes: `${prefix}:nodes`,
    nodeChannel: (nodeId) => `${prefix}:node:${nodeId}`,
    broadcastChannel: `${prefix}:broadcast`,
  };
}
