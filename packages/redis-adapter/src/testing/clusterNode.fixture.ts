import { Cluster, Redis } from 'ioredis';
import type { RedisClient } from '../redisClient.js';
import { ConnectionClosedError, NotConnectedError, RpcError, TimeoutError } from '@chargewire/rpc-core';
import { OCPPServer } from '@chargewire/server';
import { createRedisAdapter } from '../createRedisAdapter.js';
import type { RedisAdapterOptions } from '../options.js';
import type { RedisAdapter } from '../redisAdapter.js';

/** Settings of one cluster node (one OCPPServer + one RedisAdapter). */
export interface ClusterNodeConfig {
  redisUrl: string;
  /** Startup nodes of a Redis Cluster: when set, the node uses `Cluster` clients (sharded pub/sub), not `redisUrl`. */
  redisCluster?: Array<{ host: string; port: number }>;
  prefix: string;
  nodeId: string;
  presenceTtlSeconds?: number;
  heartbeatIntervalMs?: number;
  callTimeoutMs?: number;
  callGraceMs?: number;
  broadcastTimeoutMs?: number;
  /** ioredis `enableAutoPipelining` on the command client. @default false */
  autoPipelining?: boolean;
  /** The cluster's shared secret (signed messages). @default none */
  secret?: RedisAdapterOptions['secret'];
}

/** A running node: OCP server on 127.0.0.1 (port 0) clustered through Redis. */
export interface ClusterNode {
  server: OCPPServer;
  adapter: RedisAdapter;
  /** `ws://127.0.0.1:<port>` — chargers connect to `${url}/<identity>`. */
  url: string;
  stop(): Promise<void>;
}

/** Starts a node. The ioredis clients are created here and closed by `stop()` (the adapter never closes them). */
export async function startClusterNode(config: ClusterNodeConfig): Promise<ClusterNode> {
  let pub: RedisClient;
  let sub: RedisClient;
  if (config.redisCluster) {
    pub = new Cluster(config.redisCluster, { enableAutoPipelining: config.autoPipelining ?? false });
    sub = pub.duplicate([], { shardedSubscribers: true });
  } else {
    // Fail fast on a dead Redis instead of queueing commands for ever (ioredis' default is 20 retries).
    pub = new Redis(config.redisUrl, {
      maxRetriesPerRequest: 2,
      retryStrategy: (n) => Math.min(50 * n, 500),
      enableAutoPipelining: config.autoPipelining ?? false,
    });
    sub = pub.duplicate();
  }
  pub.on('error', () => undefined);
  sub.on('error', () => undefined);
  const adapter = createRedisAdapter({
    pub,
    sub,
    prefix: config.prefix,
    presenceTtlSeconds: config.presenceTtlSeconds ?? 30,
    ...(config.heartbeatIntervalMs !== undefined && { heartbeatIntervalMs: config.heartbeatIntervalMs }),
    ...(config.callGraceMs !== undefined && { callGraceMs: config.callGraceMs }),
    ...(config.broadcastTimeoutMs !== undefined && { broadcastTimeoutMs: config.broadcastTimeoutMs }),
    ...(config.secret !== undefined && { secret: config.secret }),
  });
  adapter.on('error', () => undefined); // expected during the Redis restart tests
  const server = new OCPPServer({
    protocols: ['ocpp1.6'],
    adapter,
    nodeId: config.nodeId,
    callTimeoutMs: config.callTimeoutMs ?? 10_000,
    pingIntervalMs: 0,
  });
  const address = await server.listen(0, '127.0.0.1');
  return {
    server,
    adapter,
    url: `ws://127.0.0.1:${address.port}`,
    async stop() {
      await server.close({ timeoutMs: 2000 });
      pub.disconnect();
      sub.disconnect();
    },
  };
}

/** A call's outcome as plain data (what a child process reports, and what tests compare). */
export type CallReport =
  | { ok: true; result: unknown }
  | { ok: false; error: { name: string; message: string; code?: string; description?: string; details?: Record<string, unknown> } };

/** Calls `identity` from `server` the way an application would: find it in the cluster, then call it. */
export async function callFrom(server: OCPPServer, identity: string, action: string, params: unknown, timeoutMs?: number): Promise<CallReport> {
  try {
    const handle = await server.findClient(identity);
    if (!handle) return { ok: false, error: { name: 'NotFound', message: `${identity} is connected to no node of the cluster` } };
    // Actions and params come from the test as data; the typed API is exercised elsewhere.
    const call = handle.call as (p: string, a: string, params: unknown, o?: { timeoutMs?: number }) => Promise<unknown>;
    const result = await call.call(handle, 'ocpp1.6', action, params, timeoutMs === undefined ? undefined : { timeoutMs });
    return { ok: true, result };
  } catch (err) {
    return { ok: false, error: describeError(err) };
  }
}

/** Plain-data description of a call error (class name + the fields tests check). */
export function describeError(err: unknown): Extract<CallReport, { ok: false }>['error'] {
  if (err instanceof RpcError) return { name: 'RpcError', message: err.message, code: err.code, description: err.description, details: err.details };
  for (const cls of [TimeoutError, NotConnectedError, ConnectionClosedError]) {
    if (err instanceof cls) return { name: cls.name, message: err.message };
  }
  return { name: err instanceof Error ? err.name : 'Error', message: err instanceof Error ? err.message : String(err) };
}
