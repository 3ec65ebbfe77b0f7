import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { ChannelSink, RpcChannel } from './channel.js';
import type { Connection } from './connection.js';
import { NotConnectedError, ProtocolMismatchError, RpcError } from './errors.js';
import { reportCallError, reportValidationFailure } from './eventReports.js';
import type { RpcEndpointEvents } from './events.js';
import {
  errorFrame,
  parseFrame,
  serializeFrame,
  type CallErrorFrame,
  type CallResultErrorFrame,
  type CallResultFrame,
  type FrameParseFailure,
} from './frames.js';
import type { Handler, WildcardHandler } from './handler.js';
import { HandlerRegistry } from './handlerRegistry.js';
import { deferListenerTable } from './listenerTable.js';
import { InboundCalls, type AnyHandler } from './inboundCalls.js';
import { runMiddleware, type MessageContext, type MessageMiddleware } from './middleware.js';
import {
  fromWireErrorCode,
  getValidator,
  type InboundActionOf,
  type OcppProtocols,
  type OutboundActionOf,
  type PayloadKind,
  type ProtocolMap,
  type RequestOf,
  type ResponseOf,
  type SendActionOf,
  type Side,
  type Validator,
} from './ocppTypes.js';
import type { OcppPeer } from './ocppPeer.js';
import type { RpcEndpointObserver } from './observer.js';
import { resolveStrictMode, type CallOptions, type RpcEndpointOptions } from './options.js';
import type { OutboundCall } from './outboundCall.js';
import { OutboundCalls } from './outboundCalls.js';
import { isValidMessageId, ruleSetOf } from './protocolRules.js';
import { checkRequest, violationError } from './strict.js';
import { ValidatorCache, type ValidatorLookup } from './validatorCache.js';

const BAD_FRAME_EXCERPT = 512;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** UTF-8 text of a Buffer, ArrayBuffer, typed array or array of Buffers (ws fragments); '' for anything else. */
function decodeText(data: unknown): string {
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  if (Array.isArray(data) && data.every((d) => d instanceof Uint8Array)) return Buffer.concat(data).toString('utf8');
  return '';
}

/** Shared by every endpoint until its first use(): read-only, replaced rather than pushed to. */
const NO_MIDDLEWARE: readonly MessageMiddleware[] = Object.freeze([]);

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!(value > 0)) throw new RangeError(`${name} must be a positive number`);
  return value;
}

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
export class RpcEndpoint<S extends Side = Side, M extends ProtocolMap = OcppProtocols>
  extends EventEmitter<RpcEndpointEvents>
  implements OcppPeer<S, M>, ChannelSink
{
  // Field order is memory layout: what every frame reads comes first, so it shares the object's first
  // cache line (with many busy connections, endpoint state is mostly not in the CPU cache).
  private readonly conn: Connection = { channel: undefined, protocol: '', ruleSet: '2.0.1', strict: resolveStrictMode(false, ''), middleware: NO_MIDDLEWARE };
  // Created on first use, so an idle connection costs little memory (a server holds tens of thousands).
  private inboundCalls: InboundCalls | undefined;
  private outboundCalls: OutboundCalls | undefined;
  private readonly observer: RpcEndpointObserver<RpcEndpoint<S>> | undefined;
  private badMessages = 0;
  private handlers: HandlerRegistry | undefined;
  /** Shared with every endpoint using the same lookup; found on the first validator lookup. */
  private validators: ValidatorCache | undefined;

  readonly side: S;
  private knownProtocol: string | undefined;
  private readonly strictOption: RpcEndpointOptions['strictMode'];
  private readonly callTimeoutMs: number;
  private readonly maxBadMessages: number;
  private readonly offlineQueueSize: number;
  private readonly callConcurrency: number;
  private readonly validatorLookup: ValidatorLookup;
  private readonly generateMessageId: () => string;

  constructor(options: RpcEndpointOptions<S>) {
    super();
    deferListenerTable(this);
    this.side = options.side;
    this.strictOption = options.strictMode ?? true;
    this.callTimeoutMs = positive(options.callTimeoutMs, 30_000, 'callTimeoutMs');
    this.maxBadMessages = options.maxBadMessages ?? Infinity;
    this.offlineQueueSize = options.offlineQueueSize ?? 0;
    this.validatorLookup = options.validators ?? getValidator;
    this.generateMessageId = options.generateMessageId ?? randomUUID;
    this.observer = options.observer;
    this.knownProtocol = options.protocol;
    this.callConcurrency = Math.floor(positive(options.callConcurrency, 1, 'callConcurrency'));
  }

  /** The outbound side, created on the first call. */
  private get outbound(): OutboundCalls {
    let outbound = this.outboundCalls;
    if (outbound === undefined) {
      outbound = this.outboundCalls = new OutboundCalls(
        {
          prepare: (call, protocol) => this.prepare(call, protocol),
          onSend: (call) => {
            if (this.listenerCount('call') > 0) {
              this.emit('call', { direction: 'out', kind: 'call', messageId: call.messageId, action: call.action, params: call.params });
            }
          },
          onSettle: (call, ok, value) => {
            if (!ok) reportCallError(this, 'out', call.messageId, call.action, value);
            else if (this.listenerCount('callResult') > 0) {
              const durationMs = performance.now() - call.sentAt;
              this.emit('callResult', { direction: 'out', messageId: call.messageId, action: call.action, result: value, durationMs });
            }
          },
        },
        this.callConcurrency,
      );
      const channel = this.conn.channel;
      if (channel) outbound.attach(channel, this.conn.protocol);
    }
    return outbound;
  }

  /** The inbound side, created on the first inbound CALL or SEND. */
  private get inbound(): InboundCalls {
    if (this.inboundCalls === undefined) {
      this.inboundCalls = new InboundCalls({
        side: this.side,
        conn: this.conn,
        events: this,
        handlers: (this.handlers ??= new HandlerRegistry()),
        validators: (this.validators ??= ValidatorCache.for(this.validatorLookup)),
        bad: (text, error) => this.bad(text, error),
      });
    }
    return this.inboundCalls;
  }

  /** The negotiated subprotocol (of the current or last channel). */
  get protocol(): string | undefined {
    return this.knownProtocol;
  }

  get attached(): boolean {
    return this.conn.channel !== undefined;
  }

  /** Outbound CALLs sent and not yet answered. */
  get pendingCalls(): number {
    return this.outboundCalls?.pendingCount ?? 0;
  }

  /** Outbound CALLs waiting for their turn (or for attach()). */
  get queuedCalls(): number {
    return this.outboundCalls?.queuedCount ?? 0;
  }

  /**
   * Starts serving `channel` with `protocol` (default: the previous one, then options.protocol). Queued calls
   * made for another protocol reject with ProtocolMismatchError; the others go out in order.
   */
  attach(channel: RpcChannel, protocol?: string): void {
    if (this.conn.channel) throw new Error('RpcEndpoint is already attached to a channel; close it first');
    const p = protocol ?? this.knownProtocol;
    if (p === undefined) throw new TypeError('RpcEndpoint.attach() needs a protocol (argument or options.protocol)');
    this.knownProtocol = p;
    this.conn.protocol = p;
    this.conn.ruleSet = ruleSetOf(p);
    this.conn.strict = resolveStrictMode(this.strictOption, p);
    this.conn.channel = channel;
    this.badMessages = 0;
    if (channel.setSink) channel.setSink(this);
    else {
      channel.onMessage((text) => this.channelMessage(channel, text));
      channel.onClose((code, reason) => this.channelClose(channel, code, reason));
    }
    this.outboundCalls?.attach(channel, p);
  }

  /** @internal ChannelSink: a frame from `channel` (ignored unless it is the attached one). */
  channelMessage(channel: RpcChannel, text: string): void {
    if (this.conn.channel === channel) this.receive(text, channel);
  }

  /** @internal ChannelSink: `channel` closed (ignored unless it is the attached one). */
  channelClose(channel: RpcChannel, code: number, reason: string): void {
    if (this.conn.channel === channel) this.detach(code, reason, false);
  }

  /** Counts the observer as a listener, so events it wants are built. */
  override listenerCount<K>(eventName: keyof RpcEndpointEvents | K, listener?: (...args: never) => void): number {
    const own = super.listenerCount(eventName, listener as never);
    return listener === undefined && this.observer?.[eventName as keyof RpcEndpointEvents] ? own + 1 : own;
  }

  /** Tells the observer first, then the listeners. */
  override emit<K>(eventName: keyof RpcEndpointEvents | K, ...args: K extends keyof RpcEndpointEvents ? RpcEndpointEvents[K] : never): boolean {
    const observe = this.observer?.[eventName as keyof RpcEndpointEvents] as ((endpoint: this, ...a: unknown[]) => void) | undefined;
    if (observe) observe(this, ...(args as unknown[]));
    return super.emit(eventName, ...(args as never)) || observe !== undefined;
  }

  /**
   * Closes the channel. In-flight calls reject with ConnectionClosedError (never re-sent: they may have
   * reached the peer); queued calls reject too, as do calls queued while detached.
   */
  close(code = 1000, reason = ''): void {
    const channel = this.conn.channel;
    if (channel) {
      this.detach(code, reason, true);
      channel.close(code, reason);
    } else this.outboundCalls?.rejectQueued(0, code, reason, 'Endpoint closed before the call was sent');
  }

  /** The channel is gone: settle what depended on it, then report. */
  private detach(code: number, reason: string, explicit: boolean): void {
    this.conn.channel = undefined;
    // ConnectionClosedErrors (with their stacks) are built only when some call is there to be settled.
    this.outboundCalls?.detach(explicit ? 0 : this.offlineQueueSize, code, reason);
    this.inboundCalls?.abortAll(code, reason);
    this.emit('detach', { code, reason });
    this.emit('close', { code, reason });
  }

  // ── handlers and middleware ────────────────────────────────────────────────────────────────────────

  handle<P extends keyof M & string, A extends InboundActionOf<P, S, M>>(
    protocol: P,
    action: A,
    handler: NoInfer<Handler<RequestOf<P, A, M>, ResponseOf<P, A, M>>>,
  ): void;
  handle(handler: WildcardHandler): void;
  handle(protocolOrHandler: string | WildcardHandler, action?: string, handler?: unknown): void {
    if (typeof protocolOrHandler === 'function') {
      (this.handlers ??= new HandlerRegistry()).wildcard = protocolOrHandler as AnyHandler;
      return;
    }
    if (typeof action !== 'string' || typeof handler !== 'function') {
      throw new TypeError('handle(protocol, action, handler) needs an action name and a handler function');
    }
    (this.handlers ??= new HandlerRegistry()).set(protocolOrHandler, action, handler as AnyHandler);
  }

  removeHandler(protocol?: string, action?: string): void {
    this.handlers?.delete(protocol, action);
  }

  use(middleware: MessageMiddleware): void {
    // A new array, not a push: the shared empty one must stay empty; the inbound side reads the field.
    this.conn.middleware = [...this.conn.middleware, middleware];
  }

  // ── outbound ──────────────────────────────────────────────────────────────────────────────────────

  call<P extends keyof M & string, A extends OutboundActionOf<P, S, M>>(
    protocol: P,
    action: A,
    params: NoInfer<RequestOf<P, A, M>>,
    options?: CallOptions,
  ): Promise<ResponseOf<P, A, M>> {
    if (this.knownProtocol !== undefined && protocol !== this.knownProtocol) {
      return Promise.reject(new ProtocolMismatchError(this.knownProtocol, protocol));
    }
    return this.startCall(protocol, action, params, options) as Promise<ResponseOf<P, A, M>>;
  }

  /** Untyped call on the current protocol, for proxies and CLIs. */
  callRaw(action: string, params: unknown, options?: CallOptions): Promise<unknown> {
    return this.startCall(this.knownProtocol, action, params, options);
  }

  send<P extends keyof M & string, A extends SendActionOf<P, S, M>>(
    protocol: P,
    action: A,
    params: NoInfer<RequestOf<P, A, M>>,
  ): void {
    if (protocol !== this.knownProtocol) throw new ProtocolMismatchError(this.knownProtocol, protocol);
    this.sendRaw(action, params);
  }

  /**
   * Untyped 2.1 SEND on the current protocol. Throws NotConnectedError when detached, a TypeError outside
   * 2.1, and the RpcError of a strict-mode violation.
   */
  sendRaw(action: string, params: unknown): void {
    const channel = this.conn.channel;
    if (!channel) throw new NotConnectedError('Cannot SEND while not connected');
    const protocol = this.conn.protocol;
    if (this.conn.ruleSet !== '2.1') throw new TypeError(`SEND [6] exists only in OCPP 2.1, not in ${protocol}`);
    const messageId = this.newMessageId();
    if (this.conn.middleware.length === 0) {
      this.transmitSend(channel, protocol, action, messageId, params);
      return;
    }
    const ctx: MessageContext = { direction: 'out', kind: 'send', protocol, action, messageId, params, state: {} };
    runMiddleware(this.conn.middleware, ctx, async () => {
      if (this.conn.channel !== channel) throw new NotConnectedError('Channel closed before the SEND went out');
      this.transmitSend(channel, protocol, action, messageId, ctx.params);
    }).catch((err: unknown) => reportCallError(this, 'out', messageId, action, err));
  }

  private transmitSend(channel: RpcChannel, protocol: string, action: string, messageId: string, params: unknown): void {
    const payload = params === undefined ? {} : params;
    if (!isPlainObject(payload)) throw new TypeError('SEND params must be a JSON object');
    if (this.conn.strict.outboundRequests) {
      const refusal = checkRequest(this.validator(protocol, action, 'request'), protocol, action, payload, this.side, true);
      if (refusal) {
        if (refusal.violations) reportValidationFailure(this, 'out', 'request', action, messageId, refusal.violations);
        throw refusal.error;
      }
    }
    const text = serializeFrame({ type: 6, messageId, action, payload });
    if (this.listenerCount('call') > 0) this.emit('call', { direction: 'out', kind: 'send', messageId, action, params: payload });
    channel.send(text);
  }

  private newMessageId(): string {
    const id = this.generateMessageId();
    if (!isValidMessageId(id)) throw new TypeError('generateMessageId must return a non-empty string of at most 36 characters');
    return id;
  }

  private startCall(protocol: string | undefined, action: string, params: unknown, options: CallOptions | undefined): Promise<unknown> {
    if (!this.conn.channel && this.queuedCalls >= this.offlineQueueSize) {
      return Promise.reject(new NotConnectedError(this.offlineQueueSize > 0 ? `Offline queue is full (${this.offlineQueueSize} calls)` : 'Not connected'));
    }
    if (options?.signal?.aborted) return Promise.reject(options.signal.reason);
    if (options?.timeoutMs !== undefined && !(options.timeoutMs > 0)) {
      return Promise.reject(new RangeError('timeoutMs must be a positive number'));
    }
    let messageId: string;
    try {
      messageId = this.newMessageId();
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.conn.middleware.length === 0) return this.enqueue(protocol, action, messageId, params, options);
    const ctx: MessageContext = { direction: 'out', kind: 'call', protocol: protocol ?? '', action, messageId, params, state: {} };
    return runMiddleware(this.conn.middleware, ctx, () =>
      this.enqueue(protocol, action, messageId, ctx.params, options).then(
        (result) => {
          ctx.result = result;
        },
        (err: unknown) => {
          ctx.error = err;
          throw err;
        },
      ),
    ).then(() => ctx.result);
  }

  private enqueue(protocol: string | undefined, action: string, messageId: string, params: unknown, options: CallOptions | undefined): Promise<unknown> {
    return new Promise((resolve, reject) => {
      // re-checked: message middleware may have run while the connection went away
      if (!this.conn.channel && this.queuedCalls >= this.offlineQueueSize) {
        reject(new NotConnectedError('Not connected'));
        return;
      }
      const signal = options?.signal;
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const call: OutboundCall = {
        state: 'queued',
        protocol,
        action,
        messageId,
        params: params === undefined ? {} : params,
        text: undefined,
        timeoutMs: options?.timeoutMs ?? this.callTimeoutMs,
        signal,
        onAbort: undefined,
        timer: undefined,
        sentAt: 0,
        resolve,
        reject,
      };
      // Validate and serialise now when the protocol is known, so mistakes surface at the call site.
      if (protocol !== undefined && protocol === this.knownProtocol && this.conn.protocol === protocol) {
        const failure = this.prepare(call, protocol);
        if (failure) {
          reject(failure);
          return;
        }
      }
      this.outbound.add(call);
    });
  }

  /** Validates (strict mode) and serialises a call for `protocol`; returns the failure, if any. */
  private prepare(call: OutboundCall, protocol: string): Error | undefined {
    call.protocol = protocol;
    if (!isPlainObject(call.params)) return new TypeError('Call params must be a JSON object');
    if (this.conn.strict.outboundRequests) {
      const refusal = checkRequest(this.validator(protocol, call.action, 'request'), protocol, call.action, call.params, this.side, false);
      if (refusal) {
        if (refusal.violations) reportValidationFailure(this, 'out', 'request', call.action, call.messageId, refusal.violations);
        return refusal.error;
      }
    }
    try {
      call.text = serializeFrame({ type: 2, messageId: call.messageId, action: call.action, payload: call.params });
    } catch (err) {
      return err instanceof Error ? err : new TypeError('Call params are not JSON-serialisable');
    }
    return undefined;
  }

  // ── inbound frames ────────────────────────────────────────────────────────────────────────────────

  private receive(input: string, channel: RpcChannel): void {
    // Channels must deliver text; a transport that hands over raw bytes is decoded rather than refused.
    const text = typeof input === 'string' ? input : decodeText(input);
    const parsed = parseFrame(text, this.conn.protocol);
    if (!parsed.ok) {
      this.onParseFailure(parsed, text, channel);
      return;
    }
    const frame = parsed.frame;
    switch (frame.type) {
      case 2:
        if (this.inbound.onCall(frame, text, channel)) this.badMessages = 0;
        return;
      case 3:
        this.onCallResult(frame, text, channel);
        return;
      case 4:
      case 5:
        this.onCallError(frame, text);
        return;
      case 6:
        this.badMessages = 0;
        this.inbound.onSend(frame, channel);
        return;
    }
  }

  /** Reports a bad frame; returns true when it was one too many and the endpoint closed. */
  private bad(text: string, error: RpcError, counted = true): boolean {
    if (this.listenerCount('badMessage') > 0) {
      this.emit('badMessage', { frame: text.length > BAD_FRAME_EXCERPT ? text.slice(0, BAD_FRAME_EXCERPT) : text, error });
    }
    if (counted && ++this.badMessages > this.maxBadMessages) {
      this.close(1002, 'Too many bad messages');
      return true;
    }
    return false;
  }

  private onParseFailure(failure: FrameParseFailure, text: string, channel: RpcChannel): void {
    if (this.bad(text, failure.error)) return;
    if (failure.reply) channel.send(serializeFrame(failure.reply));
    // A malformed answer to one of our calls settles that call now instead of letting it time out.
    const id = failure.messageId;
    const type = failure.messageType;
    if (id === undefined || (type !== 3 && type !== 4 && type !== 5)) return;
    const call = this.outboundCalls?.get(id);
    if (!call) return;
    if (type === 3 && this.conn.ruleSet === '2.1') this.sendResultError(channel, id, failure.error);
    this.outbound.settle(call, false, failure.error);
  }

  /** 2.1 Part 4 §4.2.4: an invalid CALLRESULT is answered with a CALLRESULTERROR. */
  private sendResultError(channel: RpcChannel, messageId: string, error: RpcError): void {
    const frame: CallResultErrorFrame = { ...errorFrame(this.conn.protocol, messageId, error), type: 5 };
    channel.send(serializeFrame(frame));
  }

  private onCallResult(frame: CallResultFrame, text: string, channel: RpcChannel): void {
    const call = this.outboundCalls?.get(frame.messageId);
    if (!call) {
      this.unknownAnswer(text, frame.messageId, 'CALLRESULT');
      return;
    }
    this.badMessages = 0;
    if (this.conn.strict.inboundResponses) {
      const check = this.validator(this.conn.protocol, call.action, 'response')?.(frame.payload);
      if (check && !check.valid) {
        const err = violationError(call.action, 'response', check.violations);
        reportValidationFailure(this, 'in', 'response', call.action, call.messageId, check.violations);
        if (this.conn.ruleSet === '2.1') this.sendResultError(channel, frame.messageId, err);
        this.outbound.settle(call, false, err);
        return;
      }
    }
    this.outbound.settle(call, true, frame.payload);
  }

  private onCallError(frame: CallErrorFrame | CallResultErrorFrame, text: string): void {
    const error = new RpcError(fromWireErrorCode(this.conn.protocol, frame.errorCode), frame.errorDescription, frame.errorDetails);
    const call = this.outboundCalls?.get(frame.messageId);
    if (call) {
      this.badMessages = 0;
      this.outbound.settle(call, false, error);
      return;
    }
    if (frame.type === 5) {
      const action = this.inboundCalls?.takeAnswered(frame.messageId);
      if (action !== undefined) {
        // The peer refused a CALLRESULT we sent; nothing to answer, but it must not go unnoticed.
        this.badMessages = 0;
        this.emit('responseRejected', { messageId: frame.messageId, action, error });
        return;
      }
    }
    this.unknownAnswer(text, frame.messageId, frame.type === 4 ? 'CALLERROR' : 'CALLRESULTERROR');
  }

  /** An answer for an id we are not waiting for: reported, never answered (no reply to a reply). */
  private unknownAnswer(text: string, messageId: string, kind: string): void {
    const late = this.outboundCalls?.takeAbandoned(messageId) === true;
    const err = new RpcError(
      'RpcFrameworkError',
      late ? `${kind} arrived after its call timed out or was aborted` : `${kind} for an unknown message id`,
    );
    this.bad(text, err, !late);
  }

  private validator(protocol: string, action: string, kind: PayloadKind): Validator | undefined {
    return (this.validators ??= ValidatorCache.for(this.validatorLookup)).get(protocol, action, kind);
  }
}
