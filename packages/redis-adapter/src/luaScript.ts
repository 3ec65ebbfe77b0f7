import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RedisClient } from './redisClient.js';

function isNoScript(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('NOSCRIPT');
}

/**
 * A Lua script run with EVALSHA, falling back to EVAL when Redis does not know it (first use, or after a Redis
 * restart emptied its script cache). Unlike `defineCommand`, it adds nothing to the injected client.
 */
export class LuaScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(client: RedisClient, keys: readonly string[], args: ReadonlyArray<string | number>): Promise<unknown> {
    try {
      return await client.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!isNoScript(err)) throw err;
      return client.eval(this.source, keys.length, ...keys, ...args);
    }
  }

  /**
   * Runs the script once per argument set in one pipeline (one round trip) on one Redis server. Each entry
   * settles on its own: a failed entry is an Error in the result array. (A Redis Cluster pipeline must stay on
   * one slot: run the scripts of a Cluster one by one.)
   */
  async runMany(
    client: Redis,
    calls: ReadonlyArray<{ keys: readonly string[]; args: ReadonlyArray<string | number> }>,
  ): Promise<Array<unknown>> {
    if (calls.length === 0) return [];
    const pipeline = client.pipeline();
    for (const c of calls) pipeline.evalsha(this.sha, c.keys.length, ...c.keys, ...c.args);
    const replies = (await pipeline.exec()) ?? [];
    return Promise.all(
      calls.map(async (c, i) => {
        const [err, value] = replies[i] ?? [new Error('missing pipeline reply'), undefined];
        if (!err) return value;
        if (!isNoScript(err)) return err;
        try {
          return await this.run(client, c.keys, c.args);
        } catch (retryErr) {
          return retryErr instanceof Error ? retryErr : new Error(String(retryErr));
        }
      }),
    );
  }
}
