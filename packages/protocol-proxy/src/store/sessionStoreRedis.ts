/**
 * The Redis commands {@link RedisSessionStore} sends, as an ioredis 5 or 6 `Redis` instance provides them.
 * Declared here rather than imported from ioredis so the package's declarations compile in a project without
 * ioredis (an optional peer, needed only for this store) even with `skipLibCheck: false`.
 */
export interface SessionStoreRedis {
  hincrby(key: string, field: string, increment: number): Promise<number>;
  hget(key: string, field: string): Promise<string | null>;
  hvals(key: string): Promise<string[]>;
  hset(key: string, field: string, value: string): Promise<number>;
  rpush(key: string, value: string): Promise<number>;
  del(...keys: string[]): Promise<number>;
  eval(script: string, numberOfKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
}
