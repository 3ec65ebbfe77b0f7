import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { OcppProtocols, ProtocolMap } from '@chargewire/ocpp-types';
import { HandlerRegistry, type OcppHandlers, type RpcEndpoint, type RpcEndpointObserver } from '@chargewire/rpc-core';
import { definePeerMethods } from '@chargewire/rpc-core/internal';
import type { Adapter, BroadcastReport } from './adapter/adapter.js';
import { InMemoryAdapter } from './adapter/inMemoryAdapter.js';
import type { AuthHandler } from './auth.js';
import type { ConnectionMiddleware } from './connectionMiddleware.js';
import { runHandshakePipeline } from './handshakePipeline.js';
import type { HandshakeDecision } from './handshakePipeline.js';
import type { Handshake } from './handshake.js';
import { createUpgradeOnlyServer, destroySocket, rejectUpgrade } from './httpReject.js';
import { lacksPasswordCheck, missingPasswordCheck } from './insecureConfiguration.js';
import { KeepAlive } from './keepAlive.js';
import { PreUpgradeSockets } from './preUpgradeSockets.js';
import { silentLogger } from './logger.js';
import type { Logger } from './logger.js';
import { resolveRouteOptions } from './options.js';
import type { OCPPServerOptions, RouteOptions } from './options.js';
import { WindowRateLimiter } from './rateLimit.js';
import { RemoteClient } from './remoteClient.js';
import type { Route } from './route.js';
import { RouteTable } from './routeTable.js';
import type { RouteParams } from './routePattern.js';
import { closeClients } from './closeClients.js';
import type { ServerCloseOptions } from './closeClients.js';
import { ServerClient } from './serverClient.js';
import type { ServerClientHandle } from './serverClientHandle.js';
import { StatsCollector } from './stats.js';
import type { ServerStats } from './stats.js';
import { CloseCodes, WsChannel } from './wsChannel.js';
import { ChannelSocket } from './channelSocket.js';
import { newConnectionSerial } from './connectionSerial.js';
import { ClientEndpoint, createEndpointObserver } from './clientEndpoint.js';
import { LocalNode, presenceOf } from './localNode.js';
import type { BroadcastClientResult } from './localNode.js';

/** `broadcast()` report: per-node counts from the adapter plus per-client results of this node. */
export interface ServerBroadcastReport extends BroadcastReport {
  clients: BroadcastClientResult[];
}

/**
 * The CSMS side of OCPP-J: accepts charging stations over WebSocket, negotiates the subprotocol, runs
 * connection middleware and auth, and gives each station a typed `ServerClient`.
 *
 * Events: `client` (every accepted client, after its route's own `client` event), `error`
 * (errors of user listeners and of the adapter), `close`.
 */
export class OCPPServer<M extends ProtocolMap = OcppProtocols> extends EventEmitter {
  readonly nodeId: string;
  readonly #options: OCPPServerOptions;
  readonly #logger: Logger;
  readonly #adapter: Adapter;
  readonly #routes: RouteTable<M>;
  /** Handlers shared by every client of every route (the last before NotImplemented/NotSupported). */
  readonly #handlers = new HandlerRegistry();
  readonly #middleware: ConnectionMiddleware[] = [];
  #auth: AuthHandler | undefined;
  readonly #clients = new Map<string, ServerClient<M>>();
  readonly #remote = new Map<string, RemoteClient<M>>();
  readonly #node: LocalNode<M>;
  readonly #stats = new StatsCollector();
  readonly #keepAlive: KeepAlive;
  readonly #connectionRate: WindowRateLimiter | undefined;
  #handshaking = 0;
  readonly #preUpgrade = new PreUpgradeSockets();
  readonly #upgrading = new Set<string>();
  #httpServer: HttpServer | HttpsServer | undefined;
  #ownsHttpServer = false;
  #adapterReady: Promise<void> | undefined;
  #adapterInitialized = false;
  #closing = false;
  #closed: Promise<void> | undefined;
  readonly #observer: RpcEndpointObserver<RpcEndpoint<'CSMS'>>;
  readonly #onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => this.handleUpgrade(req, socket, head);
  readonly #onConnection = (socket: Socket): void => this.#connected(socket);

  constructor(options: OCPPServerOptions = {}) {
    super();
    this.#options = options;
    this.#routes = new RouteTable<M>(options, this.#handlers);
    this.nodeId = options.nodeId ?? randomUUID();
    this.#logger = options.logger ?? silentLogger;
    this.#node = new LocalNode<M>(this.nodeId, this.#clients);
    this.#adapter = options.adapter ?? new InMemoryAdapter();
    this.#keepAlive = new KeepAlive(options.pingIntervalMs ?? 30_000, (channel) => {
      this.#logger.info({ event: 'deadPeer' }, 'Closing a connection that stopped answering pings');
      channel.terminate();
    });
    this.#observer = createEndpointObserver<M>(this.#stats, (client, channel, code, reason) => this.#onClientClosed(client, channel, code, reason));
    const rate = options.connectionRateLimit;
    if (rate) this.#connectionRate = new WindowRateLimiter(rate.connections, rate.perMs);
    // Resolve the default route eagerly so bad options throw from the constructor.
    resolveRouteOptions({}, options);
    for (const name of ['handshakeTimeoutMs', 'headersTimeoutMs'] as const) {
      const value = options[name];
      if (value !== undefined && !(value > 0)) throw new RangeError(`${name} must be a positive number, got ${value}`);
    }
    if (options.server) this.#attach(options.server, false);
  }

  /** Starts an HTTP server of its own (it answers plain HTTP requests with 426) and listens. */
  async listen(port = 0, host?: string): Promise<AddressInfo> {
    if (this.#httpServer) throw new Error('This OCPPServer is already attached to an HTTP server');
    if (this.#closing) throw new Error('This OCPPServer is closed');
    this.#refuseInsecureRoutes();
    const server = createUpgradeOnlyServer(this.#options.headersTimeoutMs ?? 10_000);
    this.#attach(server, true);
    server.on('connection', this.#onConnection);
    await this.#ensureAdapter();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return server.address() as AddressInfo;
  }

  /** Throws InsecureConfigurationError for a route that would accept any password (DESIGN "Security model"). */
  #refuseInsecureRoutes(): void {
    for (const { pattern, options, auth } of this.#routes.reachable(this.#auth)) {
      if (lacksPasswordCheck(options, auth)) throw missingPasswordCheck(pattern, options.securityProfile);
    }
  }

  /** Adds connection middleware (runs before the WebSocket is accepted, before route middleware). */
  use(middleware: ConnectionMiddleware): this {
    this.#middleware.push(middleware);
    return this;
  }

  /** Sets the auth handler: `ctx.accept({ session })` or `ctx.reject(status, message)`, sync or async. */
  auth<Session = unknown>(handler: AuthHandler<Session>): this {
    this.#auth = handler;
    return this;
  }

  /**
   * Declares a route with path parameters (`/api/v1/chargers/:id`). Routes are matched in declaration
   * order; once a route exists, paths that match none get 404 (unless the `path` option keeps a default route).
   */
  route<const Pattern extends string>(pattern: Pattern, options: RouteOptions = {}): Route<M, RouteParams<Pattern>> {
    return this.#routes.add(pattern, options);
  }

  /**
   * Registers a handler shared by every client of every route, typed like `client.handle()`; it gets the
   * client as `ctx.client`. A route's or a client's own handler of the same action overrides it.
   * @example
   * server.handle('ocpp1.6', 'Heartbeat', ({ client }) => ({ currentTime: new Date().toISOString() }));
   */
  declare readonly handle: OcppHandlers<'CSMS', M, ServerClient<M>>['handle'];

  static {
    definePeerMethods<OCPPServer<ProtocolMap>>(this.prototype, {
      handle(protocolOrHandler, action, handler) {
        this.#handlers.register(protocolOrHandler, action, handler);
      },
    });
  }

  /** No arguments: removes the server's wildcard handler; a protocol: all of its handlers; both: one handler. */
  removeHandler(protocol?: string, action?: string): void {
    this.#handlers.delete(protocol, action);
  }

  override on(event: 'client', listener: (client: ServerClient<M>) => void): this;
  override on(event: 'close', listener: () => void): this;
  override on(event: 'error', listener: (error: Error) => void): this;
  override on(event: string | symbol, listener: (...args: never[]) => void): this;
  override on(event: string | symbol, listener: (...args: never[]) => void): this {
    return super.on(event, listener as (...args: unknown[]) => void);
  }

  /** Connected clients of this node, by identity. */
  get clients(): ReadonlyMap<string, ServerClient<M>> {
    return this.#clients;
  }

  /** A local client, or a remote one previously found with `findClient()`. */
  getClient(identity: string): ServerClientHandle<M> | undefined {
    return this.#clients.get(identity) ?? this.#remote.get(identity);
  }

  /** Finds a client on any node of the cluster (asks the adapter when it is not local). */
  async findClient(identity: string): Promise<ServerClientHandle<M> | undefined> {
    const local = this.#clients.get(identity);
    if (local) return local;
    await this.#ensureAdapter();
    const record = await this.#adapter.locate(identity);
    if (!record || record.nodeId === this.nodeId) {
      this.#remote.delete(identity);
      return undefined;
    }
    const handle = new RemoteClient<M>(record, this.#adapter, this.#options.callTimeoutMs ?? 30_000);
    this.#remote.set(identity, handle);
    return handle;
  }

  /** Sends one CALL to every client (on every node) that negotiated `protocol`. */
  async broadcast(protocol: string, action: string, params: unknown): Promise<ServerBroadcastReport> {
    await this.#ensureAdapter();
    const { report, clients } = await this.#node.collect(protocol, action, params, () => this.#adapter.broadcast(protocol, action, params));
    return { ...report, clients };
  }

  /** A snapshot of the counters (connections, calls, errors, bad messages, latency percentiles). */
  stats(): ServerStats {
    return this.#stats.snapshot();
  }

  /**
   * Handles an HTTP upgrade (for manual wiring: `httpServer.on('upgrade', (req, socket, head) =>
   * ocpp.handleUpgrade(req, socket, head))`). Paths that match no route get 404. Do not combine with the
   * `server` option, which wires this up already.
   */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#preUpgrade.upgrading(req.socket);
    socket.on('error', destroySocket);
    try {
      this.#handleUpgrade(req, socket, head)?.catch((err: unknown) => this.#upgradeFailed(socket, err));
    } catch (err) {
      this.#upgradeFailed(socket, err);
    }
  }

  /** A socket connected to the server `listen()` created: counted until its upgrade request; past the limit, 503 at once. */
  #connected(socket: Socket): void {
    if (this.#closing || this.#openCount() >= (this.#options.maxConnections ?? Infinity)) {
      this.#reject(socket, 503, 'Too many connections');
      return;
    }
    this.#preUpgrade.add(socket);
  }

  /** Connections counted against maxConnections: open clients, upgrades being decided, sockets before their upgrade. */
  #openCount(): number {
    return this.#clients.size + this.#handshaking + this.#preUpgrade.size;
  }

  #upgradeFailed(socket: Duplex, err: unknown): void {
    this.#logger.error({ err }, 'Upgrade handling failed');
    this.#reject(socket, 500, 'Internal Server Error');
  }

  /**
   * Stops accepting connections, optionally waits for outbound calls in flight, closes every client with
   * 1001 and releases the adapter. An HTTP server passed in by the user is left open.
   */
  close(options: ServerCloseOptions = {}): Promise<void> {
    this.#closed ??= this.#close(options);
    return this.#closed;
  }

  async #close(options: ServerCloseOptions): Promise<void> {
    this.#closing = true;
    if (this.#httpServer) {
      this.#httpServer.off('upgrade', this.#onUpgrade);
      this.#httpServer.off('connection', this.#onConnection);
      if (this.#ownsHttpServer) this.#httpServer.close();
    }
    await closeClients(this.#clients, options);
    this.#keepAlive.stop();
    this.#routes.closeAll();
    if (this.#adapterReady) {
      await this.#adapterReady.catch(() => undefined);
      await this.#adapter.close();
    }
    if (this.#httpServer && this.#ownsHttpServer) {
      this.#httpServer.closeAllConnections?.();
    }
    this.emit('close');
  }

  #attach(server: HttpServer | HttpsServer, owns: boolean): void {
    this.#httpServer = server;
    this.#ownsHttpServer = owns;
    server.on('upgrade', this.#onUpgrade);
  }

  #ensureAdapter(): Promise<void> {
    this.#adapterReady ??= this.#adapter.init(this.#node).then(() => {
      this.#adapterInitialized = true;
    });
    return this.#adapterReady;
  }

  #reject(socket: Duplex, status: number, message: string, headers?: Record<string, string>): undefined {
    this.#stats.reject(status);
    rejectUpgrade(socket, status, message, headers);
    return undefined;
  }

  /**
   * Routes, limits and decides one upgrade. Synchronous when it can be (adapter ready, no middleware or
   * auth): a promise only when something has to be waited for.
   */
  #handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> | undefined {
    if (this.#closing) return this.#reject(socket, 503, 'Server is shutting down');
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const match = this.#routes.match(path);
    if (!match) return this.#reject(socket, 404, 'Not Found');
    const max = this.#options.maxConnections ?? Infinity;
    if (this.#openCount() >= max) return this.#reject(socket, 503, 'Too many connections');
    if (this.#connectionRate && !this.#connectionRate.take(req.socket.remoteAddress ?? '')) {
      return this.#reject(socket, 429, 'Too many connection attempts', { 'Retry-After': String(Math.ceil(this.#connectionRate.windowMs / 1000)) });
    }
    const { route, params } = match;
    const decide = (): HandshakeDecision | Promise<HandshakeDecision> =>
      runHandshakePipeline({
        req,
        path,
        query: q < 0 ? '' : url.slice(q + 1),
        params,
        options: route.options,
        middleware: route.middleware.length ? [...this.#middleware, ...route.middleware] : this.#middleware,
        auth: route.authHandler ?? this.#auth,
        timeoutMs: this.#options.handshakeTimeoutMs ?? 10_000,
      });
    if (this.#adapterInitialized) {
      const decision = decide();
      if (!(decision instanceof Promise)) return this.#decided(req, socket, head, route, path, decision);
      return this.#awaitDecision(req, socket, head, route, path, decision);
    }
    return this.#awaitDecision(req, socket, head, route, path, this.#ensureAdapter().then(decide));
  }

  /** The handshake is waiting (adapter start-up, middleware, auth): it counts against maxConnections meanwhile. */
  async #awaitDecision(req: IncomingMessage, socket: Duplex, head: Buffer, route: Route<M>, path: string, pending: Promise<HandshakeDecision>): Promise<void> {
    this.#handshaking++;
    // The deadline covers the whole wait, adapter start-up included (the pipeline's own timer starts after it).
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<HandshakeDecision>((resolve) => {
      timer = setTimeout(() => resolve({ kind: 'reject', status: 408, message: 'Handshake timed out' }), this.#options.handshakeTimeoutMs ?? 10_000);
    });
    let decision: HandshakeDecision;
    try {
      decision = await Promise.race([pending, deadline]);
    } finally {
      clearTimeout(timer);
      this.#handshaking--;
    }
    this.#decided(req, socket, head, route, path, decision);
  }

  #decided(req: IncomingMessage, socket: Duplex, head: Buffer, route: Route<M>, path: string, decision: HandshakeDecision): undefined {
    if (socket.destroyed) return;
    if (this.#closing) return this.#reject(socket, 503, 'Server is shutting down');

    if (decision.kind === 'reject') {
      if (decision.serverFault !== undefined) this.#logger.error({ status: decision.status, path, route: route.pattern.source }, `Connection refused: ${decision.serverFault}`);
      else this.#logger.info({ status: decision.status, path, remoteAddress: req.socket.remoteAddress }, 'Connection refused');
      return this.#reject(socket, decision.status, decision.message, decision.headers);
    }
    if (decision.kind === 'noProtocol') {
      this.#stats.reject('noSubprotocol');
      this.#logger.info({ offered: decision.offered, path }, 'No supported subprotocol offered');
      socket.off('error', destroySocket);
      route.upgradeWithoutProtocol(req, socket, head);
      return;
    }

    const { handshake } = decision;
    const identity = handshake.identity;
    if (route.options.onDuplicateIdentity === 'refuse') {
      if (this.#clients.has(identity) || this.#upgrading.has(identity)) return this.#reject(socket, 409, 'Identity already connected');
    }
    // Reserve the identity until the upgrade completes or fails, so two concurrent handshakes of one
    // identity cannot both pass the duplicate check.
    this.#upgrading.add(identity);
    const release = (): void => void this.#upgrading.delete(identity);
    socket.once('close', release);
    socket.off('error', destroySocket);
    route.upgrade(req, socket, head, handshake.protocol, (ws) => {
      socket.off('close', release);
      release();
      try {
        if (!(ws instanceof ChannelSocket)) throw new TypeError('The route\'s WebSocketServer must create ChannelSockets');
        this.#accept(ws, route, handshake, decision.session, decision.state);
      } catch (err) {
        this.#logger.error({ err, identity }, 'Could not set up an accepted connection');
        ws.close(CloseCodes.internalError, 'Internal error');
        this.#emitError(err);
      }
    });
    return;
  }

  #accept(ws: ChannelSocket, route: Route<M>, handshake: Handshake, session: unknown, state: Record<string, unknown> | undefined): void {
    const options = route.options;
    const stats = this.#stats;
    const channel = new WsChannel(ws, options.messageRateLimit, stats, options.maxBufferedBytes);
    const endpoint = new ClientEndpoint<M>({
      side: 'CSMS',
      protocol: handshake.protocol,
      strictMode: options.strictMode,
      callTimeoutMs: options.callTimeoutMs,
      callConcurrency: options.callConcurrency,
      maxBadMessages: options.maxBadMessages,
      inboundConcurrency: options.inboundConcurrency,
      inboundQueueLimit: options.inboundQueueLimit,
      observer: this.#observer,
      sharedHandlers: route.handlers,
    });
    const client = new ServerClient<M>({
      endpoint,
      handshake,
      session,
      state,
      nodeId: this.nodeId,
      serial: newConnectionSerial(),
      route: route.pattern.source,
      transport: channel,
    });

    const previous = this.#clients.get(handshake.identity);
    this.#clients.set(handshake.identity, client);
    this.#remote.delete(handshake.identity);
    stats.opened(handshake.protocol);
    this.#keepAlive.add(channel);

    endpoint.client = client;
    endpoint.channel = channel;
    endpoint.attach(channel, handshake.protocol);
    if (previous) previous.close(CloseCodes.normal, 'Replaced by a new connection');
    this.#adapter.register(presenceOf(client)).catch((err: unknown) => this.#adapterError(err));
    this.#logger.info({ identity: handshake.identity, protocol: handshake.protocol, route: route.pattern.source }, 'Client connected');

    try {
      if (!this.#routes.isDefault(route)) route.emit('client', client);
      this.emit('client', client);
    } catch (err) {
      this.#logger.error({ err, identity: handshake.identity }, 'A client listener threw; closing the connection');
      client.close(CloseCodes.internalError, 'Internal error');
      this.#emitError(err);
    }
  }

  /** A client's endpoint has closed (reported once by the shared endpoint observer). */
  #onClientClosed(client: ServerClient<M>, channel: WsChannel, code: number, reason: string): void {
    const identity = client.identity;
    this.#keepAlive.delete(channel);
    this.#stats.closed(client.protocol);
    if (this.#clients.get(identity) === client) this.#clients.delete(identity);
    this.#adapter.unregister(presenceOf(client)).catch((err: unknown) => this.#adapterError(err));
    this.#logger.info({ identity, code, reason }, 'Client disconnected');
    client.markClosed(code, reason);
  }

  #adapterError(err: unknown): void {
    this.#logger.error({ err }, 'Cluster adapter error');
    this.#emitError(err);
  }

  /** 'error' is emitted only when someone listens: a bug in a listener must never crash the process. */
  #emitError(err: unknown): void {
    if (this.listenerCount('error') > 0) this.emit('error', err instanceof Error ? err : new Error(String(err)));
  }
}
