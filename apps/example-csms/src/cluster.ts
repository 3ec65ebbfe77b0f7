import { Redis } from 'ioredis';
import type { Logger } from './logger.js';
import type { CsmsEvent } from './domain/events.js';

/** The Redis connections of cluster mode: commands, the adapter's subscriber, and the event subscriber. */
export interface ClusterConnections {
  pub: Redis;
  adapterSub: Redis;
  eventSub: Redis;
}

/**
 * Creates the three connections without connecting (commands issued meanwhile connect them), so the
 * OCPP server and its adapter can be built synchronously; `connectCluster()` then waits for them.
 */
export function createClusterConnections(url: string, logger: Logger): ClusterConnections {
  const make = (): Redis => {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3, connectTimeout: 5000 });
    // ioredis reconnects by itself; without a listener an 'error' event would crash the process.
    redis.on('error', (err: Error) => logger.warn('redis connection error', { err: err.message }));
    return redis;
  };
  return { pub: make(), adapterSub: make(), eventSub: make() };
}

/** Waits until each connection is ready, so a wrong REDIS_URL fails at start. */
export async function connectCluster(connections: ClusterConnections): Promise<void> {
  try {
    await Promise.all(
      Object.values(connections).map(async (r: Redis) => {
        if (r.status === 'wait') await r.connect();
        else if (r.status !== 'ready') await new Promise<void>((ok, fail) => {
          r.once('ready', ok);
          r.once('end', () => fail(new Error('connection ended')));
        });
      }),
    );
  } catch (err) {
    for (const r of [connections.pub, connections.adapterSub, connections.eventSub]) r.disconnect();
    throw new Error(`cannot connect to Redis: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

export async function closeCluster(connections: ClusterConnections): Promise<void> {
  await Promise.all(
    Object.values(connections).map(async (r: Redis) => {
      // A lazy connection that never connected would be opened by QUIT; just drop it.
      if (r.status === 'wait' || r.status === 'end') {
        r.disconnect();
        return;
      }
      try {
        await r.quit();
      } catch {
        r.disconnect();
      }
    }),
  );
}

/**
 * Shares dashboard events between instances: each node publishes the events of its own chargers and
 * re-emits those of the others, so a dashboard on any instance sees every charger live.
 */
export class ClusterEventBridge {
  readonly #channel: string;
  readonly #connections: ClusterConnections;
  readonly #nodeId: string;
  readonly #logger: Logger;

  constructor(
    connections: ClusterConnections,
    prefix: string,
    nodeId: string,
    logger: Logger,
  ) {
    this.#connections = connections;
    this.#nodeId = nodeId;
    this.#logger = logger;
    this.#channel = `${prefix}:csms-events`;
  }

  async start(onRemote: (event: CsmsEvent) => void): Promise<void> {
    this.#connections.eventSub.on('message', (channel: string, message: string) => {
      if (channel !== this.#channel) return;
      try {
        const parsed = JSON.parse(message) as { from?: unknown; event?: CsmsEvent };
        if (parsed.from === this.#nodeId || parsed.event === undefined || typeof parsed.event.type !== 'string') return;
        onRemote(parsed.event);
      } catch {
        this.#logger.warn('ignored a malformed cluster event');
      }
    });
    await this.#connections.eventSub.subscribe(this.#channel);
  }

  publish(event: CsmsEvent): void {
    this.#connections.pub.publish(this.#channel, JSON.stringify({ from: this.#nodeId, event })).catch((err: unknown) => {
      this.#logger.warn('could not publish a cluster event', { err });
    });
  }
}
