import { randomUUID } from 'node:crypto';
import type { Cluster, Redis, RedisOptions } from 'ioredis';
import { createRedisAdapter } from '../createRedisAdapter.js';
import type { RedisAdapterOptions } from '../options.js';
import type { RedisAdapter } from '../redisAdapter.js';
import { keyLayout } from '../keys.js';
import type { RedisClient } from '../redisClient.js';
import type { RedisClusterProcess } from './redisCluster.fixture.js';
import { connectRedis, deletePrefix, REDIS_URL, uniquePrefix } from './redis.fixture.js';
import { TestHost } from './testHost.fixture.js';

export type AdapterOverrides = Partial<Omit<RedisAdapterOptions, 'pub' | 'sub'>>;

/** Creates adapters on one Redis (or a Redis Cluster) under a unique prefix and tears everything down afterwards. */
export class AdapterTestBed {
  readonly prefix = uniquePrefix();
  readonly clients: RedisClient[] = [];
  /** Set by {@link AdapterTestBed.onCluster}: adapters then get `Cluster` clients (sharded pub/sub). */
  #cluster: RedisClusterProcess | undefined;
  readonly adapters: RedisAdapter[] = [];
  readonly errors: Error[] = [];

  constructor(
    readonly url: string = REDIS_URL,
    readonly defaults: AdapterOverrides = {},
  ) {}

  /** The Redis key of an identity's presence record under this bed's prefix. */
  presenceKey(identity: string): string {
    return keyLayout(this.prefix).presence(identity);
  }

  /** A bed whose adapters talk to a Redis Cluster (`pub`: a `Cluster`; `sub`: one with sharded subscribers). */
  static onCluster(cluster: RedisClusterProcess, defaults: AdapterOverrides = {}): AdapterTestBed {
    const bed = new AdapterTestBed(REDIS_URL, defaults);
    bed.#cluster = cluster;
    return bed;
  }

  /** A `Cluster` client on the bed's Redis Cluster. */
  async clusterClient(): Promise<Cluster> {
    if (!this.#cluster) throw new Error('not a Redis Cluster bed');
    const c = await this.#cluster.client();
    this.clients.push(c);
    return c;
  }

  async client(options: RedisOptions = {}): Promise<Redis> {
    const c = await connectRedis(this.url, options);
    c.on('error', () => undefined); // connection errors are expected in the restart tests
    this.clients.push(c);
    return c;
  }

  /** A fresh, uninitialised adapter with its own pub and sub connections. */
  async adapter(overrides: AdapterOverrides = {}, subOptions: Partial<RedisOptions> = {}, pubOptions: RedisOptions = {}): Promise<RedisAdapter> {
    let pub: RedisClient;
    let sub: RedisClient;
    if (this.#cluster) {
      pub = await this.clusterClient();
      sub = pub.duplicate([], { shardedSubscribers: true });
    } else {
      pub = await this.client(pubOptions);
      sub = pub.duplicate({ connectionName: `cw-sub-${randomUUID().slice(0, 8)}`, ...subOptions }); // findable in CLIENT LIST
    }
    sub.on('error', () => undefined);
    this.clients.push(sub);
    const adapter = createRedisAdapter({ pub, sub, prefix: this.prefix, ...this.defaults, ...overrides });
    adapter.on('error', (e) => this.errors.push(e));
    this.adapters.push(adapter);
    return adapter;
  }

  /** An initialised adapter with a scripted host. */
  async node(
    overrides: AdapterOverrides = {},
    nodeId = `node-${randomUUID().slice(0, 8)}`,
    subOptions: Partial<RedisOptions> = {},
    pubOptions: RedisOptions = {},
  ): Promise<{ adapter: RedisAdapter; host: TestHost }> {
    const adapter = await this.adapter(overrides, subOptions, pubOptions);
    const host = new TestHost(nodeId);
    await adapter.init(host);
    return { adapter, host };
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.adapters.map((a) => a.close()));
    const admin = this.clients.find((c) => c.status === 'ready');
    // On a Redis Cluster the keys expire with their TTL, and the cluster is thrown away after the test file.
    if (admin && !admin.isCluster) await deletePrefix(admin as Redis, this.prefix).catch(() => undefined);
    for (const c of this.clients) c.disconnect();
  }
}
