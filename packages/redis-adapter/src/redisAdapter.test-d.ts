import type { Cluster, Redis } from 'ioredis';
import { describe, expectTypeOf, it } from 'vitest';
import { Adapter, OCPPServer } from '@chargewire/server';
import type { BroadcastReport, OCPPServerOptions } from '@chargewire/server';
import { createRedisAdapter, RedisAdapter, type PresenceConflict, type RedisAdapterOptions, type RedisBroadcastReport } from './index.js';

declare const pub: Redis;
declare const sub: Redis;
declare const clusterPub: Cluster;
declare const clusterSub: Cluster;

describe('public types', () => {
  it('createRedisAdapter returns an Adapter the server accepts', () => {
    const adapter = createRedisAdapter({ pub, sub });
    expectTypeOf(adapter).toEqualTypeOf<RedisAdapter>();
    expectTypeOf(adapter).toExtend<Adapter>();
    expectTypeOf({ adapter }).toExtend<OCPPServerOptions>();
    expectTypeOf(new OCPPServer({ adapter })).toExtend<OCPPServer>();
  });

  it('needs both injected clients', () => {
    // @ts-expect-error sub is required (the adapter creates no hidden connection)
    createRedisAdapter({ pub });
    // @ts-expect-error pub is required
    createRedisAdapter({ sub });
    expectTypeOf<RedisAdapterOptions['prefix']>().toEqualTypeOf<string | undefined>();
  });

  it('takes Redis Cluster clients as well (pub and sub of the same kind are checked at run time)', () => {
    expectTypeOf(createRedisAdapter({ pub: clusterPub, sub: clusterSub })).toEqualTypeOf<RedisAdapter>();
    expectTypeOf<RedisAdapter['options']['pub']>().toEqualTypeOf<Redis | Cluster>();
    // @ts-expect-error not an ioredis client
    createRedisAdapter({ pub: {}, sub });
  });

  it('broadcast reports keep the server shape and add unresponsive nodes', () => {
    expectTypeOf<RedisBroadcastReport>().toExtend<BroadcastReport>();
    expectTypeOf<ReturnType<RedisAdapter['broadcast']>>().toEqualTypeOf<Promise<RedisBroadcastReport>>();
  });

  it('events are typed', () => {
    const adapter = createRedisAdapter({ pub, sub });
    adapter.on('presenceConflict', (c) => expectTypeOf(c).toEqualTypeOf<PresenceConflict>());
    adapter.on('reregistered', (info) => expectTypeOf(info.records).toBeNumber());
    adapter.on('error', (e) => expectTypeOf(e).toEqualTypeOf<Error>());
    // @ts-expect-error unknown event
    adapter.on('nope', () => undefined);
    // @ts-expect-error wrong listener shape
    adapter.on('reregistered', (info: string) => info);
  });
});
