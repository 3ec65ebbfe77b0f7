import type { RedisClient } from './redisClient.js';

/** Resolves once `client` is ready (connecting it if it was created with `lazyConnect`). */
export async function whenReady(client: RedisClient): Promise<void> {
  if (client.status === 'ready') return;
  if (client.status === 'wait') {
    await client.connect();
    return;
  }
  if (client.status === 'end') throw new Error('the sub client is closed');
  await new Promise<void>((resolve, reject) => {
    const onReady = (): void => {
      client.off('end', onEnd);
      resolve();
    };
    const onEnd = (): void => {
      client.off('ready', onReady);
      reject(new Error('the sub client closed before it was ready'));
    };
    client.once('ready', onReady);
    client.once('end', onEnd);
  });
}
