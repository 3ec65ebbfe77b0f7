import type { RedisAdapterOptions } from './options.js';
import { RedisAdapter } from './redisAdapter.js';

/**
 * Creates the Redis cluster adapter for `OCPPServer`'s `adapter` option.
 *
 * @example
 * const pub = new Redis('redis://127.0.0.1:6379');
 * const adapter = createRedisAdapter({ pub, sub: pub.duplicate(), prefix: 'csms' });
 * const server = new OCPPServer({ protocols: ['ocpp1.6'], adapter });
 */
export function createRedisAdapter(options: RedisAdapterOptions): RedisAdapter {
  return new RedisAdapter(options);
}
