import { EventEmitter } from 'node:events';
import type { OcppProtocols, ProtocolMap } from '@chargewire/ocpp-types';
import type {
  CallOptions,
  MessageMiddleware,
  OcppCaller,
  OcppHandlers,
  OcppPeer,
  OcppSender,
  RpcEndpoint,
  RpcEndpointEvents,
} from '@chargewire/rpc-core';
import type { Handshake, RouteParamValues } from './handshake.js';
import type { ServerClientHandle } from './serverClientHandle.js';
import { ProtocolMismatchError } from '@chargewire/rpc-core';
import { definePeerMethods, deferListenerTable, isSendableCloseCode } from '@chargewire/rpc-core/internal';

/** Payload of the `disconnect` and `close` events. */
export interface ClientCloseEvent {
  code: number;
  reason: string;
}

/** rpc-core endpoint events a ServerClient forwards (subscribed on first listener, so idle clients pay nothing). */
type ForwardedEvent = 'call' | 'callResult' | 'callError' | 'badMessage' | 'strictValidationFailure';
const FORWARDED_EVENTS: ReadonlySet<string> = new Set<ForwardedEvent>(['call', 'callResult', 'callError', 'badMessage', 'strictValidationFailure']);

/** Events of a {@link ServerClient}: its close, and the rpc-core events of its endpoint. */
export type ServerClientEvents = {
  /** The connection ended (then `close`). */
  disconnect: [ClientCloseEvent];
  close: [ClientCloseEvent];
} & Pick<RpcEndpointEvents, ForwardedEvent>;

/** What the server needs to build a client. */
export interface ServerClientInit<M extends ProtocolMap = OcppProtocols, Params extends RouteParamValues = RouteParamValues> {
  endpoint: RpcEndpoint<'CSMS', M>;
  handshake: Handshake<Params>;
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
export class ServerClient<M extends ProtocolMap = OcppProtocols, Session = unknown, Params extends RouteParamValues = RouteParamValues>
  extends EventEmitter<ServerClientEvents>
  implements OcppPeer<'CSMS', M, ServerClient<M, Session, Params>>, ServerClientHandle<M>
{
  readonly handshake: Handshake<Params>;
  /** What the auth handler passed to `ctx.accept({ session })`. */
  readonly session: Session;
  readonly nodeId: string;
  readonly connectedAt = Date.now();
  /** The route pattern this client connected through. */
  readonly route: string;
  readonly #endpoint: RpcEndpoint<'CSMS', M>;
  readonly #transport: { terminate(): void };
  #state: Record<string, unknown> | undefined;
  readonly #serial: string;
  #forwarded: Set<string> | undefined;
  #closeEvent: ClientCloseEvent | undefined;

  constructor(init: ServerClientInit<M, Params>) {
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
  get endpoint(): RpcEndpoint<'CSMS', M> {
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

  // The typed facade (signatures declared once, in rpc-core's OcppPeer); implementations installed below.
  /** Sends a CALL to the charger and resolves with its CALLRESULT payload. */
  declare readonly call: OcppCaller<'CSMS', M>['call'];
  /** Emits a 2.1 SEND. */
  declare readonly send: OcppSender<'CSMS', M>['send'];
  /**
   * Registers a handler for this client only: it overrides the route's and the server's handler of the
   * same action. Prefer `route.handle()` / `server.handle()` for what every charger gets (see the README:
   * a per-client handler costs memory on every connection).
   */
  declare readonly handle: OcppHandlers<'CSMS', M, ServerClient<M, Session, Params>>['handle'];

  static {
    // Installed for every M: the bodies see the client over the widest map, ProtocolMap (untyped payloads).
    definePeerMethods<ServerClient<ProtocolMap>>(this.prototype, {
      call(protocol, action, params, options) {
        return this.#endpoint.call(protocol, action, params, options);
      },
      send(protocol, action, params) {
        // The endpoint speaks the negotiated protocol only (SendActionOf is empty over the untyped map).
        if (protocol !== this.protocol) throw new ProtocolMismatchError(this.protocol, protocol);
        this.#endpoint.sendRaw(action, params);
      },
      handle(protocolOrHandler, action, handler) {
        // A connection keeps its protocol for life: a handler of another protocol could never run here, so it
        // is not kept (code that registers the same handlers for every version stores one version's only).
        if (typeof protocolOrHandler === 'string' && protocolOrHandler !== this.protocol && typeof action === 'string' && typeof handler === 'function') return;
        this.#endpoint.handleRaw(protocolOrHandler, action, handler);
      },
    });
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

  // on/once/addListener subscribe to the endpoint's event on first use. They are installed on the prototype
  // rather than declared as overrides, so the published declarations keep EventEmitter<ServerClientEvents>'s
  // own typed signatures: an override with a narrower signature fails to compile against newer @types/node
  // (whose EventEmitter methods are generic over the event name) in a consumer with skipLibCheck off.
  static {
    for (const name of ['on', 'once', 'addListener'] as const) {
      Object.defineProperty(this.prototype, name, {
        value(this: ServerClient, event: string | symbol, listener: (...args: unknown[]) => void) {
          this.#forward(event);
          return EventEmitter.prototype[name].call(this, event, listener);
        },
        writable: true,
        configurable: true,
        enumerable: false,
      });
    }
  }

  #forward(event: string | symbol): void {
    if (typeof event !== 'string' || !FORWARDED_EVENTS.has(event)) return;
    this.#forwarded ??= new Set();
    if (this.#forwarded.has(event)) return;
    this.#forwarded.add(event);
    const forwarded = event as ForwardedEvent;
    this.#endpoint.on(forwarded, (payload: unknown) => this.emit(forwarded, payload as never));
  }
}
