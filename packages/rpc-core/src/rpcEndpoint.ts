import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { decodeText, type ChannelSink, type RpcChannel } from './channel.js';
import type { Connection } from './connection.js';
import { NotConnectedError, ProtocolMismatchError, RpcError } from './errors.js';
import type { RpcEndpointEvents } from './events.js';
import {
  parseFrame,
  serializeFrame,
  type CallErrorFrame,
  type CallResultErrorFrame,
  type CallResultFrame,
  type FrameParseFailure,
} from './frames.js';
import { HandlerRegistry } from './handlerRegistry.js';
import { deferListenerTable } from './listenerTable.js';
import { InboundCalls } from './inboundCalls.js';
import type { MessageMiddleware } from './middleware.js';
import { fromWireErrorCode, getValidator, type OcppProtocols, type ProtocolMap, type Side } from './ocppTypes.js';
import type { OcppCaller, OcppHandlers, OcppPeer, OcppSender } from './ocppPeer.js';
import { definePeerMethods } from './peerMethods.js';
import type { RpcEndpointObserver } from './observer.js';
import {
  DEFAULT_INBOUND_CONCURRENCY,
  DEFAULT_INBOUND_QUEUE_LIMIT,
  DEFAULT_MAX_BAD_MESSAGES,
  countOption,
  positiveOption,
  resolveStrictMode,
  type CallOptions,
  type RpcEndpointOptions,
} from './options.js';
import { OutboundCalls, refuseCall } from './outboundCalls.js';
import { sendMessage } from './outboundSend.js';
import { newMessageId, ruleSetOf } from './protocolRules.js';
import { ValidatorCache, type ValidatorLookup } from './validatorCache.js';

const BAD_FRAME_EXCERPT = 512;

/** Shared by every endpoint until its first use(): read-only, replaced rather than pushed to. */
const NO_MIDDLEWARE: readonly MessageMiddleware[] = Object.freeze([]);

/**
 * The OCPP-J RPC engine over one {@link RpcChannel} at a time: framing, outbound calls (queue, pending map,
 * timeouts, abort), inbound calls (handlers, NOREPLY), message middleware, strict-mode validation and
 * observability events. `S` is the side this endpoint plays; `M` the action maps the typed facade checks.
 *
 * @example
 * const [a, b] = createChannelPair();
 * const csms = new RpcEndpoint({ side: 'CSMS', protocol: 'ocpp1.6' });
 * const station = new RpcEndpoint({ side: 'ChargingStation', protocol: 'ocpp1.6' });
 * csms.attach(a); station.attach(b);
 * csms.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: new Date().toISOString() }));
 * const { currentTime } = await station.call('ocpp1.6', 'Heartbeat', {});
 */
export class RpcEndpoint<S extends Side = Side, M extends ProtocolMap = OcppProtocols, C = unknown>
  extends EventEmitter<RpcEndpointEvents>
  implements OcppPeer<S, M, C>, ChannelSink
{
  // Field order is memory layout: what every frame reads comes first, so it shares the object's first
  // cache line (with many busy connections, endpoint state is mostly not in the CPU cache).
  readonly #conn: Connection;
  // Created on first use, so an idle connection costs little memory (a server holds tens of thousands).
  #inboundCalls: InboundCalls | undefined;
  #outboundCalls: OutboundCalls | undefined;
  readonly #observer: RpcEndpointObserver<RpcEndpoint<S>> | undefined;
  #badMessages = 0;
  /** Handlers registered on this endpoint (chained to `sharedHandlers`); made on the first handle(). */
  #handlers: HandlerRegistry | undefined;

  /** Shared with every endpoint using the same lookup; found on first use. */
  #validators: ValidatorCache | undefined;

  readonly side: S;
  #knownProtocol: string | undefined;
  readonly #strictOption: RpcEndpointOptions['strictMode'];
  readonly #callTimeoutMs: number;
  readonly #maxBadMessages: number;
  readonly #inboundConcurrency: number;
  readonly #inboundQueueLimit: number;
  readonly #offlineQueueSize: number;
  readonly #callConcurrency: number;
  readonly #validatorLookup: ValidatorLookup;
  readonly #generateMessageId: () => string;

  constructor(options: RpcEndpointOptions<S>) {
    super();
    deferListenerTable(this);
    this.#conn = { channel: undefined, protocol: '', ruleSet: '2.0.1', strict: resolveStrictMode(false, ''), middleware: NO_MIDDLEWARE, handlers: options.sharedHandlers };
    this.side = options.side;
    this.#strictOption = options.strictMode ?? true;
    this.#callTimeoutMs = positiveOption(options.callTimeoutMs, 30_000, 'callTimeoutMs');
    this.#maxBadMessages = countOption(options.maxBadMessages, DEFAULT_MAX_BAD_MESSAGES, 'maxBadMessages', 0);
    this.#inboundConcurrency = countOption(options.inboundConcurrency, DEFAULT_INBOUND_CONCURRENCY, 'inboundConcurrency', 1);
    this.#inboundQueueLimit = countOption(options.inboundQueueLimit, DEFAULT_INBOUND_QUEUE_LIMIT, 'inboundQueueLimit', 0);
    this.#offlineQueueSize = options.offlineQueueSize ?? 0;
    this.#validatorLookup = options.validators ?? getValidator;
    this.#generateMessageId = options.generateMessageId ?? randomUUID;
    this.#observer = options.observer;
    this.#knownProtocol = options.protocol;
    this.#callConcurrency = Math.floor(positiveOption(options.callConcurrency, 1, 'callConcurrency'));
  }

  /** The outbound side, created on the first call. */
  get #outbound(): OutboundCalls {
    let outbound = this.#outboundCalls;
    if (outbound === undefined) {
      outbound = this.#outboundCalls = new OutboundCalls({
        side: this.side,
        conn: this.#conn,
        owner: this,
        validators: this.#validatorCache,
        concurrency: this.#callConcurrency,
        callTimeoutMs: this.#callTimeoutMs,
        offlineQueueSize: this.#offlineQueueSize,
      });
      const channel = this.#conn.channel;
      if (channel) outbound.attach(channel, this.#conn.protocol);
    }
    return outbound;
  }

  /** The inbound side, created on the first inbound CALL or SEND. */
  get #inbound(): InboundCalls {
    if (this.#inboundCalls === undefined) {
      this.#inboundCalls = new InboundCalls({
        side: this.side,
        conn: this.#conn,
        events: this,
        owner: this,
        validators: this.#validatorCache,
        concurrency: this.#inboundConcurrency,
        queueLimit: this.#inboundQueueLimit,
        bad: (text, error) => this.#bad(text, error),
        strike: () => this.#strike(),
      });
    }
    return this.#inboundCalls;
  }

  get #validatorCache(): ValidatorCache {
    return (this.#validators ??= ValidatorCache.for(this.#validatorLookup));
  }

  /** The negotiated subprotocol (of the current or last channel). */
  get protocol(): string | undefined {
    return this.#knownProtocol;
  }

  get attached(): boolean {
    return this.#conn.channel !== undefined;
  }

  /** Outbound CALLs sent and not yet answered. */
  get pendingCalls(): number {
    return this.#outboundCalls?.pendingCount ?? 0;
  }

  /** Outbound CALLs waiting for their turn (or for attach()). */
  get queuedCalls(): number {
    return this.#outboundCalls?.queuedCount ?? 0;
  }

  /**
   * Starts serving `channel` with `protocol` (default: the previous one, then options.protocol). Queued calls
   * made for another protocol reject with ProtocolMismatchError; the others go out in order.
   */
  attach(channel: RpcChannel, protocol?: string): void {
    if (this.#conn.channel) throw new Error('RpcEndpoint is already attached to a channel; close it first');
    const p = protocol ?? this.#knownProtocol;
    if (p === undefined) throw new TypeError('RpcEndpoint.attach() needs a protocol (argument or options.protocol)');
    this.#knownProtocol = p;
    this.#conn.protocol = p;
    this.#conn.ruleSet = ruleSetOf(p);
    this.#conn.strict = resolveStrictMode(this.#strictOption, p);
    this.#conn.channel = channel;
    this.#badMessages = 0;
    if (channel.setSink) channel.setSink(this);
    else {
      channel.onMessage((text) => this.channelMessage(channel, text));
      channel.onClose((code, reason) => this.channelClose(channel, code, reason));
    }
    this.#outboundCalls?.attach(channel, p);
  }

  /** @internal ChannelSink: a frame from `channel` (ignored unless it is the attached one). */
  channelMessage(channel: RpcChannel, text: string): void {
    if (this.#conn.channel === channel) this.#receive(text, channel);
  }

  /** @internal ChannelSink: `channel` closed (ignored unless it is the attached one). */
  channelClose(channel: RpcChannel, code: number, reason: string): void {
    if (this.#conn.channel === channel) this.#detach(code, reason, false);
  }

  /** Counts the observer as a listener, so events it wants are built. */
  override listenerCount<K>(eventName: keyof RpcEndpointEvents | K, listener?: (...args: never) => void): number {
    const own = super.listenerCount(eventName, listener as never);
    return listener === undefined && this.#observer?.[eventName as keyof RpcEndpointEvents] ? own + 1 : own;
  }

  /** Tells the observer first, then the listeners. */
  override emit<K>(eventName: keyof RpcEndpointEvents | K, ...args: K extends keyof RpcEndpointEvents ? RpcEndpointEvents[K] : never): boolean {
    const observe = this.#observer?.[eventName as keyof RpcEndpointEvents] as ((endpoint: this, ...a: unknown[]) => void) | undefined;
    if (observe) observe(this, ...(args as unknown[]));
    return super.emit(eventName, ...(args as never)) || observe !== undefined;
  }

  /**
   * Closes the channel. In-flight calls reject with ConnectionClosedError (never re-sent: they may have
   * reached the peer); queued calls reject too, as do calls queued while detached.
   */
  close(code = 1000, reason = ''): void {
    const channel = this.#conn.channel;
    if (channel) {
      this.#detach(code, reason, true);
      channel.close(code, reason);
    } else this.#outboundCalls?.rejectQueued(0, code, reason, 'Endpoint closed before the call was sent');
  }

  /** The channel is gone: settle what depended on it, then report. */
  #detach(code: number, reason: string, explicit: boolean): void {
    this.#conn.channel = undefined;
    // ConnectionClosedErrors (with their stacks) are built only when some call is there to be settled.
    this.#outboundCalls?.detach(explicit ? 0 : this.#offlineQueueSize, code, reason);
    this.#inboundCalls?.abortAll(code, reason);
    this.emit('detach', { code, reason });
    this.emit('close', { code, reason });
  }

  // ── handlers and middleware ────────────────────────────────────────────────────────────────────────

  // The typed facade (signatures declared once, in OcppPeer); the implementations are installed below.
  declare readonly handle: OcppHandlers<S, M, C>['handle'];
  declare readonly call: OcppCaller<S, M>['call'];
  declare readonly send: OcppSender<S, M>['send'];

  static {
    definePeerMethods<RpcEndpoint<Side, ProtocolMap>>(this.prototype, {
      handle(protocolOrHandler, action, handler) {
        this.handleRaw(protocolOrHandler, action, handler);
      },
      call(protocol, action, params, options) {
        if (this.#knownProtocol !== undefined && protocol !== this.#knownProtocol) {
          return Promise.reject(new ProtocolMismatchError(this.#knownProtocol, protocol));
        }
        return this.#startCall(protocol, action, params, options);
      },
      send(protocol, action, params) {
        if (protocol !== this.#knownProtocol) throw new ProtocolMismatchError(this.#knownProtocol, protocol);
        this.sendRaw(action, params);
      },
    });
  }

  /** Untyped handle(), for wrappers and proxies: `(handler)` sets the wildcard, `(protocol, action, handler)` one action. */
  handleRaw(protocolOrHandler: unknown, action?: unknown, handler?: unknown): void {
    this.#ownHandlers().register(protocolOrHandler, action, handler);
  }

  /** This endpoint's own handlers, made on first registration and chained to the shared ones. */
  #ownHandlers(): HandlerRegistry {
    let own = this.#handlers;
    // Until now conn.handlers was the shared registry (options.sharedHandlers), which becomes the parent.
    if (own === undefined) own = this.#handlers = this.#conn.handlers = new HandlerRegistry(this.#conn.handlers);
    return own;
  }

  /**
   * What handlers get as `ctx.client`: the object user code holds for this connection. This endpoint,
   * unless a wrapper (a server's client, the charger client) overrides it.
   */
  get contextClient(): unknown {
    return this;
  }

  removeHandler(protocol?: string, action?: string): void {
    this.#handlers?.delete(protocol, action);
  }

  use(middleware: MessageMiddleware): void {
    // A new array, not a push: the shared empty one must stay empty; the inbound side reads the field.
    this.#conn.middleware = [...this.#conn.middleware, middleware];
  }

  // ── outbound ──────────────────────────────────────────────────────────────────────────────────────

  /** Untyped call on the current protocol, for proxies and CLIs. */
  callRaw(action: string, params: unknown, options?: CallOptions): Promise<unknown> {
    return this.#startCall(this.#knownProtocol, action, params, options);
  }

  /**
   * Untyped 2.1 SEND on the current protocol. Throws NotConnectedError when detached, a TypeError outside
   * 2.1, and the RpcError of a strict-mode violation.
   */
  sendRaw(action: string, params: unknown): void {
    const channel = this.#conn.channel;
    if (!channel) throw new NotConnectedError('Cannot SEND while not connected');
    if (this.#conn.ruleSet !== '2.1') throw new TypeError(`SEND [6] exists only in OCPP 2.1, not in ${this.#conn.protocol}`);
    sendMessage(this, this.#conn, this.side, this.#validatorCache, channel, action, newMessageId(this.#generateMessageId), params);
  }

  #startCall(protocol: string | undefined, action: string, params: unknown, options: CallOptions | undefined): Promise<unknown> {
    const refused = refuseCall(this.#conn, this.queuedCalls, this.#offlineQueueSize, options);
    if (refused) return refused;
    let messageId: string;
    try {
      messageId = newMessageId(this.#generateMessageId);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#outbound.start(protocol, action, messageId, params, options);
  }

  // ── inbound frames ────────────────────────────────────────────────────────────────────────────────

  #receive(input: string, channel: RpcChannel): void {
    // Channels must deliver text; a transport that hands over raw bytes is decoded rather than refused.
    const text = typeof input === 'string' ? input : decodeText(input);
    const parsed = parseFrame(text, this.#conn.protocol);
    if (!parsed.ok) {
      this.#onParseFailure(parsed, text, channel);
      return;
    }
    const frame = parsed.frame;
    switch (frame.type) {
      case 2:
        if (this.#inbound.onCall(frame, text, channel)) this.#badMessages = 0;
        return;
      case 3:
        this.#onCallResult(frame, text, channel);
        return;
      case 4:
      case 5:
        this.#onCallError(frame, text);
        return;
      case 6:
        if (this.#inbound.onSend(frame, text, channel)) this.#badMessages = 0;
        return;
    }
  }

  /** Reports a bad frame; returns true when it was one too many and the endpoint closed. */
  #bad(text: string, error: RpcError, counted = true): boolean {
    if (this.listenerCount('badMessage') > 0) {
      this.emit('badMessage', { frame: text.length > BAD_FRAME_EXCERPT ? text.slice(0, BAD_FRAME_EXCERPT) : text, error });
    }
    return counted && this.#strike();
  }

  /**
   * Counts one bad message; past maxBadMessages in a row the endpoint closes with 1008 (policy violation:
   * the peer broke the protocol, and the close is our policy, not a framing failure) and returns true.
   */
  #strike(): boolean {
    if (++this.#badMessages > this.#maxBadMessages) {
      this.close(1008, 'Too many bad messages');
      return true;
    }
    return false;
  }

  #onParseFailure(failure: FrameParseFailure, text: string, channel: RpcChannel): void {
    if (this.#bad(text, failure.error)) return;
    if (failure.reply) channel.send(serializeFrame(failure.reply));
    this.#outboundCalls?.onBadAnswer(failure, channel);
  }

  #onCallResult(frame: CallResultFrame, text: string, channel: RpcChannel): void {
    const outbound = this.#outboundCalls;
    const call = outbound?.get(frame.messageId);
    if (!outbound || !call) {
      this.#unknownAnswer(text, frame.messageId, 'CALLRESULT');
      return;
    }
    this.#badMessages = 0;
    outbound.onResult(call, frame.payload, channel);
  }

  #onCallError(frame: CallErrorFrame | CallResultErrorFrame, text: string): void {
    const error = new RpcError(fromWireErrorCode(this.#conn.protocol, frame.errorCode), frame.errorDescription, frame.errorDetails);
    const outbound = this.#outboundCalls;
    const call = outbound?.get(frame.messageId);
    if (outbound && call) {
      this.#badMessages = 0;
      outbound.settle(call, false, error);
      return;
    }
    if (frame.type === 5) {
      const action = this.#inboundCalls?.takeAnswered(frame.messageId);
      if (action !== undefined) {
        // The peer refused a CALLRESULT we sent; nothing to answer, but it must not go unnoticed.
        this.#badMessages = 0;
        this.emit('responseRejected', { messageId: frame.messageId, action, error });
        return;
      }
    }
    this.#unknownAnswer(text, frame.messageId, frame.type === 4 ? 'CALLERROR' : 'CALLRESULTERROR');
  }

  /** An answer for an id we are not waiting for: reported, never answered (no reply to a reply). */
  #unknownAnswer(text: string, messageId: string, kind: string): void {
    const late = this.#outboundCalls?.takeAbandoned(messageId) === true;
    const err = new RpcError(
      'RpcFrameworkError',
      late ? `${kind} arrived after its call timed out or was aborted` : `${kind} for an unknown message id`,
    );
    this.#bad(text, err, !late);
  }
}
