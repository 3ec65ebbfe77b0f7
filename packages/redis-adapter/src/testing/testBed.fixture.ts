import { randomUUID } from 'node:crypto';
import type { Redis, RedisOptions } from 'ioredis';
import { createRedisAdapter } from '../createRedisAdapter.js';
import type { RedisAdapterOptions } from '../options.js';
import type { RedisAdapter } from '../redisAdapter.js';
import { connectRedis, deletePrefix, REDIS_URL, uniquePrefix } from './redis.fixture.js';
import { TestHost } from './testHost.fixture.js';

export type AdapterOverrides = Partial<Omit<RedisAdapterOptions, 'pub' | 'sub'>>;

/** Creates adapters on one Redis under a unique prefix and tears everything down afterwards. */
export class AdapterTestBed {
  readonly prefix = uniquePrefix();
  readonly clients: Redis[] = [];
  readonly adapters: RedisAdapter[] = [];
  readonly errors: Error[] = [];

  constructor(
    readonly url: string = REDIS_URL,
    readonly defaults: AdapterOverrides = {},
  ) {}

  async client(options: RedisOptions = {}): Promise<Redis> {
    const c = await connectRedis(this.url, options);
    c.on('error', () => undefined); // connection errors are expected in the restart tests
    this.clients.push(c);
    return c;
  }

  /** A fresh, uninitialised adapter with its own pub and sub connections. */
  async adapter(overrides: AdapterOverrides = {}, subOptions: Partial<RedisOptions> = {}, pubOptions: RedisOptions = {}): Promise<RedisAdapter> {
    const pub = await this.client(pubOptions);
    const sub = pub.duplicate({ connectionName: `cw-sub-${randomUUID().slice(0, 8)}`, ...subOptions }); // findable in CLIENT LIST
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
    if (admin) await deletePrefix(admin, this.prefix).catch(() => undefined);
    for (const c of this.clients) c.disconnect();
  }
}
