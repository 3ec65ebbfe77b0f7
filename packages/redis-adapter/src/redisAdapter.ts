import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { Adapter } from '@chargewire/server';
import type { AdapterHost, BroadcastReport, PresenceRecord, RemoteCallOutcome, RemoteCallRequest } from '@chargewire/server';
import { BroadcastCollector, type BroadcastCollection, type NodeDelivery } from './broadcastCollector.js';
import type { PresenceConflict, RedisAdapterEvents } from './events.js';
import { keyLayout, type KeyLayout } from './keys.js';
import { resolveOptions, type RedisAdapterOptions, type ResolvedRedisAdapterOptions } from './options.js';
import { assertPresenceRecord, failure, toError, withTimeout } from './outcomes.js';
import { PendingCalls } from './pendingCalls.js';
import { PresenceKeeper } from './presenceKeeper.js';
import { PresenceStore } from './presenceStore.js';
import type { PresenceOwner } from './presenceStore.js';
import { whenReady } from './redisReady.js';
import { RequestServer } from './requestServer.js';
import { ClusterWire } from './clusterWire.js';
import { RejectedMessageLog } from './rejectedMessageLog.js';
import type { WireMessage } from './wireMessages.js';

/** A broadcast report that also names the live nodes that did not report within `broadcastTimeoutMs`. */
export interface RedisBroadcastReport extends BroadcastReport {
  unresponsiveNodes: string[];
}

/** Counters for monitoring (and for tests proving nothing leaks). */
export interface RedisAdapterStats {
  pendingCalls: number;
  pendingBroadcasts: number;
  trackedPresence: number;
  /** Cluster messages dropped because they failed signature verification (see the `secret` option). */
  rejectedMessages: number;
}

/** Bound on the best-effort Redis clean-up in close(), so close() never hangs on a dead Redis. */
const CLOSE_CLEANUP_MS = 3000;

/**
 * Cluster adapter over Redis: presence (identity → node) with fenced Lua writes and TTL heartbeats, cross-node
 * CALLs and broadcasts over pub/sub. Create it with {@link createRedisAdapter} and pass it as the server's `adapter`.
 */
export class RedisAdapter extends Adapter {
  readonly options: Readonly<ResolvedRedisAdapterOptions>;
  readonly #keys: KeyLayout;
  readonly #store: PresenceStore;
  readonly #requests: RequestServer;
  readonly #wire: ClusterWire;
  readonly #rejected: RejectedMessageLog;
  readonly #pending = new PendingCalls();
  readonly #broadcasts = new BroadcastCollector();
  readonly #events = new EventEmitter();
  /** Records registered through this adapter and not unregistered: removed (fenced) on close. */
  readonly #tracked = new Map<string, PresenceRecord>();
  #host: AdapterHost | undefined;
  #keeper: PresenceKeeper | undefined;
  #state: 'new' | 'starting' | 'ready' | 'closed' = 'new';
  #heartbeatTimer: NodeJS.Timeout | undefined;
  #heartbeat: Promise<void> | undefined;
  #channels: string[] = [];
  #starting: Promise<void> | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: RedisAdapterOptions) {
    super();
    this.options = Object.freeze(resolveOptions(options));
    this.#keys = keyLayout(this.options.prefix);
    this.#store = new PresenceStore(this.options.pub, this.#keys, this.options.presenceTtlMs);
    this.#wire = new ClusterWire(this.options.signer);
    this.#requests = new RequestServer(this.options.pub, this.#keys, this.#wire, (e) => this.#emitError(e));
    this.#rejected = new RejectedMessageLog((e) => this.#emitError(e));
  }

  on<E extends keyof RedisAdapterEvents>(event: E, listener: (...args: RedisAdapterEvents[E]) => void): this {
    this.#events.on(event, listener as (...args: unknown[]) => void);
    return this;
  }

  off<E extends keyof RedisAdapterEvents>(event: E, listener: (...args: RedisAdapterEvents[E]) => void): this {
    this.#events.off(event, listener as (...args: unknown[]) => void);
    return this;
  }

  /** Lifecycle: `new` → `starting` (init running) → `ready` → `closed`. */
  get state(): 'new' | 'starting' | 'ready' | 'closed' {
    return this.#state;
  }

  /** The node id given by the server, once initialised. */
  get nodeId(): string | undefined {
    return this.#host?.nodeId;
  }

  stats(): RedisAdapterStats {
    return {
      pendingCalls: this.#pending.size,
      pendingBroadcasts: this.#broadcasts.size,
      trackedPresence: this.#tracked.size,
      rejectedMessages: this.#rejected.count,
    };
  }

  override init(host: AdapterHost): Promise<void> {
    if (this.#state !== 'new') return Promise.reject(new Error(`RedisAdapter.init() called on a ${this.#state} adapter`));
    if (typeof host.nodeId !== 'string' || host.nodeId.length === 0) return Promise.reject(new TypeError('the host nodeId must be a non-empty string'));
    this.#state = 'starting';
    this.#starting = this.#start(host);
    return this.#starting;
  }

  async #start(host: AdapterHost): Promise<void> {
    const { pub, sub } = this.options;
    const own = this.#keys.nodeChannel(host.nodeId);
    try {
      // Two live nodes with one id would both run every CALL sent to it: refuse to start.
      const numsub = await pub.pubsub('NUMSUB', own);
      if (Number(numsub[1] ?? 0) > 0) throw new Error(`node id "${host.nodeId}" is already used by a live node of this cluster`);
      this.#host = host;
      this.#keeper = new PresenceKeeper(this.#store, host, {
        conflict: (c) => this.#conflict(c),
        replaced: (identity, previous) => this.#tellSuperseded(identity, previous),
        error: (e) => this.#emitError(e),
        active: () => this.#state === 'ready',
      });
      this.#channels = [own, this.#keys.broadcastChannel];
      sub.on('message', this.#onMessage);
      sub.on('close', this.#onSubscriberLost);
      sub.on('ready', this.#onSubscriberReady);
      pub.on('ready', this.#onCommandsReady);
      // ioredis 5 can interleave a SUBSCRIBE sent while connecting with its own handshake commands (INFO ready
      // check), then drops the connection and may come back without the subscriptions: subscribe once ready.
      await whenReady(sub);
      await sub.subscribe(...this.#channels);
      await this.#store.touchNode(host.nodeId);
    } catch (err) {
      this.#detach();
      if (this.#channels.length > 0) await sub.unsubscribe(...this.#channels).catch(() => undefined);
      this.#host = undefined;
      this.#state = 'closed';
      throw err;
    }
    this.#state = 'ready'; // close() waits for init() to settle, so nothing else changed the state meanwhile
    this.#heartbeatTimer = setInterval(() => this.#runHeartbeat(), this.options.heartbeatIntervalMs);
    this.#heartbeatTimer.unref();
  }

  override close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    if (this.#state === 'starting') await this.#starting?.catch(() => undefined);
    if (this.#state !== 'ready') {
      this.#state = 'closed'; // never initialised, or init() failed (and cleaned up after itself)
      return;
    }
    const host = this.#host;
    this.#state = 'closed';
    clearInterval(this.#heartbeatTimer);
    this.#pending.settleAll(failure('closed', 'the cluster adapter was closed before the remote node answered'));
    this.#broadcasts.abortAll();
    const tracked = [...this.#tracked.values()];
    this.#tracked.clear();
    const cleanup = async (): Promise<void> => {
      await this.#heartbeat?.catch(() => undefined);
      // Until UNSUBSCRIBE is done, other nodes still count this one as a receiver: the message listener stays
      // attached and answers "shutting down" (see #onMessage) instead of leaving them waiting.
      await this.options.sub.unsubscribe(...this.#channels);
      if (host) await this.#store.removeNode(host.nodeId);
      await Promise.all(tracked.map((r) => this.#store.unregister(r)));
    };
    try {
      await withTimeout(cleanup(), CLOSE_CLEANUP_MS);
    } catch (err) {
      // Presence left behind expires within the TTL.
      this.#emitError(new Error(`RedisAdapter.close(): clean-up failed: ${toError(err).message}`));
    } finally {
      this.#detach();
    }
  }

  override async register(record: PresenceRecord): Promise<void> {
    await this.#ready('register');
    assertPresenceRecord(record);
    this.#tracked.set(record.identity, { ...record });
    const result = await this.#store.register(record);
    if (!result.written) this.#conflict({ identity: record.identity, connectionId: record.connectionId, owner: result.owner, during: 'register' });
    else if (result.replaced) this.#tellSuperseded(record.identity, result.replaced);
  }

  /**
   * A register took `identity` from `previous`: the node holding that connection closes it (the charger came
   * back through another node while its old TCP connection still looks open there). Same node: the server
   * has replaced it already, and the host call is fenced by connection id anyway.
   */
  #tellSuperseded(identity: string, previous: PresenceOwner): void {
    const host = this.#host;
    if (!host) return;
    if (previous.nodeId === host.nodeId) {
      host.closeSuperseded(identity, previous.connectionId);
      return;
    }
    const channel = this.#keys.nodeChannel(previous.nodeId);
    const payload = this.#wire.encode(channel, { t: 'superseded', id: randomUUID(), from: host.nodeId, identity, connectionId: previous.connectionId });
    this.options.pub.publish(channel, payload).catch((err: unknown) => {
      // The old node's heartbeat finds the record taken and closes the connection then.
      this.#emitError(new Error(`could not tell node "${previous.nodeId}" that "${identity}" moved: ${toError(err).message}`));
    });
  }

  override async unregister(record: PresenceRecord): Promise<void> {
    assertPresenceRecord(record);
    // close() already removed this node's presence; a disconnect reported afterwards has nothing left to do.
    if (this.#state === 'closed') return;
    await this.#ready('unregister');
    if (this.#tracked.get(record.identity)?.connectionId === record.connectionId) this.#tracked.delete(record.identity);
    await this.#store.unregister(record);
  }

  override async locate(identity: string): Promise<PresenceRecord | undefined> {
    await this.#ready('locate');
    if (typeof identity !== 'string') throw new TypeError('identity must be a string');
    const found = await this.#store.locate(identity);
    if (found === 'malformed') {
      this.#emitError(new Error(`presence record of "${identity}" is malformed; treating the identity as not connected`));
      return undefined;
    }
    return found;
  }

  override async sendCall(nodeId: string, req: RemoteCallRequest): Promise<RemoteCallOutcome> {
    if (this.#state === 'starting') await this.#starting?.catch(() => undefined);
    const host = this.#host;
    if (this.#state !== 'ready' || !host) return failure('closed', 'the cluster adapter is not running');
    if (!Number.isFinite(req.timeoutMs) || req.timeoutMs <= 0) return failure('internal', 'cross-node call needs a positive finite timeoutMs');
    if (nodeId === host.nodeId) return this.#requests.callLocal(host, req);
    const { pub, sub } = this.options;
    if (pub.status !== 'ready' || sub.status !== 'ready') {
      return failure('closed', `cannot reach node "${nodeId}": the Redis connection is down`);
    }
    const id = randomUUID();
    const channel = this.#keys.nodeChannel(nodeId);
    let payload: string;
    try {
      payload = this.#wire.encode(channel, { t: 'call', id, from: host.nodeId, req });
    } catch {
      return failure('internal', 'the call parameters cannot be serialised to JSON');
    }
    const waitMs = req.timeoutMs + this.options.callGraceMs;
    const outcome = this.#pending.add(id, nodeId, waitMs, () =>
      failure('timeout', `node "${nodeId}" did not answer the ${req.action} call to "${req.identity}" within ${waitMs} ms`),
    );
    pub.publish(channel, payload).then(
      (receivers) => {
        if (receivers === 0) this.#pending.settle(id, failure('notConnected', `node "${nodeId}" is not reachable (it is not subscribed to the cluster)`));
      },
      (err: unknown) => {
        this.#pending.settle(id, failure('closed', `could not send the call to node "${nodeId}": ${toError(err).message}`));
      },
    );
    return outcome;
  }

  override async broadcast(protocol: string, action: string, params: unknown): Promise<RedisBroadcastReport> {
    if (this.#state === 'starting') await this.#starting?.catch(() => undefined);
    const host = this.#host;
    if (this.#state !== 'ready' || !host) throw new Error('RedisAdapter.broadcast(): the adapter is not running');
    const id = randomUUID();
    const channel = this.#keys.broadcastChannel;
    const payload = this.#wire.encode(channel, { t: 'bcast', id, from: host.nodeId, protocol, action, params }); // throws TypeError on unserialisable params
    const local = this.#requests.broadcastLocal(host, protocol, action, params);
    const { pub, sub } = this.options;
    let remote: Promise<BroadcastCollection> = Promise.resolve({ reports: new Map(), complete: false });
    if (pub.status === 'ready' && sub.status === 'ready') {
      remote = this.#broadcasts.start(id, this.options.broadcastTimeoutMs);
      pub.publish(channel, payload).then(
        (receivers) => this.#broadcasts.setExpected(id, receivers),
        (err: unknown) => {
          this.#emitError(new Error(`broadcast could not be published: ${toError(err).message}`));
          this.#broadcasts.abort(id);
        },
      );
    }
    const [own, { reports, complete }] = await Promise.all([local, remote]);
    const nodes: NodeDelivery[] = [{ nodeId: host.nodeId, ...own }];
    for (const r of reports.values()) if (r.nodeId !== host.nodeId) nodes.push(r);
    let unresponsiveNodes: string[] = [];
    if (!complete && pub.status === 'ready') {
      const live = await this.#store.liveNodes().catch(() => [] as string[]);
      unresponsiveNodes = live.filter((n) => !nodes.some((x) => x.nodeId === n));
    }
    return {
      nodes,
      delivered: nodes.reduce((sum, n) => sum + n.delivered, 0),
      failed: nodes.reduce((sum, n) => sum + n.failed, 0),
      unresponsiveNodes,
    };
  }

  /** Ids of the nodes whose heartbeat has not expired (this one included while it runs). */
  async liveNodes(): Promise<string[]> {
    await this.#ready('liveNodes');
    return this.#store.liveNodes();
  }

  // ── message handling ────────────────────────────────────────────────────────────────────────────────────────

  readonly #onMessage = (channel: string, text: string): void => {
    if (!this.#channels.includes(channel)) return; // the subscriber may be shared with other adapters
    let msg: WireMessage | undefined;
    try {
      msg = this.#wire.decode(channel, text);
    } catch (err) {
      this.#onMalformed(err);
      return;
    }
    if (!msg) {
      // Not from a node of this cluster: never parsed, never answered (no reflection toward whoever sent it).
      this.#rejected.record(channel);
      return;
    }
    const host = this.#host;
    if (!host) return;
    if (this.#state === 'closed') {
      this.#requests.answerWhileClosing(host, msg);
      return;
    }
    // 'starting' or 'ready': a broadcast may arrive between SUBSCRIBE and the end of init(), and counts us in.
    switch (msg.t) {
      case 'call':
        void this.#requests.serveCall(host, msg.id, msg.from, msg.req);
        break;
      case 'reply':
        this.#pending.settle(msg.id, msg.outcome, msg.from); // a late reply (after a timeout) is dropped here
        break;
      case 'bcast':
        if (msg.from === host.nodeId) this.#broadcasts.echo(msg.id);
        else void this.#requests.serveBroadcast(host, msg.id, msg.from, msg.protocol, msg.action, msg.params);
        break;
      case 'bcastReport':
        this.#broadcasts.report(msg.id, { nodeId: msg.from, delivered: msg.delivered, failed: msg.failed });
        break;
      case 'superseded':
        host.closeSuperseded(msg.identity, msg.connectionId);
        break;
    }
  };

  #onMalformed(err: unknown): void {
    const e = toError(err);
    this.#emitError(e);
    this.#requests.answerUnreadable(e, this.#host);
  }

  // ── connection loss, heartbeat, re-registration ─────────────────────────────────────────────────────────────

  /** Replies published while the subscriber is down are lost: fail in-flight calls now instead of at their timeout. */
  readonly #onSubscriberLost = (): void => {
    if (this.#state !== 'ready') return;
    this.#pending.settleAll(
      failure('closed', 'the Redis connection was lost while the cross-node call was in flight (it may have reached the charger)'),
    );
    this.#broadcasts.abortAll();
  };

  /**
   * The subscriber reconnected. ioredis re-subscribes by itself (`autoResubscribe`, on by default); subscribing
   * again is idempotent and keeps the node reachable even when that option was turned off.
   */
  readonly #onSubscriberReady = (): void => {
    if (this.#state !== 'ready') return;
    this.options.sub.subscribe(...this.#channels).catch((err: unknown) => {
      this.#emitError(new Error(`re-subscribing after a reconnect failed: ${toError(err).message}`));
    });
  };

  /** The command connection is (again) ready: Redis may have restarted empty, so write this node's presence again. */
  readonly #onCommandsReady = (): void => {
    if (this.#state !== 'ready') return;
    void this.#reregister();
  };

  async #reregister(): Promise<void> {
    if (!this.#keeper) return;
    try {
      const records = await this.#keeper.reregister();
      if (this.#state === 'ready') this.#events.emit('reregistered', { records });
    } catch (err) {
      this.#emitError(new Error(`re-registration after reconnect failed: ${toError(err).message}`));
    }
  }

  #runHeartbeat(): void {
    const keeper = this.#keeper;
    if (!keeper || this.#heartbeat || this.#state !== 'ready') return; // never overlap beats on a slow Redis
    this.#heartbeat = keeper
      .beat()
      .catch((err: unknown) => this.#emitError(new Error(`heartbeat failed: ${toError(err).message}`)))
      .finally(() => {
        this.#heartbeat = undefined;
      });
  }

  // ── helpers ─────────────────────────────────────────────────────────────────────────────────────────────────

  #detach(): void {
    const { pub, sub } = this.options;
    sub.off('message', this.#onMessage);
    sub.off('close', this.#onSubscriberLost);
    sub.off('ready', this.#onSubscriberReady);
    pub.off('ready', this.#onCommandsReady);
  }

  /** Lets calls made while init() runs wait for it; refuses calls before init() or after close(). */
  async #ready(method: string): Promise<void> {
    if (this.#state === 'starting') await this.#starting?.catch(() => undefined);
    if (this.#state !== 'ready') throw new Error(`RedisAdapter.${method}(): the adapter is ${this.#state === 'closed' ? 'closed' : 'not initialised'}`);
  }

  #conflict(conflict: PresenceConflict): void {
    this.#events.emit('presenceConflict', conflict);
  }

  #emitError(err: Error): void {
    if (this.#events.listenerCount('error') > 0) this.#events.emit('error', err);
    else process.emitWarning(err.message, { code: 'CHARGEWIRE_REDIS_ADAPTER' });
  }
}
