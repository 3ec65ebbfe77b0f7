import { ClusterAdapter } from '@chargewire/server';
import type { ClusterAdapterStats, ClusterBroadcastReport } from '@chargewire/server';
import { keyLayout, type KeyLayout } from './keys.js';
import { resolveOptions, type RedisAdapterOptions, type ResolvedRedisAdapterOptions } from './options.js';
import { RedisPresenceStore } from './presenceStore.js';
import { BatchedPublisher } from './batchedPublisher.js';
import { whenReady } from './redisReady.js';
import { clusterSlot } from './clusterSlot.js';
import { isCluster } from './redisClient.js';

/** A broadcast report that also names the live nodes that did not report within `broadcastTimeoutMs`. */
export type RedisBroadcastReport = ClusterBroadcastReport;

/** Counters for monitoring (and for tests proving nothing leaks). */
export type RedisAdapterStats = ClusterAdapterStats;

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Redis as the transport of the cluster protocol of `@chargewire/server` (`ClusterAdapter`): pub/sub between
 * nodes (one channel per node and one for broadcasts; sharded pub/sub on a Redis Cluster) and presence in Redis
 * with fenced Lua writes and TTL heartbeats. Create it with {@link createRedisAdapter} and pass it as the server's `adapter`.
 */
export class RedisAdapter extends ClusterAdapter {
  readonly options: Readonly<ResolvedRedisAdapterOptions>;
  protected override readonly transportName = 'Redis connection';
  protected override readonly warningCode = 'CHARGEWIRE_REDIS_ADAPTER';
  readonly #keys: KeyLayout;
  readonly #publisher: BatchedPublisher;
  /** Redis Cluster: sharded pub/sub (SSUBSCRIBE/SPUBLISH) instead of plain pub/sub. */
  readonly #sharded: boolean;
  #channels: string[] = [];
  /** Redis Cluster: the masters serving this node's channels, as last seen. */
  #owners = new Set<string>();

  constructor(options: RedisAdapterOptions) {
    const resolved = resolveOptions(options);
    const keys = keyLayout(resolved.prefix);
    super(new RedisPresenceStore(resolved.pub, keys, resolved.presenceTtlMs), { node: keys.nodeChannel, broadcast: keys.broadcastChannel }, {
      callGraceMs: resolved.callGraceMs,
      broadcastTimeoutMs: resolved.broadcastTimeoutMs,
      heartbeatIntervalMs: resolved.heartbeatIntervalMs,
      presenceTtlMs: resolved.presenceTtlMs,
      ...(options.secret !== undefined && { secret: options.secret }),
    });
    this.options = Object.freeze(resolved);
    this.#keys = keys;
    this.#publisher = new BatchedPublisher(resolved.pub);
    this.#sharded = isCluster(resolved.pub);
  }

  protected override async openTransport(nodeId: string): Promise<void> {
    const { pub, sub } = this.options;
    const own = this.#keys.nodeChannel(nodeId);
    // Two live nodes with one id would both run every CALL sent to it: refuse to start.
    if ((await this.#subscribers(own)) > 0) throw new Error(`node id "${nodeId}" is already used by a live node of this cluster`);
    this.#channels = [own, this.#keys.broadcastChannel];
    sub.on(this.#sharded ? 'smessage' : 'message', this.#onMessage);
    sub.on('close', this.#onSubscriberLost);
    sub.on('ready', this.#onSubscriberReady);
    pub.on('close', this.#onCommandsLost);
    pub.on('ready', this.#onCommandsReady);
    if (this.#sharded) {
      // A master that goes away takes the subscriptions of its slots (they come back on its replica) and the
      // messages sent meanwhile; it may also have lost the last writes to its slots (asynchronous replication).
      sub.on('-node', this.#onShardLost);
      sub.on('refresh', this.#noteOwners);
      pub.on('-node', this.#onCommandsReady);
    }
    // ioredis 5 can interleave a SUBSCRIBE sent while connecting with its own handshake commands (INFO ready
    // check), then drops the connection and may come back without the subscriptions: subscribe once ready.
    await whenReady(sub);
    await this.#subscribe();
    this.#noteOwners();
  }

  protected override async closeTransport(): Promise<void> {
    if (this.#channels.length === 0) return;
    const { sub } = this.options;
    if (this.#sharded) await Promise.all(this.#channels.map((c) => sub.sunsubscribe(c)));
    else await sub.unsubscribe(...this.#channels);
  }

  protected override detachTransport(): void {
    const { pub, sub } = this.options;
    sub.off('smessage', this.#onMessage);
    sub.off('message', this.#onMessage);
    sub.off('close', this.#onSubscriberLost);
    sub.off('-node', this.#onShardLost);
    sub.off('refresh', this.#noteOwners);
    sub.off('ready', this.#onSubscriberReady);
    pub.off('close', this.#onCommandsLost);
    pub.off('ready', this.#onCommandsReady);
    pub.off('-node', this.#onCommandsReady);
  }

  /** Subscribers of `channel` (sharded: summed over the masters, where the sharded subscribers connect). */
  async #subscribers(channel: string): Promise<number> {
    const { pub } = this.options;
    if (!isCluster(pub)) return Number((await pub.pubsub('NUMSUB', channel))[1] ?? 0);
    const counts = await Promise.all(pub.nodes('master').map(async (n) => Number((await n.pubsub('SHARDNUMSUB', channel))[1] ?? 0)));
    return counts.reduce((a, b) => a + b, 0);
  }

  /** Subscribes to this node's channels (sharded: one SSUBSCRIBE per channel, since each may live on another slot). */
  async #subscribe(): Promise<void> {
    const { sub } = this.options;
    if (this.#sharded) await Promise.all(this.#channels.map((c) => sub.ssubscribe(c)));
    else await sub.subscribe(...this.#channels);
  }

  protected override presenceReachable(): boolean {
    return this.options.pub.status === 'ready';
  }

  protected override transportReady(): boolean {
    return this.options.pub.status === 'ready' && this.options.sub.status === 'ready';
  }

  protected override publishToNode(_nodeId: string, channel: string, payload: string): Promise<number> {
    return this.#publisher.publish(channel, payload);
  }

  protected override publishToAll(channel: string, payload: string): Promise<number> {
    return this.#publisher.publish(channel, payload);
  }

  readonly #onMessage = (channel: string, text: string): void => {
    if (!this.#channels.includes(channel)) return; // the subscriber may be shared with other adapters
    this.deliver(channel, text);
  };

  /** Replies published while the subscriber is down are lost: fail in-flight calls now instead of at their timeout. */
  readonly #onSubscriberLost = (): void => this.receiverLost();

  /**
   * Redis Cluster: a sharded subscriber connection ended (its master failed or left). Only a master that served one
   * of this node's channels takes its subscriptions (and the replies sent meanwhile) with it; any other loss — or a
   * command connection of the subscriber client (reported without a node key), which holds no subscription —
   * leaves this node's calls alone. The owners are those noted before the loss: by the time it is reported the
   * client may already have moved the slots to the promoted replica.
   */
  readonly #onShardLost = (_redis: unknown, nodeKey?: unknown): void => {
    if (typeof nodeKey !== 'string') return;
    const lost = this.#owners.has(nodeKey) || this.#currentOwners().has(nodeKey);
    this.#noteOwners();
    if (lost) this.receiverLost();
  };

  /** Notes which masters serve this node's channels (after subscribing and after every slot-map refresh). */
  readonly #noteOwners = (): void => {
    const current = this.#currentOwners();
    if (current.size > 0) this.#owners = current;
  };

  #currentOwners(): Set<string> {
    const sub = this.options.sub;
    const owners = new Set<string>();
    if (!isCluster(sub)) return owners;
    for (const c of this.#channels) {
      const owner = sub.slots[clusterSlot(c)]?.[0];
      if (owner) owners.add(owner);
    }
    return owners;
  }

  /**
   * The subscriber reconnected. ioredis re-subscribes by itself (`autoResubscribe`, on by default); subscribing
   * again is idempotent and keeps the node reachable even when that option was turned off.
   */
  readonly #onSubscriberReady = (): void => {
    if (this.state !== 'ready') return;
    this.#subscribe().catch((err: unknown) => {
      this.emitError(new Error(`re-subscribing after a reconnect failed: ${errorMessage(err)}`));
    });
  };

  /** Commands wait in ioredis' offline queue now and may run on a Redis that restarted empty: presence is unreadable. */
  readonly #onCommandsLost = (): void => this.presenceLost();

  /**
   * The command connection is (again) ready, or (Redis Cluster) a master went away: Redis may have restarted empty
   * or a replica may have taken over without the last writes, so write this node's presence again.
   */
  readonly #onCommandsReady = (): void => this.presenceReconnected();
}
