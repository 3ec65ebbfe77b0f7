import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { ConnectionClosedError } from '@chargewire/rpc-core';
import { Adapter } from '../adapter.js';
import type { AdapterHost, BroadcastReport, PresenceRecord, RemoteCallOutcome, RemoteCallRequest } from '../adapter.js';
import { BroadcastCollector, type BroadcastCollection, type NodeDelivery } from './broadcastCollector.js';
import { ClusterWire } from './clusterWire.js';
import type { ClusterAdapterEvents, PresenceConflict } from './events.js';
import { createMessageSigner, type ClusterSecret } from './messageSigner.js';
import { assertPresenceRecord, failure, toError, withTimeout } from './outcomes.js';
import { PendingCalls } from './pendingCalls.js';
import { PresenceKeeper } from './presenceKeeper.js';
import type { ClusterPresenceStore, PresenceOwner } from './presenceStore.js';
import { RecentMessages } from './recentMessages.js';
import { RejectedMessageLog } from './rejectedMessageLog.js';
import { RequestServer } from './requestServer.js';
import type { WireMessage } from './wireMessages.js';

/** Options of the cluster protocol, shared by every transport. */
export interface ClusterAdapterOptions {
  /**
   * Extra time a cross-node caller waits beyond the call's own `timeoutMs` for the owning node's answer
   * (the owning node applies `timeoutMs` to the charger itself, so its timeout answer arrives first).
   * @default 2000
   */
  callGraceMs?: number;
  /**
   * How long `broadcast()` waits for the other nodes' delivery reports. A remote node reports after all of
   * its chargers answered or timed out, so keep this above the server's call timeout.
   * @default 35000
   */
  broadcastTimeoutMs?: number;
  /**
   * How often the node refreshes its presence records and its liveness, and checks which nodes are alive
   * (calls waiting for a node that left the live set fail at once). `undefined`: no heartbeat (a store
   * without expiry, such as the in-memory one).
   * @default undefined
   */
  heartbeatIntervalMs?: number;
  /**
   * How long the store keeps a record or a node's liveness without a heartbeat (its expiry). After a store
   * reconnect, a lookup that finds nothing fails with `ConnectionClosedError` until every node that was live
   * has re-registered, or at most this long.
   * @default 3 * heartbeatIntervalMs
   */
  presenceTtlMs?: number;
  /**
   * Shared secret of the cluster (at least 32 bytes, e.g. `crypto.randomBytes(32)`): every cluster message is
   * signed with HMAC-SHA256 and a message that fails verification (no signature, another secret, altered,
   * moved to another channel, or more than 60 s off the receiver's clock) is dropped unread and counted in
   * `stats().rejectedMessages`. Every node of a cluster needs the same secret. A list signs with the first
   * and accepts any (rotate a secret node by node without a gap).
   * @default undefined (messages are not signed)
   */
  secret?: ClusterSecret | readonly ClusterSecret[];
}

/** Channel names of a transport: the signature covers the channel, so a message cannot be moved to another. */
export interface ClusterChannels {
  node(nodeId: string): string;
  readonly broadcast: string;
}

/** A broadcast report that also names the live nodes that did not report within `broadcastTimeoutMs`. */
export interface ClusterBroadcastReport extends BroadcastReport {
  unresponsiveNodes: string[];
}

/** Counters for monitoring (and for tests proving nothing leaks). */
export interface ClusterAdapterStats {
  pendingCalls: number;
  pendingBroadcasts: number;
  trackedPresence: number;
  /** Cluster messages dropped because they failed signature verification (see the `secret` option). */
  rejectedMessages: number;
}

/** Bound on the best-effort clean-up in close(), so close() never hangs on a dead transport. */
const CLOSE_CLEANUP_MS = 3000;

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive finite number (got ${String(value)})`);
  return value;
}

/**
 * The cluster protocol (as socket.io's `ClusterAdapter`): message shapes and signing, pending cross-node calls,
 * broadcast collection, serving other nodes' requests, takeover notices, heartbeats and node liveness. A
 * transport subclass supplies the template methods — publish to a node, publish to all, its subscription
 * lifecycle — calls {@link deliver} for every incoming message, and passes a {@link ClusterPresenceStore}.
 */
export abstract class ClusterAdapter extends Adapter {
  readonly #store: ClusterPresenceStore;
  readonly #channels: ClusterChannels;
  readonly #wire: ClusterWire;
  readonly #requests: RequestServer;
  readonly #rejected: RejectedMessageLog;
  /** Calls, broadcasts and notices already acted on: a transport that delivers one twice must not run it twice. */
  readonly #recent = new RecentMessages();
  readonly #pending = new PendingCalls();
  readonly #broadcasts = new BroadcastCollector();
  readonly #events = new EventEmitter();
  readonly #callGraceMs: number;
  readonly #broadcastTimeoutMs: number;
  readonly #heartbeatIntervalMs: number | undefined;
  readonly #presenceTtlMs: number;
  /** Records registered through this adapter and not unregistered: removed (fenced) on close. */
  readonly #tracked = new Map<string, PresenceRecord>();
  #host: AdapterHost | undefined;
  #keeper: PresenceKeeper | undefined;
  #state: 'new' | 'starting' | 'ready' | 'closed' = 'new';
  #heartbeatTimer: NodeJS.Timeout | undefined;
  #heartbeat: Promise<void> | undefined;
  #starting: Promise<void> | undefined;
  #closing: Promise<void> | undefined;
  /**
   * Presence can be trusted only while the store is reachable and this node's records are in it: false from
   * a lost store connection until re-registration after the reconnect has finished. `#presenceEpoch` counts
   * losses, so a lookup that spanned one is not trusted either.
   */
  #presenceReadable = true;
  #presenceEpoch = 0;
  /** The re-registration running after a store reconnect: lookups wait for it rather than fail. */
  #restoring: Promise<void> | undefined;
  /** Nodes seen in the live set, and those that have left it since (a call to one fails at once). */
  readonly #seenLive = new Set<string>();
  readonly #left = new Set<string>();
  /**
   * After a store reconnect (it may have restarted empty): the nodes that were live before and have not
   * re-registered yet. Until they are back (or their liveness would have expired anyway), an absent
   * identity may be one of theirs, so a lookup that finds nothing fails instead of claiming absence.
   */
  #awaiting = new Set<string>();
  #awaitingUntil = 0;

  protected constructor(store: ClusterPresenceStore, channels: ClusterChannels, options: ClusterAdapterOptions = {}) {
    super();
    this.#store = store;
    this.#channels = channels;
    const callGraceMs = options.callGraceMs ?? 2000;
    if (!Number.isFinite(callGraceMs) || callGraceMs < 0) throw new RangeError('callGraceMs must be a finite number >= 0');
    this.#callGraceMs = callGraceMs;
    this.#broadcastTimeoutMs = positive('broadcastTimeoutMs', options.broadcastTimeoutMs ?? 35_000);
    this.#heartbeatIntervalMs = options.heartbeatIntervalMs === undefined ? undefined : positive('heartbeatIntervalMs', options.heartbeatIntervalMs);
    this.#presenceTtlMs = positive('presenceTtlMs', options.presenceTtlMs ?? 3 * (this.#heartbeatIntervalMs ?? 10_000));
    this.#wire = new ClusterWire(createMessageSigner(options.secret));
    this.#requests = new RequestServer((nodeId, msg, what) => this.#send(nodeId, msg, what), (e) => this.emitError(e));
    this.#rejected = new RejectedMessageLog((e) => this.emitError(e));
  }

  // ── template methods (the transport) ────────────────────────────────────────────────────────────────────────

  /**
   * Makes this node reachable on `channels.node(nodeId)` and `channels.broadcast`, so that every message
   * published there reaches {@link deliver}. Rejects when the node id is already used by a live node.
   */
  protected abstract openTransport(nodeId: string): Promise<void>;
  /** Stops receiving (other nodes stop counting this node as a receiver). Messages may still arrive until it resolves. */
  protected abstract closeTransport(): Promise<void>;
  /** Releases what openTransport() attached (listeners); called once, after closeTransport() or a failed open. */
  protected abstract detachTransport(): void;
  /** True while both publishing and receiving work (false: calls fail at once with `closed`). */
  protected abstract transportReady(): boolean;
  /** Publishes to one node; resolves with the number of receivers (0: no node listens there). */
  protected abstract publishToNode(nodeId: string, channel: string, payload: string): Promise<number>;
  /** Publishes to every node, this one included; resolves with the number of receivers. */
  protected abstract publishToAll(channel: string, payload: string): Promise<number>;
  /** How failures name the transport ("the Redis connection was lost…"). */
  protected readonly transportName: string = 'cluster transport';
  /** Code of the process warning a background failure becomes when nobody listens to `error`. */
  protected readonly warningCode: string = 'CHARGEWIRE_CLUSTER_ADAPTER';
  /** False while the presence store cannot be reached (lookups then fail at once instead of queueing). */
  protected presenceReachable(): boolean {
    return true;
  }

  // ── hooks for the transport ─────────────────────────────────────────────────────────────────────────────────

  /** A message arrived on `channel`: verify, parse and act on it. Never throws. */
  protected deliver(channel: string, payload: string): void {
    let msg: WireMessage | undefined;
    try {
      msg = this.#wire.decode(channel, payload);
    } catch (err) {
      const e = toError(err);
      this.emitError(e);
      this.#requests.answerUnreadable(e, this.#host);
      return;
    }
    if (!msg) {
      // Not from a node of this cluster: never parsed, never answered (no reflection toward whoever sent it).
      this.#rejected.record(channel);
      return;
    }
    const host = this.#host;
    if (!host) return;
    // Replies and broadcast reports settle an entry once anyway (and report ids repeat across nodes).
    if ((msg.t === 'call' || msg.t === 'bcast' || msg.t === 'superseded') && !this.#recent.firstSeen(msg.id)) return;
    if (this.#state === 'closed') {
      this.#requests.answerWhileClosing(host, msg);
      return;
    }
    // 'starting' or 'ready': a broadcast may arrive between subscribing and the end of init(), and counts us in.
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
  }

  /** Receiving stopped (replies sent meanwhile are lost): fail in-flight calls now instead of at their timeout. */
  protected receiverLost(): void {
    if (this.#state !== 'ready') return;
    this.#pending.settleAll(failure('closed', `the ${this.transportName} was lost while the cross-node call was in flight (it may have reached the charger)`));
    this.#broadcasts.abortAll();
  }

  /** The presence store cannot be reached: lookups fail with ConnectionClosedError until it is restored. */
  protected presenceLost(): void {
    this.#presenceEpoch++;
    if (this.#presenceReadable && this.#heartbeatIntervalMs !== undefined) {
      this.#awaiting = new Set([...this.#seenLive].filter((n) => n !== this.#host?.nodeId));
      // A node that has not come back within the liveness lifetime would have expired anyway.
      this.#awaitingUntil = Date.now() + this.#presenceTtlMs;
    }
    this.#presenceReadable = false;
  }

  /** The presence store is reachable again (it may have restarted empty): write this node's presence again. */
  protected presenceReconnected(): void {
    if (this.#state !== 'ready') return;
    // A reconnect whose loss went unnoticed (no close event seen) still means the store may have restarted empty.
    if (this.#presenceReadable) this.presenceLost();
    const restoring = this.#reregister().finally(() => {
      if (this.#restoring === restoring) this.#restoring = undefined;
    });
    this.#restoring = restoring;
  }

  // ── public API ──────────────────────────────────────────────────────────────────────────────────────────────

  on<E extends keyof ClusterAdapterEvents>(event: E, listener: (...args: ClusterAdapterEvents[E]) => void): this {
    this.#events.on(event, listener as (...args: unknown[]) => void);
    return this;
  }

  off<E extends keyof ClusterAdapterEvents>(event: E, listener: (...args: ClusterAdapterEvents[E]) => void): this {
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

  stats(): ClusterAdapterStats {
    return {
      pendingCalls: this.#pending.size,
      pendingBroadcasts: this.#broadcasts.size,
      trackedPresence: this.#tracked.size,
      rejectedMessages: this.#rejected.count,
    };
  }

  override init(host: AdapterHost): Promise<void> {
    if (this.#state !== 'new') return Promise.reject(new Error(`${this.constructor.name}.init() called on a ${this.#state} adapter`));
    if (typeof host.nodeId !== 'string' || host.nodeId.length === 0) return Promise.reject(new TypeError('the host nodeId must be a non-empty string'));
    this.#state = 'starting';
    this.#starting = this.#start(host);
    return this.#starting;
  }

  async #start(host: AdapterHost): Promise<void> {
    try {
      this.#host = host;
      this.#keeper = new PresenceKeeper(this.#store, host, {
        conflict: (c) => this.#conflict(c),
        replaced: (identity, previous) => this.#tellSuperseded(identity, previous),
        error: (e) => this.emitError(e),
        active: () => this.#state === 'ready',
      });
      await this.openTransport(host.nodeId);
      await this.#store.touchNode(host.nodeId);
      if (this.#heartbeatIntervalMs !== undefined) for (const n of await this.#store.liveNodes()) this.#seenLive.add(n);
    } catch (err) {
      await this.closeTransport().catch(() => undefined);
      this.detachTransport();
      this.#host = undefined;
      this.#state = 'closed';
      throw err;
    }
    this.#state = 'ready'; // close() waits for init() to settle, so nothing else changed the state meanwhile
    if (this.#heartbeatIntervalMs !== undefined) {
      this.#heartbeatTimer = setInterval(() => this.#runHeartbeat(), this.#heartbeatIntervalMs);
      this.#heartbeatTimer.unref();
    }
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
    this.#keeper?.hurry(); // a beat paused between its parts stops at once (the state is no longer ready)
    this.#pending.settleAll(failure('closed', 'the cluster adapter was closed before the remote node answered'));
    this.#broadcasts.abortAll();
    const tracked = [...this.#tracked.values()];
    this.#tracked.clear();
    const cleanup = async (): Promise<void> => {
      await this.#heartbeat?.catch(() => undefined);
      // Until the transport is closed, other nodes still count this one as a receiver: deliver() stays wired
      // and answers "shutting down" instead of leaving them waiting.
      await this.closeTransport();
      if (host) await this.#store.removeNode(host.nodeId);
      await Promise.all(tracked.map((r) => this.#store.unregister(r)));
    };
    try {
      await withTimeout(cleanup(), CLOSE_CLEANUP_MS);
    } catch (err) {
      // Presence left behind expires within its lifetime.
      this.emitError(new Error(`${this.constructor.name}.close(): clean-up failed: ${toError(err).message}`));
    } finally {
      this.detachTransport();
    }
  }

  override async register(record: PresenceRecord): Promise<void> {
    await this.#ready('register');
    assertPresenceRecord(record);
    this.#tracked.set(record.identity, Object.isFrozen(record) ? record : { ...record }); // the server's records are frozen: no copy per connection
    const result = await this.#store.register(record);
    if (!result.written) this.#conflict({ identity: record.identity, connectionId: record.connectionId, owner: result.owner, during: 'register' });
    else if (result.replaced) this.#tellSuperseded(record.identity, result.replaced);
  }

  override async unregister(record: PresenceRecord): Promise<void> {
    assertPresenceRecord(record);
    // close() already removed this node's presence; a disconnect reported afterwards has nothing left to do.
    if (this.#state === 'closed') return;
    await this.#ready('unregister');
    if (this.#tracked.get(record.identity)?.connectionId === record.connectionId) this.#tracked.delete(record.identity);
    await this.#store.unregister(record);
  }

  /**
   * The owner of `identity`, or undefined when no node has it. Waits for this node's re-registration after a
   * store reconnect; rejects with `ConnectionClosedError` while presence cannot be read (store unreachable, or
   * a node that was live has not re-registered yet): "not connected" is never claimed on a store that may be
   * missing records.
   */
  override async locate(identity: string): Promise<PresenceRecord | undefined> {
    await this.#ready('locate');
    if (typeof identity !== 'string') throw new TypeError('identity must be a string');
    const epoch = this.#presenceEpoch;
    // Reachable again and re-registering: wait for it (bounded by the store's own command timeouts).
    if (!this.#presenceReadable && this.presenceReachable() && this.#restoring) await this.#restoring;
    if (!this.#presenceReadable || !this.presenceReachable()) throw this.#unreadable();
    let found: Awaited<ReturnType<ClusterPresenceStore['locate']>>;
    try {
      found = await this.#store.locate(identity);
    } catch (err) {
      throw new ConnectionClosedError(1011, 'presence unavailable', `presence of "${identity}" cannot be read: ${toError(err).message}`);
    }
    if (found === 'malformed') {
      this.emitError(new Error(`presence record of "${identity}" is malformed; treating the identity as not connected`));
      return undefined;
    }
    // The store connection dropped while the lookup waited: it may have run on a store that restarted empty.
    if (found === undefined && (epoch !== this.#presenceEpoch || !this.#presenceReadable)) throw this.#unreadable();
    if (found === undefined && this.#awaiting.size > 0 && !(await this.#othersRestored())) throw this.#unreadable();
    return found;
  }

  override async sendCall(nodeId: string, req: RemoteCallRequest): Promise<RemoteCallOutcome> {
    if (this.#state === 'starting') await this.#starting?.catch(() => undefined);
    const host = this.#host;
    if (this.#state !== 'ready' || !host) return failure('closed', 'the cluster adapter is not running');
    if (!Number.isFinite(req.timeoutMs) || req.timeoutMs <= 0) return failure('internal', 'cross-node call needs a positive finite timeoutMs');
    if (nodeId === host.nodeId) return this.#requests.callLocal(host, req);
    if (!this.transportReady()) return failure('closed', `cannot reach node "${nodeId}": the ${this.transportName} is down`);
    if (this.#left.has(nodeId)) return failure('notConnected', `node "${nodeId}" left the cluster (missed heartbeats)`);
    const id = randomUUID();
    const channel = this.#channels.node(nodeId);
    let payload: string;
    try {
      payload = this.#wire.encode(channel, { t: 'call', id, from: host.nodeId, req });
    } catch {
      return failure('internal', 'the call parameters cannot be serialised to JSON');
    }
    const waitMs = req.timeoutMs + this.#callGraceMs;
    const outcome = this.#pending.add(id, nodeId, waitMs, () =>
      failure('timeout', `node "${nodeId}" did not answer the ${req.action} call to "${req.identity}" within ${waitMs} ms`),
    );
    this.publishToNode(nodeId, channel, payload).then(
      (receivers) => {
        if (receivers === 0) this.#pending.settle(id, failure('notConnected', `node "${nodeId}" is not reachable (it is not subscribed to the cluster)`));
      },
      (err: unknown) => {
        this.#pending.settle(id, failure('closed', `could not send the call to node "${nodeId}": ${toError(err).message}`));
      },
    );
    return outcome;
  }

  override async broadcast(protocol: string, action: string, params: unknown): Promise<ClusterBroadcastReport> {
    if (this.#state === 'starting') await this.#starting?.catch(() => undefined);
    const host = this.#host;
    if (this.#state !== 'ready' || !host) throw new Error(`${this.constructor.name}.broadcast(): the adapter is not running`);
    const id = randomUUID();
    const channel = this.#channels.broadcast;
    const payload = this.#wire.encode(channel, { t: 'bcast', id, from: host.nodeId, protocol, action, params }); // throws TypeError on unserialisable params
    const local = this.#requests.broadcastLocal(host, protocol, action, params);
    let remote: Promise<BroadcastCollection> = Promise.resolve({ reports: new Map(), complete: false });
    if (this.transportReady()) {
      remote = this.#broadcasts.start(id, this.#broadcastTimeoutMs);
      this.publishToAll(channel, payload).then(
        (receivers) => this.#broadcasts.setExpected(id, receivers),
        (err: unknown) => {
          this.emitError(new Error(`broadcast could not be published: ${toError(err).message}`));
          this.#broadcasts.abort(id);
        },
      );
    }
    const [own, { reports, complete }] = await Promise.all([local, remote]);
    const nodes: NodeDelivery[] = [{ nodeId: host.nodeId, ...own }];
    for (const r of reports.values()) if (r.nodeId !== host.nodeId) nodes.push(r);
    let unresponsiveNodes: string[] = [];
    if (!complete && this.transportReady()) {
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

  /** Ids of the nodes whose liveness has not expired (this one included while it runs). */
  async liveNodes(): Promise<string[]> {
    await this.#ready('liveNodes');
    return this.#store.liveNodes();
  }

  // ── internals ───────────────────────────────────────────────────────────────────────────────────────────────

  /** Encodes, signs and publishes `msg` to `nodeId`; false when it cannot be encoded. Failures are reported. */
  #send(nodeId: string, msg: WireMessage, what: string): boolean {
    const channel = this.#channels.node(nodeId);
    let payload: string;
    try {
      payload = this.#wire.encode(channel, msg);
    } catch {
      return false;
    }
    this.publishToNode(nodeId, channel, payload).catch((err: unknown) => {
      this.emitError(new Error(`could not send ${what} to node "${nodeId}": ${toError(err).message}`));
    });
    return true;
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
    // If it is lost, the old node's heartbeat finds the record taken and closes the connection then.
    this.#send(previous.nodeId, { t: 'superseded', id: randomUUID(), from: host.nodeId, identity, connectionId: previous.connectionId }, `that "${identity}" moved`);
  }

  /** True once every node that was live before the store reconnect has re-registered (or cannot come back). */
  async #othersRestored(): Promise<boolean> {
    if (Date.now() > this.#awaitingUntil) {
      this.#awaiting.clear();
      return true;
    }
    let live: string[];
    try {
      live = await this.#store.liveNodes();
    } catch {
      return false;
    }
    for (const n of live) this.#awaiting.delete(n);
    return this.#awaiting.size === 0;
  }

  #unreadable(): ConnectionClosedError {
    return new ConnectionClosedError(1011, 'presence unavailable', 'cluster presence cannot be read right now (the store connection is down or being restored); retry');
  }

  async #reregister(): Promise<void> {
    if (!this.#keeper) return;
    try {
      const { written, failed } = await this.#keeper.reregister();
      if (this.#state !== 'ready') return;
      // A record that could not be written (the store still failing over) stays unreadable until a beat writes it.
      if (failed === 0) this.#presenceReadable = true;
      this.#events.emit('reregistered', { records: written });
    } catch (err) {
      this.emitError(new Error(`re-registration after reconnect failed: ${toError(err).message}`));
    }
  }

  #runHeartbeat(): void {
    const keeper = this.#keeper;
    if (!keeper || this.#heartbeat || this.#state !== 'ready') return; // never overlap beats on a slow store
    const epoch = this.#presenceEpoch;
    this.#heartbeat = keeper
      .beat(this.#heartbeatIntervalMs === undefined ? 0 : this.#heartbeatIntervalMs / 2)
      .then(async (failed) => {
        // A full beat re-wrote whatever was missing: presence is whole again even if re-registration failed.
        if (failed === 0 && this.#state === 'ready' && epoch === this.#presenceEpoch && this.transportReady()) this.#presenceReadable = true;
        await this.#checkLiveness();
      })
      .catch((err: unknown) => this.emitError(new Error(`heartbeat failed: ${toError(err).message}`)))
      .finally(() => {
        this.#heartbeat = undefined;
      });
  }

  /**
   * A node that was alive and is no longer in the live set (it missed its heartbeats: crashed, or cut off)
   * will not answer: its pending calls fail now with `notConnected` instead of waiting for their timeout.
   */
  async #checkLiveness(): Promise<void> {
    const live = new Set(await this.#store.liveNodes());
    for (const n of live) {
      this.#seenLive.add(n);
      this.#left.delete(n);
    }
    for (const n of this.#seenLive) {
      if (live.has(n)) continue;
      this.#seenLive.delete(n);
      this.#left.add(n);
    }
    for (const n of this.#pending.targets()) {
      if (live.has(n) || !this.#left.has(n)) continue;
      this.#pending.settleNode(n, failure('notConnected', `node "${n}" left the cluster (missed heartbeats) before it answered`));
    }
  }

  /** Lets calls made while init() runs wait for it; refuses calls before init() or after close(). */
  async #ready(method: string): Promise<void> {
    if (this.#state === 'starting') await this.#starting?.catch(() => undefined);
    if (this.#state !== 'ready') throw new Error(`${this.constructor.name}.${method}(): the adapter is ${this.#state === 'closed' ? 'closed' : 'not initialised'}`);
  }

  #conflict(conflict: PresenceConflict): void {
    this.#events.emit('presenceConflict', conflict);
  }

  /** Reports a background failure: the `error` event, or a process warning without a listener. */
  protected emitError(err: Error): void {
    if (this.#events.listenerCount('error') > 0) this.#events.emit('error', err);
    else process.emitWarning(err.message, { code: this.warningCode });
  }
}
