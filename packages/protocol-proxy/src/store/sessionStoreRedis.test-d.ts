import type { Redis } from 'ioredis';
import type { Redis as Redis6 } from 'ioredis6';
import { describe, expectTypeOf, it } from 'vitest';
import type { SessionStoreRedis } from './sessionStoreRedis.js';

// RedisSessionStore declares the commands it needs instead of importing ioredis's types (an optional peer);
// both supported ioredis majors must still be accepted as they are.
describe('SessionStoreRedis', () => {
  it('is satisfied by an ioredis 5 and an ioredis 6 client', () => {
    expectTypeOf<Redis>().toExtend<SessionStoreRedis>();
    expectTypeOf<Redis6>().toExtend<SessionStoreRedis>();
  });
});
