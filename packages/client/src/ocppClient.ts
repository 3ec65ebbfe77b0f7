import { EventEmitter } from 'node:events';
import type { OcppProtocols, ProtocolMap } from '@chargewire/ocpp-types';
import {
  NotConnectedError,
  ProtocolMismatchError,
  type CallOptions,
  type MessageMiddleware,
  type OcppCaller,
  type OcppHandlers,
  type OcppPeer,
  type OcppSender,
  type RpcEndpoint,
} from '@chargewire/rpc-core';
import { definePeerMethods, truncateCloseReason } from '@chargewire/rpc-core/internal';
import { ChargerEndpoint } from './chargerEndpoint.js';
import type { WebSocket } from 'ws';
import { resolveBackoff } from './backoff.js';
import { basicAuthHeader } from './basicAuth.js';
import { ConnectAbortedError, ConnectionFailedError } from './errors.js';
import { KeepAlive } from './keepAlive.js';
import { openSocket, type OpenedSocket } from './openSocket.js';
import { OutstandingWork } from './outstandingWork.js';
import type { ClientState, CloseOptions, OCPPClientEvents, OCPPClientOptions } from './options.js';
import { ReconnectLoop } from './reconnectLoop.js';
import { buildEndpointUrl } from './url.js';
import { validCloseCode, wsChannel } from './wsChannel.js';
import { validateClientOptions } from './validateOptions.js';

interface Waiter {
  resolve(protocol: string): void;
  reject(error: Error): void;
}

/**
 * The charge-point side of OCPP-J: one reconnecting WebSocket connection to a CSMS.
 *
 * One {@link RpcEndpoint} lives as long as the client and is re-attached to every new connection, so
 * handlers, middleware and the offline queue survive reconnects. The client never sends anything on its
 * own except pings: in particular it does not repeat BootNotification after a reconnect (DESIGN rule 10).
 *
 * @example
 * const client = new OCPPClient({ endpoint: 'ws://localhost:9220/ocpp', identity: 'CP-1', protocols: ['ocpp1.6'] });
 * client.handle('ocpp1.6', 'RemoteStartTransaction', () => ({ status: 'Accepted' }));
 * await client.connect();
 * const boot = await client.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'ACME', chargePointModel: 'X' });
 */
export class OCPPClient<M extends ProtocolMap = OcppProtocols>
  extends EventEmitter<OCPPClientEvents>
  implements OcppPeer<'ChargingStation', M, OCPPClient<M>>
{
  /** The RPC engine behind this client (events `call`, `callResult`, `callError`, `badMessage`, …). */
  readonly endpoint: RpcEndpoint<'ChargingStation', M>;
  readonly identity: string;

  readonly #options: OCPPClientOptions<NoInfer<M>>;
  readonly #url: URL;
  readonly #headers: Record<string, string>;
  readonly #reconnectLoop: ReconnectLoop;

  #_state: ClientState = 'idle';
  #negotiated: string | undefined;
  #ws: WebSocket | undefined;
  #keepAlive: KeepAlive | undefined;
  #waiters: Waiter[] = [];
  #closePromise: Promise<void> | undefined;
  #closeDone: (() => void) | undefined;
  readonly #outstanding = new OutstandingWork();

  constructor(options: OCPPClientOptions<NoInfer<M>>) {
    super();
    validateClientOptions(options);
    this.#options = options;
    this.identity = options.identity;
    this.#url = buildEndpointUrl(options.endpoint, options.identity, options.query);
    this.#headers = { ...options.headers };
    if (options.password !== undefined) {
      for (const key of Object.keys(this.#headers)) if (key.toLowerCase() === 'authorization') delete this.#headers[key];
      this.#headers['authorization'] = basicAuthHeader(options.identity, options.password);
    }
    this.#reconnectLoop = new ReconnectLoop(resolveBackoff(options.backoff), options.random ?? Math.random, options, {
      attemptStarting: (attempt) => this.emit('connecting', { attempt, url: `${this.#url.protocol}//${this.#url.host}${this.#url.pathname}` }),
      openSocket: (signal) => this.#connectSocket(signal),
      opened: ({ ws, protocol }) => this.#onOpen(ws, protocol),
      retryScheduled: (attempt, delayMs, error) => this.emit('reconnect', { attempt, delayMs, ...(error && { error }) }),
      gaveUp: (error) => this.#finish({ code: 1006, reason: error.message }, error),
    });
    this.endpoint = new ChargerEndpoint<M>(this, {
      side: 'ChargingStation',
      ...(options.strictMode !== undefined && { strictMode: options.strictMode }),
      ...(options.callTimeoutMs !== undefined && { callTimeoutMs: options.callTimeoutMs }),
      ...(options.callConcurrency !== undefined && { callConcurrency: options.callConcurrency }),
      ...(options.maxBadMessages !== undefined && { maxBadMessages: options.maxBadMessages }),
      ...(options.inboundConcurrency !== undefined && { inboundConcurrency: options.inboundConcurrency }),
      ...(options.inboundQueueLimit !== undefined && { inboundQueueLimit: options.inboundQueueLimit }),
      ...(options.validators !== undefined && { validators: options.validators }),
      ...(options.generateMessageId !== undefined && { generateMessageId: options.generateMessageId }),
      offlineQueueSize: options.offlineQueue ?? 0,
    });
    // Outermost middleware: tracks inbound CALLs being handled, so close({ awaitPending }) lets their
    // answers go out before the socket closes.
    this.endpoint.use((ctx, next) => {
      if (ctx.direction !== 'in' || ctx.kind !== 'call') return next();
      return this.#outstanding.track(next());
    });
  }

  /** Connection state. */
  get state(): ClientState {
    return this.#_state;
  }

  /** The negotiated subprotocol (kept while reconnecting); undefined before the first connect. */
  get protocol(): string | undefined {
    return this.#negotiated;
  }

  /**
   * Opens the connection. Resolves with the negotiated subprotocol; rejects with a {@link ConnectError}
   * (`ConnectionRefusedError` with the HTTP `status` when the server refuses the upgrade). The first
   * connect makes one attempt (unless `retryInitialConnect`); automatic retries apply to connections that
   * dropped after opening.
   */
  connect(): Promise<string> {
    switch (this.#_state) {
      case 'open':
        return Promise.resolve(this.#negotiated as string);
      case 'connecting':
      case 'reconnecting':
        return this.#waitForOpen();
      case 'closing':
        return Promise.reject(new ConnectAbortedError('connect() called while the client is closing'));
      case 'idle':
      case 'closed': {
        this.#negotiated = undefined;
        this.#setState('connecting');
        const opened = this.#waitForOpen();
        this.#reconnectLoop.start();
        return opened;
      }
    }
  }

  /**
   * Closes the connection and stops reconnecting. Calls that were queued and never sent reject with
   * `ConnectionClosedError`; with `awaitPending`, outstanding calls settle first.
   */
  close(options: CloseOptions = {}): Promise<void> {
    const code = validCloseCode(options.code);
    const reason = truncateCloseReason(options.reason);
    if (this.#closePromise) {
      if (options.force && this.#ws) this.#ws.terminate();
      return this.#closePromise;
    }
    switch (this.#_state) {
      case 'idle':
      case 'closed':
        this.endpoint.close(code, reason);
        this.#setState('closed');
        return Promise.resolve();
      case 'connecting':
      case 'reconnecting':
        this.#reconnectLoop.stop();
        this.#finish({ code, reason });
        return Promise.resolve();
      case 'open':
      case 'closing':
        break;
    }
    this.#setState('closing');
    this.#closePromise = new Promise<void>((resolve) => {
      this.#closeDone = resolve;
    });
    void this.#closeOpenSocket(code, reason, options);
    return this.#closePromise;
  }

  // The typed facade (signatures declared once, in rpc-core's OcppPeer); implementations installed below.
  /**
   * Sends a charger-originated CALL and resolves with the CSMS's CALLRESULT payload. Rejects with `RpcError`
   * (CALLERROR or strict-mode violation), `TimeoutError`, `ConnectionClosedError` (dropped while in flight;
   * never re-sent) or `NotConnectedError` (disconnected and no room in the offline queue).
   */
  declare readonly call: OcppCaller<'ChargingStation', M>['call'];
  /**
   * OCPP 2.1 SEND (`[6, …]`, never answered). Fire-and-forget, so never queued: throws `NotConnectedError`
   * while disconnected, and the strict-mode `RpcError` for an invalid payload.
   */
  declare readonly send: OcppSender<'ChargingStation', M>['send'];
  /**
   * Registers the handler of a CSMS-originated action (or, with one argument, the wildcard handler for every
   * action without its own); it gets this client as `ctx.client`. Handlers survive reconnects. A thrown
   * `RpcError` becomes that CALLERROR; anything else becomes InternalError without its text.
   */
  declare readonly handle: OcppHandlers<'ChargingStation', M, OCPPClient<M>>['handle'];

  static {
    // Installed for every M: the bodies see the client over the widest map, ProtocolMap (untyped payloads).
    definePeerMethods<OCPPClient<ProtocolMap>>(this.prototype, {
      call(protocol, action, params, options) {
        const refused = this.#refuseWhenClosed();
        if (refused) return refused;
        return this.#outstanding.track(this.endpoint.call(protocol, action, params, options));
      },
      send(protocol, action, params) {
        if (protocol !== this.endpoint.protocol) throw new ProtocolMismatchError(this.endpoint.protocol, protocol);
        this.endpoint.sendRaw(action, params);
      },
      handle(protocolOrHandler, action, handler) {
        this.endpoint.handleRaw(protocolOrHandler, action, handler);
      },
    });
  }

  /** Untyped call, for proxies and tools that relay arbitrary actions. */
  callRaw(action: string, params: unknown, options?: CallOptions): Promise<unknown> {
    const refused = this.#refuseWhenClosed();
    if (refused) return refused;
    return this.#outstanding.track(this.endpoint.callRaw(action, params, options));
  }

  /** Untyped SEND. */
  sendRaw(action: string, params: unknown): void {
    this.endpoint.sendRaw(action, params);
  }

  /** No arguments: removes the wildcard handler; a protocol: all of its handlers; both: one handler. */
  removeHandler(protocol?: string, action?: string): void {
    this.endpoint.removeHandler(protocol, action);
  }

  /** Adds message middleware around calls in both directions (runs in the order added). */
  use(middleware: MessageMiddleware): void {
    this.endpoint.use(middleware);
  }

  // ─── connection lifecycle ────────────────────────────────────────────────────────────────────────────

  #waitForOpen(): Promise<string> {
    return new Promise<string>((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  #setState(state: ClientState): void {
    this.#_state = state;
  }

  #connectSocket(signal: AbortSignal): Promise<OpenedSocket> {
    // "keeps the negotiated protocol": after the first connection only that protocol is offered, so the
    // handlers and queued calls written for it stay valid.
    const protocols = this.#negotiated !== undefined ? [this.#negotiated] : [...this.#options.protocols];
    return openSocket({
      url: this.#url,
      protocols,
      headers: this.#headers,
      tls: this.#options.tls,
      handshakeTimeoutMs: this.#options.handshakeTimeoutMs ?? 30_000,
      // A copy of an options object: ws keeps it, and it may be a shared constant.
      perMessageDeflate: typeof this.#options.perMessageDeflate === 'object' ? { ...this.#options.perMessageDeflate } : (this.#options.perMessageDeflate ?? true),
      maxPayloadBytes: this.#options.maxPayloadBytes ?? 16 * 1024 * 1024,
      signal,
    });
  }

  #onOpen(ws: WebSocket, protocol: string): void {
    this.#ws = ws;
    this.#negotiated = protocol;
    this.#setState('open');
    // Attach first: the endpoint's close listener then runs before ours, so in-flight calls are already
    // rejected when 'disconnect' is emitted.
    this.endpoint.attach(wsChannel(ws), protocol);
    ws.once('close', (code: number, reason: Buffer) => this.#onSocketClose(ws, code, reason.toString('utf8')));
    const pingIntervalMs = this.#options.pingIntervalMs ?? 30_000;
    this.#keepAlive = new KeepAlive(ws, pingIntervalMs, this.#options.deadPeerTimeoutMs ?? pingIntervalMs, () =>
      ws.terminate(),
    );
    this.#keepAlive.start();
    this.emit('open', { protocol });
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w.resolve(protocol);
  }

  #onSocketClose(ws: WebSocket, code: number, reason: string): void {
    if (ws !== this.#ws) return;
    this.#keepAlive?.stop();
    this.#keepAlive = undefined;
    this.#ws = undefined;
    this.emit('disconnect', { code, reason });
    if (this.#_state === 'closing') {
      this.#finish({ code, reason });
      return;
    }
    if (this.#options.reconnect === false) {
      this.#finish({ code, reason }, new ConnectionFailedError(`Connection closed (${code}${reason ? `: ${reason}` : ''})`));
      return;
    }
    this.#setState('reconnecting');
    this.#reconnectLoop.dropped();
  }

  /** Terminal transition to `closed`: reject everything still waiting, emit `close` (and `error`). */
  #finish(close: { code: number; reason: string }, error?: Error): void {
    this.#reconnectLoop.stop();
    this.#setState('closed');
    // Calls queued offline would never be sent now: every call settles.
    this.endpoint.close(close.code, close.reason);
    const waiters = this.#waiters;
    this.#waiters = [];
    const failure = error ?? new ConnectAbortedError();
    for (const w of waiters) w.reject(failure);
    const done = this.#closeDone;
    this.#closeDone = undefined;
    this.#closePromise = undefined;
    this.emit('close', { ...close, ...(error && { error }) });
    if (error && !(error instanceof ConnectAbortedError) && this.listenerCount('error') > 0) this.emit('error', error);
    done?.();
  }

  async #closeOpenSocket(code: number, reason: string, options: CloseOptions): Promise<void> {
    const ws = this.#ws;
    if (!ws) return;
    if (options.awaitPending && !options.force && this.#outstanding.size > 0) {
      await this.#outstanding.drain(options.timeoutMs ?? 30_000, () => this.#ws === ws);
      // Let the endpoint write the answers of handlers that just finished (they are sent after middleware).
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.#ws !== ws) return; // dropped meanwhile; onSocketClose finished the close
    }
    if (options.force) {
      ws.terminate();
      return;
    }
    const timer = setTimeout(() => ws.terminate(), this.#options.closeTimeoutMs ?? 5000);
    timer.unref();
    ws.once('close', () => clearTimeout(timer));
    this.endpoint.close(code, reason);
  }

  #refuseWhenClosed(): Promise<never> | undefined {
    if (this.#_state === 'closed' || this.#_state === 'closing') {
      return Promise.reject(new NotConnectedError(`Client is ${this.#_state}`));
    }
    return undefined;
  }
}
