import { EventEmitter } from 'node:events';
import type { OcppProtocols, ProtocolMap, InboundActionOf, OutboundActionOf, RequestOf, ResponseOf, SendActionOf } from '@chargewire/ocpp-types';
import type { CallOptions, Handler, HandlerResponse, MessageMiddleware, OcppPeer, RpcEndpoint, WildcardHandler } from '@chargewire/rpc-core';
import type { Handshake } from './handshake.js';
import type { ServerClientHandle } from './serverClientHandle.js';
import { deferListenerTable, isSendableCloseCode } from '@chargewire/rpc-core';

/** Payload of the `disconnect` and `close` events. */
export interface ClientCloseEvent {
  code: number;
  reason: string;
}

/** rpc-core endpoint events a ServerClient forwards (subscribed on first listener, so idle clients pay nothing). */
const FORWARDED_EVENTS = new Set(['call', 'callResult', 'callError', 'badMessage', 'strictValidationFailure']);

/** What the server needs to build a client. */
export interface ServerClientInit {
  endpoint: RpcEndpoint<'CSMS'>;
  handshake: Handshake;
  session: unknown;
  /** Undefined when no connection middleware ran (created on first read). */
  state: Record<string, unknown> | undefined;
  nodeId: string;
  /** Random per connection (see `newConnectionSerial`); with the node id it makes the connection id. */
  serial: string;
  route: string;
  /** The transport, for hard closes (a peer that does not finish the closing handshake). */
  transport: { terminate(): void };
}

/**
 * One connected charging station, as seen by the CSMS. Implements the typed `OcppPeer` of rpc-core
 * (`call`, `send`, `handle`, `use`) and `ServerClientHandle` (so `getClient()` results look alike whether
 * the charger is local or on another node).
 *
 * Events: `disconnect` and then `close` ({ code, reason }) when the connection ends; the rpc-core events
 * `call`, `callResult`, `callError`, `badMessage`, `strictValidationFailure`.
 */
export class ServerClient<M extends ProtocolMap = OcppProtocols, Session = unknown>
  extends EventEmitter
  implements OcppPeer<'CSMS', M>, ServerClientHandle<M>
{
  readonly handshake: Handshake;
  /** What the auth handler passed to `ctx.accept({ session })`. */
  readonly session: Session;
  readonly nodeId: string;
  readonly connectedAt = Date.now();
  /** The route pattern this client connected through. */
  readonly route: string;
  readonly #endpoint: RpcEndpoint<'CSMS'>;
  readonly #transport: { terminate(): void };
  #state: Record<string, unknown> | undefined;
  readonly #serial: string;
  #forwarded: Set<string> | undefined;
  #closeEvent: ClientCloseEvent | undefined;

  constructor(init: ServerClientInit) {
    super();
    deferListenerTable(this);
    this.#endpoint = init.endpoint;
    this.#transport = init.transport;
    this.handshake = init.handshake;
    this.session = init.session as Session;
    this.#state = init.state;
    this.nodeId = init.nodeId;
    this.#serial = init.serial;
    this.route = init.route;
  }

  /** State set by connection middleware (an empty object, made on first read, when none ran). */
  get state(): Record<string, unknown> {
    return (this.#state ??= {});
  }

  /**
   * Unique per connection (presence fencing) and not guessable (a cluster peer closes a superseded connection
   * by naming it): the node id and a random serial. Made on each read rather than kept: it is read on connect
   * and disconnect only, and idle connections should cost little.
   */
  get connectionId(): string {
    return `${this.nodeId}:${this.#serial}`;
  }

  /** The charging-station identity (a getter over the handshake: one field less per idle connection). */
  get identity(): string {
    return this.handshake.identity;
  }

  /** Always true: this client is connected to this node. */
  get isLocal(): true {
    return true;
  }

  /** The negotiated subprotocol, e.g. `'ocpp1.6'`. */
  get protocol(): string {
    return this.handshake.protocol;
  }

  /** The underlying rpc-core endpoint (advanced use). */
  get endpoint(): RpcEndpoint<'CSMS'> {
    return this.#endpoint;
  }

  /** Whether the connection is still open. */
  get connected(): boolean {
    return this.#closeEvent === undefined;
  }

  /** Outbound calls sent and not yet answered. */
  get pendingCalls(): number {
    return this.#endpoint.pendingCalls;
  }

  /** Outbound calls waiting for their turn (one outstanding CALL per direction, spec §4.1.1). */
  get queuedCalls(): number {
    return this.#endpoint.queuedCalls;
  }

  call<P extends keyof M & string, A extends OutboundActionOf<P, 'CSMS', M>>(
    protocol: P,
    action: A,
    params: NoInfer<RequestOf<P, A, M>>,
    options?: CallOptions,
  ): Promise<ResponseOf<P, A, M>> {
    return (this.#endpoint as unknown as OcppPeer<'CSMS', M>).call(protocol, action, params, options);
  }

  send<P extends keyof M & string, A extends SendActionOf<P, 'CSMS', M>>(protocol: P, action: A, params: NoInfer<RequestOf<P, A, M>>): void {
    (this.#endpoint as unknown as OcppPeer<'CSMS', M>).send(protocol, action, params);
  }

  handle<P extends keyof M & string, A extends InboundActionOf<P, 'CSMS', M>>(
    protocol: P,
    action: A,
    handler: NoInfer<Handler<RequestOf<P, A, M>, HandlerResponse<ResponseOf<P, A, M>>>>,
  ): void;
  handle(handler: WildcardHandler): void;
  handle(...args: [string, string, Handler] | [WildcardHandler]): void {
    (this.#endpoint.handle as (...a: unknown[]) => void)(...args);
  }

  removeHandler(protocol?: string, action?: string): void {
    this.#endpoint.removeHandler(protocol, action);
  }

  use(middleware: MessageMiddleware): void {
    this.#endpoint.use(middleware);
  }

  /** Untyped call (proxies, CLIs, remote calls routed by the adapter). */
  callRaw(action: string, params: unknown, options?: CallOptions): Promise<unknown> {
    return this.#endpoint.callRaw(action, params, options);
  }

  /** Untyped 2.1 SEND. */
  sendRaw(action: string, params: unknown): void {
    this.#endpoint.sendRaw(action, params);
  }

  /**
   * Closes the connection (pending calls reject with ConnectionClosedError).
   * @param code WebSocket close code. @default 1000
   */
  close(code = 1000, reason = ''): void {
    if (!isSendableCloseCode(code)) throw new RangeError(`${code} is not a close code that may be sent (RFC 6455 §7.4)`);
    this.#endpoint.close(code, reason);
  }

  /** Drops the connection without a closing handshake (the peer sees 1006). */
  terminate(): void {
    this.#transport.terminate();
  }

  /** Resolves once the connection has closed (immediately if it already has). */
  closed(): Promise<ClientCloseEvent> {
    if (this.#closeEvent) return Promise.resolve(this.#closeEvent);
    return new Promise((resolve) => this.once('close', resolve));
  }

  /** @internal called by the server when the channel has closed. */
  markClosed(code: number, reason: string): void {
    if (this.#closeEvent) return;
    const event = { code, reason };
    this.#closeEvent = event;
    this.emit('disconnect', event);
    this.emit('close', event);
  }

  override on(event: 'disconnect' | 'close', listener: (event: ClientCloseEvent) => void): this;
  override on(event: string | symbol, listener: (...args: never[]) => void): this;
  override on(event: string | symbol, listener: (...args: never[]) => void): this {
    this.#forward(event);
    return super.on(event, listener as (...args: unknown[]) => void);
  }

  override once(event: 'disconnect' | 'close', listener: (event: ClientCloseEvent) => void): this;
  override once(event: string | symbol, listener: (...args: never[]) => void): this;
  override once(event: string | symbol, listener: (...args: never[]) => void): this {
    this.#forward(event);
    return super.once(event, listener as (...args: unknown[]) => void);
  }

  override addListener(event: string | symbol, listener: (...args: never[]) => void): this {
    return this.on(event, listener);
  }

  #forward(event: string | symbol): void {
    if (typeof event !== 'string' || !FORWARDED_EVENTS.has(event)) return;
    this.#forwarded ??= new Set();
    if (this.#forwarded.has(event)) return;
    this.#forwarded.add(event);
    (this.#endpoint as unknown as EventEmitter).on(event, (payload: unknown) => this.emit(event, payload));
  }
}
