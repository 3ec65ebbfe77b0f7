import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { RpcChannel } from './channel.js';
import { CallQueue } from './callQueue.js';
import {
  ConnectionClosedError,
  NotConnectedError,
  ProtocolMismatchError,
  RpcError,
  TimeoutError,
  toRpcError,
} from './errors.js';
import type { RpcEndpointEvents } from './events.js';
import {
  errorFrame,
  parseFrame,
  serializeFrame,
  type CallErrorFrame,
  type CallFrame,
  type CallResultErrorFrame,
  type CallResultFrame,
  type FrameParseFailure,
  type SendFrame,
} from './frames.js';
import type { Handler, WildcardHandler } from './handler.js';
import { InboundCall, invokeHandler, type InboundSink } from './inboundCall.js';
import { runMiddleware, type MessageContext, type MessageMiddleware } from './middleware.js';
import {
  actionOrigin,
  fromWireErrorCode,
  getValidator,
  isKnownAction,
  isSendOnly,
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
  type Violation,
} from './ocppTypes.js';
import type { OcppPeer } from './ocppPeer.js';
import { resolveStrictMode, type CallOptions, type ResolvedStrictMode, type RpcEndpointOptions } from './options.js';
import { releaseCall, type OutboundCall } from './outboundCall.js';
import { isValidMessageId, ruleSetOf, type RuleSet } from './protocolRules.js';
import { RecentIds } from './recentIds.js';
import { violationError } from './strict.js';
import { ValidatorCache } from './validatorCache.js';

type AnyHandler = (ctx: InboundCall) => unknown;
const BAD_FRAME_EXCERPT = 512;
const MAX_TIMER_MS = 2 ** 31 - 1;
const STRICT_OFF = resolveStrictMode(false, '');

/** Short identifiers are safe to name in an errorDescription; anything else is not echoed (DESIGN rule 6). */
function nameOf(action: string): string {
  return /^[A-Za-z0-9_.:-]{1,64}$/.test(action) ? action : 'the requested action';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The OCPP-J RPC engine over one {@link RpcChannel} at a time: framing, outbound calls (queue, pending map,
 * timeouts, abort), inbound calls (handlers, NOREPLY), message middleware, strict-mode validation and
 * observability events. `S` is the side this endpoint plays; `M` the action maps the typed facade checks.
 *
 * @example
 * const [a, b] = createChannelPair();
 * const csms = new RpcEndpoint<'CSMS'>({ side: 'CSMS', protocol: 'ocpp1.6' });
 * const station = new RpcEndpoint<'ChargingStation'>({ side: 'ChargingStation', protocol: 'ocpp1.6' });
 * csms.attach(a); station.attach(b);
 * csms.handle('ocpp1.6', 'Heartbeat', () => ({ currentTime: new Date().toISOString() }));
 * const { currentTime } = await station.call('ocpp1.6', 'Heartbeat', {});
 */
export class RpcEndpoint<S extends Side = Side, M extends ProtocolMap = OcppProtocols>
  extends EventEmitter<RpcEndpointEvents>
  implements OcppPeer<S, M>, InboundSink
{
  readonly side: S;
  private readonly peerSide: Side;
  private readonly strictOption: RpcEndpointOptions['strictMode'];
  private readonly callTimeoutMs: number;
  private readonly callConcurrency: number;
  private readonly maxBadMessages: number;
  private readonly offlineQueueSize: number;
  private readonly validatorCache: ValidatorCache;
  private readonly generateMessageId: () => string;

  private channel: RpcChannel | undefined;
  private currentProtocol: string | undefined;
  private ruleSet: RuleSet = '2.0.1';
  private strict: ResolvedStrictMode = STRICT_OFF;
  private badMessages = 0;

  private readonly handlers = new Map<string, Map<string, AnyHandler>>();
  private wildcard: AnyHandler | undefined;
  private readonly middleware: MessageMiddleware[] = [];

  private readonly pending = new Map<string, OutboundCall>();
  private readonly queue = new CallQueue<OutboundCall>();
  private queued = 0;
  private pumping = false;
  private readonly inbound = new Map<string, InboundCall>();
  private readonly sends = new Set<InboundCall>();
  /** Calls that timed out or were aborted: their late answers are reported but not counted as bad. */
  private readonly abandoned = new RecentIds(64);
  /** 2.1: results we sent, so a CALLRESULTERROR about one can be attributed. */
  private readonly answered = new RecentIds(64);

  constructor(options: RpcEndpointOptions<S>) {
    super();
    this.side = options.side;
    this.peerSide = options.side === 'CSMS' ? 'ChargingStation' : 'CSMS';
    this.strictOption = options.strictMode ?? true;
    this.callTimeoutMs = positive(options.callTimeoutMs, 30_000, 'callTimeoutMs');
    this.callConcurrency = Math.floor(positive(options.callConcurrency, 1, 'callConcurrency'));
    this.maxBadMessages = options.maxBadMessages ?? Infinity;
    this.offlineQueueSize = options.offlineQueueSize ?? 0;
    this.validatorCache = new ValidatorCache(options.validators ?? getValidator);
    this.generateMessageId = options.generateMessageId ?? randomUUID;
    this.currentProtocol = options.protocol;
  }

  /** The negotiated subprotocol (of the current or last channel). */
  get protocol(): string | undefined {
    return this.currentProtocol;
  }

  get attached(): boolean {
    return this.channel !== undefined;
  }

  /** Outbound CALLs sent and not yet answered. */
  get pendingCalls(): number {
    return this.pending.size;
  }

  /** Outbound CALLs waiting for their turn (or for attach()). */
  get queuedCalls(): number {
    return this.queued;
  }

  /**
   * Starts serving `channel` with `protocol` (default: the previous one, then options.protocol). Queued calls
   * made for another protocol reject with ProtocolMismatchError; the others go out in order.
   */
  attach(channel: RpcChannel, protocol?: string): void {
    if (this.channel) throw new Error('RpcEndpoint is already attached to a channel; close it first');
    const p = protocol ?? this.currentProtocol;
    if (p === undefined) throw new TypeError('RpcEndpoint.attach() needs a protocol (argument or options.protocol)');
    this.currentProtocol = p;
    this.ruleSet = ruleSetOf(p);
    this.strict = resolveStrictMode(this.strictOption, p);
    this.badMessages = 0;
    this.abandoned.clear();
    this.answered.clear();
    this.channel = channel;
    channel.onMessage((text) => {
      if (this.channel === channel) this.receive(text, channel);
    });
    channel.onClose((code, reason) => {
      if (this.channel === channel) this.detach(code, reason, false);
    });
    for (const call of this.queue.drain()) {
      if (call.state !== 'queued') continue;
      if (call.protocol !== undefined && call.protocol !== p) {
        this.queued--;
        releaseCall(call);
        call.reject(new ProtocolMismatchError(p, call.protocol));
      } else this.queue.push(call);
    }
    this.pump();
  }

  /**
   * Closes the channel. In-flight calls reject with ConnectionClosedError (never re-sent: they may have
   * reached the peer); queued calls reject too, as do calls queued while detached.
   */
  close(code = 1000, reason = ''): void {
    const channel = this.channel;
    if (channel) {
      this.detach(code, reason, true);
      channel.close(code, reason);
    } else this.rejectQueued(0, new ConnectionClosedError(code, reason, 'Endpoint closed before the call was sent'));
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
      this.wildcard = protocolOrHandler as AnyHandler;
      return;
    }
    if (typeof action !== 'string' || typeof handler !== 'function') {
      throw new TypeError('handle(protocol, action, handler) needs an action name and a handler function');
    }
    let byAction = this.handlers.get(protocolOrHandler);
    if (!byAction) this.handlers.set(protocolOrHandler, (byAction = new Map()));
    byAction.set(action, handler as AnyHandler);
  }

  removeHandler(protocol?: string, action?: string): void {
    if (protocol === undefined) this.wildcard = undefined;
    else if (action === undefined) this.handlers.delete(protocol);
    else this.handlers.get(protocol)?.delete(action);
  }

  use(middleware: MessageMiddleware): void {
    this.middleware.push(middleware);
  }

  // ── outbound ──────────────────────────────────────────────────────────────────────────────────────

  call<P extends keyof M & string, A extends OutboundActionOf<P, S, M>>(
    protocol: P,
    action: A,
    params: NoInfer<RequestOf<P, A, M>>,
    options?: CallOptions,
  ): Promise<ResponseOf<P, A, M>> {
    if (this.currentProtocol !== undefined && protocol !== this.currentProtocol) {
      return Promise.reject(new ProtocolMismatchError(this.currentProtocol, protocol));
    }
    return this.startCall(protocol, action, params, options) as Promise<ResponseOf<P, A, M>>;
  }

  /** Untyped call on the current protocol, for proxies and CLIs. */
  callRaw(action: string, params: unknown, options?: CallOptions): Promise<unknown> {
    return this.startCall(this.currentProtocol, action, params, options);
  }

  send<P extends keyof M & string, A extends SendActionOf<P, S, M>>(
    protocol: P,
    action: A,
    params: NoInfer<RequestOf<P, A, M>>,
  ): void {
    if (protocol !== this.currentProtocol) throw new ProtocolMismatchError(this.currentProtocol, protocol);
    this.sendRaw(action, params);
  }

  /**
   * Untyped 2.1 SEND on the current protocol. Throws NotConnectedError when detached, a TypeError outside
   * 2.1, and the RpcError of a strict-mode violation.
   */
  sendRaw(action: string, params: unknown): void {
    const channel = this.channel;
    const protocol = this.currentProtocol;
    if (!channel || protocol === undefined) throw new NotConnectedError('Cannot SEND while not connected');
    if (this.ruleSet !== '2.1') throw new TypeError(`SEND [6] exists only in OCPP 2.1, not in ${protocol}`);
    const messageId = this.newMessageId();
    if (this.middleware.length === 0) {
      this.transmitSend(channel, protocol, action, messageId, params);
      return;
    }
    const ctx: MessageContext = { direction: 'out', kind: 'send', protocol, action, messageId, params, state: {} };
    runMiddleware(this.middleware, ctx, async () => {
      if (this.channel !== channel) throw new NotConnectedError('Channel closed before the SEND went out');
      this.transmitSend(channel, protocol, action, messageId, ctx.params);
    }).catch((err: unknown) => this.emitCallError('out', messageId, action, err));
  }

  private transmitSend(channel: RpcChannel, protocol: string, action: string, messageId: string, params: unknown): void {
    const payload = params === undefined ? {} : params;
    if (!isPlainObject(payload)) throw new TypeError('SEND params must be a JSON object');
    if (this.strict.outboundRequests) {
      const failure = this.checkOutbound(protocol, action, messageId, payload, true);
      if (failure) throw failure;
    }
    channel.send(serializeFrame({ type: 6, messageId, action, payload }));
    if (this.listenerCount('call') > 0) this.emit('call', { direction: 'out', kind: 'send', messageId, action, params: payload });
  }

  private newMessageId(): string {
    const id = this.generateMessageId();
    if (!isValidMessageId(id)) throw new TypeError('generateMessageId must return a non-empty string of at most 36 characters');
    return id;
  }

  private startCall(protocol: string | undefined, action: string, params: unknown, options: CallOptions | undefined): Promise<unknown> {
    if (!this.channel && this.queued >= this.offlineQueueSize) {
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
    if (this.middleware.length === 0) return this.enqueue(protocol, action, messageId, params, options);
    const ctx: MessageContext = { direction: 'out', kind: 'call', protocol: protocol ?? '', action, messageId, params, state: {} };
    return runMiddleware(this.middleware, ctx, () =>
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
      if (!this.channel && this.queued >= this.offlineQueueSize) {
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
      if (protocol !== undefined && protocol === this.currentProtocol) {
        const failure = this.prepare(call, protocol);
        if (failure) {
          reject(failure);
          return;
        }
      }
      if (signal) {
        call.onAbort = () => this.abortCall(call);
        signal.addEventListener('abort', call.onAbort, { once: true });
      }
      this.queue.push(call);
      this.queued++;
      this.pump();
    });
  }

  /** Validates (strict mode) and serialises a call for `protocol`; returns the failure, if any. */
  private prepare(call: OutboundCall, protocol: string): Error | undefined {
    call.protocol = protocol;
    if (!isPlainObject(call.params)) return new TypeError('Call params must be a JSON object');
    if (this.strict.outboundRequests) {
      const failure = this.checkOutbound(protocol, call.action, call.messageId, call.params, false);
      if (failure) return failure;
    }
    try {
      call.text = serializeFrame({ type: 2, messageId: call.messageId, action: call.action, payload: call.params });
    } catch (err) {
      return err instanceof Error ? err : new TypeError('Call params are not JSON-serialisable');
    }
    return undefined;
  }

  /** Strict checks of an outbound request: known action, our direction, CALL vs SEND, schema. */
  private checkOutbound(protocol: string, action: string, messageId: string, payload: unknown, asSend: boolean): RpcError | undefined {
    const validator = this.validator(protocol, action, 'request');
    if (!validator) return new RpcError('NotImplemented', `${nameOf(action)} is not an action of ${protocol}`);
    const origin = actionOrigin(protocol, action);
    if (origin && !origin.includes(this.side)) return new RpcError('NotSupported', `${action} is not sent by the ${this.side}`);
    if (isSendOnly(protocol, action) !== asSend) {
      return new RpcError('NotSupported', asSend ? `${action} is not a SEND message` : `${action} is SEND-only: use send()`);
    }
    const result = validator(payload);
    if (result.valid) return undefined;
    this.emitValidationFailure('out', 'request', action, messageId, result.violations);
    return violationError(action, 'request', result.violations);
  }

  /**
   * Sends queued calls while fewer than callConcurrency are outstanding. Not re-entrant: a channel that
   * delivers synchronously would otherwise recurse once per queued call; the running loop picks up the
   * work instead.
   */
  private pump(): void {
    const channel = this.channel;
    const protocol = this.currentProtocol;
    if (!channel || protocol === undefined || this.pumping) return;
    this.pumping = true;
    try {
      while (this.channel === channel && this.pending.size < this.callConcurrency) {
        const call = this.queue.shift();
        if (!call) return;
        if (call.state !== 'queued') continue; // aborted while queued (already uncounted)
        this.queued--;
        const failure = call.text === undefined ? this.prepare(call, protocol) : undefined;
        if (failure || this.pending.has(call.messageId)) {
          releaseCall(call);
          call.reject(failure ?? new TypeError(`Message id ${call.messageId} is already pending`));
          continue;
        }
        call.state = 'sent';
        call.sentAt = performance.now();
        this.pending.set(call.messageId, call);
        // setTimeout fires at once for delays beyond 2^31-1 ms: treat those (and Infinity) as "no timeout".
        if (call.timeoutMs <= MAX_TIMER_MS) call.timer = setTimeout(this.onTimeout, call.timeoutMs, call);
        if (this.listenerCount('call') > 0) {
          this.emit('call', { direction: 'out', kind: 'call', messageId: call.messageId, action: call.action, params: call.params });
        }
        channel.send(call.text as string);
      }
    } finally {
      this.pumping = false;
    }
  }

  private readonly onTimeout = (call: OutboundCall): void => {
    if (call.state !== 'sent') return;
    this.pending.delete(call.messageId);
    releaseCall(call);
    this.abandoned.add(call.messageId, call.action);
    const err = new TimeoutError(call.action, call.messageId, call.timeoutMs);
    call.reject(err);
    this.emitCallError('out', call.messageId, call.action, err);
    this.pump();
  };

  private abortCall(call: OutboundCall): void {
    const reason: unknown = call.signal?.reason;
    if (call.state === 'queued') {
      this.queued--;
    } else if (call.state === 'sent') {
      this.pending.delete(call.messageId);
      this.abandoned.add(call.messageId, call.action);
    } else return;
    releaseCall(call);
    call.reject(reason);
    this.pump();
  }

  /** Settles a sent call with the peer's answer. */
  private settle(call: OutboundCall, ok: boolean, value: unknown): void {
    this.pending.delete(call.messageId);
    releaseCall(call);
    if (ok) {
      call.resolve(value);
      if (this.listenerCount('callResult') > 0) {
        const durationMs = performance.now() - call.sentAt;
        this.emit('callResult', { direction: 'out', messageId: call.messageId, action: call.action, result: value, durationMs });
      }
    } else {
      call.reject(value);
      this.emitCallError('out', call.messageId, call.action, value);
    }
    this.pump();
  }

  private rejectQueued(keep: number, error: Error): void {
    let kept = 0;
    for (const call of this.queue.drain()) {
      if (call.state !== 'queued') continue;
      if (kept < keep) {
        kept++;
        this.queue.push(call);
        continue;
      }
      releaseCall(call);
      call.reject(error);
    }
    this.queued = kept;
  }

  /** The channel is gone: settle what depended on it. */
  private detach(code: number, reason: string, explicit: boolean): void {
    this.channel = undefined;
    const closed = new ConnectionClosedError(code, reason);
    for (const call of this.pending.values()) {
      releaseCall(call);
      call.reject(closed);
    }
    this.pending.clear();
    this.rejectQueued(explicit ? 0 : this.offlineQueueSize, new ConnectionClosedError(code, reason, `Connection closed (${code}) before the call was sent`));
    for (const call of this.inbound.values()) {
      call.done = true;
      call.abort(closed);
    }
    this.inbound.clear();
    for (const call of this.sends) call.abort(closed);
    this.sends.clear();
    this.emit('detach', { code, reason });
    this.emit('close', { code, reason });
  }

  // ── inbound ───────────────────────────────────────────────────────────────────────────────────────

  private receive(text: string, channel: RpcChannel): void {
    const protocol = this.currentProtocol as string;
    if (typeof text !== 'string') {
      this.onParseFailure(parseFrame('', protocol) as FrameParseFailure, '', channel);
      return;
    }
    const parsed = parseFrame(text, protocol);
    if (!parsed.ok) {
      this.onParseFailure(parsed, text, channel);
      return;
    }
    const frame = parsed.frame;
    switch (frame.type) {
      case 2:
        this.onCall(frame, text, channel, protocol);
        return;
      case 3:
        this.onCallResult(frame, text, channel, protocol);
        return;
      case 4:
      case 5:
        this.onCallError(frame, text, protocol);
        return;
      case 6:
        this.onSend(frame, channel, protocol);
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
    const call = this.pending.get(id);
    if (!call) return;
    if (type === 3 && this.ruleSet === '2.1') this.sendResultError(channel, id, failure.error);
    this.settle(call, false, failure.error);
  }

  private sendResultError(channel: RpcChannel, messageId: string, error: RpcError): void {
    const frame: CallResultErrorFrame = { ...errorFrame(this.currentProtocol as string, messageId, error), type: 5 };
    channel.send(serializeFrame(frame));
  }

  private onCall(frame: CallFrame, text: string, channel: RpcChannel, protocol: string): void {
    const { messageId, action, payload } = frame;
    if (this.inbound.has(messageId)) {
      // Message ids are unique per sender (§4.1.3 / Part 4 §4.1.4); reusing one still being handled makes
      // the request not a valid RPC request: RpcFrameworkError (1.6 wire: ProtocolError).
      const err = new RpcError('RpcFrameworkError', 'Message id is already in use by a call still being handled');
      if (!this.bad(text, err)) this.answerError(channel, protocol, messageId, action, err, err);
      return;
    }
    this.badMessages = 0;
    const refusal = this.strict.inboundRequests ? this.checkInbound(protocol, action, messageId, payload, false) : undefined;
    if (refusal) {
      this.answerError(channel, protocol, messageId, action, refusal, refusal);
      return;
    }
    const handler = this.handlers.get(protocol)?.get(action) ?? this.wildcard;
    if (!handler) {
      const err = this.noHandlerError(protocol, action);
      this.answerError(channel, protocol, messageId, action, err, err);
      return;
    }
    const call = new InboundCall(this, channel, 'call', protocol, action, messageId, payload, performance.now());
    this.inbound.set(messageId, call);
    if (this.listenerCount('call') > 0) this.emit('call', { direction: 'in', kind: 'call', messageId, action, params: payload });
    if (this.middleware.length === 0) invokeHandler(call, handler);
    else this.runInbound(call, handler);
  }

  private onSend(frame: SendFrame, channel: RpcChannel, protocol: string): void {
    const { messageId, action, payload } = frame;
    this.badMessages = 0;
    // A SEND is never answered, not even when it is invalid (2.1 Part 4 §4.2.5): problems are only reported.
    const refusal = this.strict.inboundRequests ? this.checkInbound(protocol, action, messageId, payload, true) : undefined;
    const handler = refusal ? undefined : (this.handlers.get(protocol)?.get(action) ?? this.wildcard);
    if (!handler) {
      const err = refusal ?? this.noHandlerError(protocol, action);
      this.emitCallError('in', messageId, action, err);
      return;
    }
    const call = new InboundCall(this, channel, 'send', protocol, action, messageId, payload, performance.now());
    this.sends.add(call);
    if (this.listenerCount('call') > 0) this.emit('call', { direction: 'in', kind: 'send', messageId, action, params: payload });
    if (this.middleware.length === 0) invokeHandler(call, handler);
    else this.runInbound(call, handler);
  }

  /**
   * Strict checks of an inbound request. Unknown action → NotImplemented (rule 7). An action of the wrong
   * direction (a charger sending RemoteStartTransaction) or a CALL/SEND mix-up → NotSupported: the receiver
   * recognises the action but does not support receiving it (2.0.1 Part 4 §4.3 code table).
   */
  private checkInbound(protocol: string, action: string, messageId: string, payload: unknown, asSend: boolean): RpcError | undefined {
    const validator = this.validator(protocol, action, 'request');
    if (!validator) return new RpcError('NotImplemented', `${nameOf(action)} is not an action of ${protocol}`);
    const origin = actionOrigin(protocol, action);
    if (origin && !origin.includes(this.peerSide)) {
      return new RpcError('NotSupported', `${action} is not accepted from the ${this.peerSide}`);
    }
    if (isSendOnly(protocol, action) !== asSend) {
      return new RpcError('NotSupported', asSend ? `${action} is not a SEND message` : `${action} must be sent as a SEND`);
    }
    const result = validator(payload);
    if (result.valid) return undefined;
    this.emitValidationFailure('in', 'request', action, messageId, result.violations);
    return violationError(action, 'request', result.violations);
  }

  private noHandlerError(protocol: string, action: string): RpcError {
    const known = isKnownAction(protocol, action) || this.validator(protocol, action, 'request') !== undefined;
    return known
      ? new RpcError('NotSupported', `${action} is not supported by this ${this.side}`)
      : new RpcError('NotImplemented', `${nameOf(action)} is not implemented`);
  }

  private runInbound(call: InboundCall, handler: AnyHandler): void {
    const ctx: MessageContext = {
      direction: 'in',
      kind: call.kind,
      protocol: call.protocol,
      action: call.action,
      messageId: call.messageId,
      params: call.params,
      state: call.state,
    };
    runMiddleware(this.middleware, ctx, () => {
      call.params = ctx.params;
      return new Promise<void>((resolve, reject) => {
        call.waiter = {
          resolve: (value) => {
            ctx.result = value;
            resolve();
          },
          reject: (err) => {
            ctx.error = err;
            reject(err);
          },
        };
        invokeHandler(call, handler);
      });
    }).then(
      () => this.respond(call, ctx.result),
      (err: unknown) => this.respondError(call, err),
    );
  }

  /** @internal InboundSink: the handler answered. */
  respond(call: InboundCall, result: unknown): void {
    if (call.done) return;
    call.done = true;
    if (call.kind === 'send') {
      this.sends.delete(call);
      return;
    }
    if (this.inbound.get(call.messageId) === call) this.inbound.delete(call.messageId);
    const channel = call.channel;
    if (channel !== this.channel) return; // the connection this call came on is gone
    const { protocol, action, messageId } = call;
    const payload = result === undefined ? {} : result;
    if (!isPlainObject(payload)) {
      this.answerError(channel, protocol, messageId, action, new RpcError('InternalError'), new TypeError(`Handler for ${action} returned a non-object`));
      return;
    }
    if (this.strict.outboundResponses) {
      const validator = this.validator(protocol, action, 'response');
      const check = validator?.(payload);
      if (check && !check.valid) {
        // Our own handler is at fault: the peer gets a bare InternalError, the details go to the event.
        this.emitValidationFailure('out', 'response', action, messageId, check.violations);
        this.answerError(channel, protocol, messageId, action, new RpcError('InternalError'), violationError(action, 'response', check.violations));
        return;
      }
    }
    let text: string;
    try {
      text = serializeFrame({ type: 3, messageId, payload });
    } catch (err) {
      this.answerError(channel, protocol, messageId, action, new RpcError('InternalError'), err);
      return;
    }
    channel.send(text);
    if (this.ruleSet === '2.1') this.answered.add(messageId, action);
    if (this.listenerCount('callResult') > 0) {
      this.emit('callResult', { direction: 'in', messageId, action, result: payload, durationMs: performance.now() - call.startedAt });
    }
  }

  /** @internal InboundSink: the handler failed. */
  respondError(call: InboundCall, error: unknown): void {
    if (call.done) return;
    call.done = true;
    if (call.kind === 'send') {
      this.sends.delete(call);
      this.emitCallError('in', call.messageId, call.action, error);
      return;
    }
    if (this.inbound.get(call.messageId) === call) this.inbound.delete(call.messageId);
    if (call.channel !== this.channel) return;
    this.answerError(call.channel, call.protocol, call.messageId, call.action, toRpcError(error), error);
  }

  /** Sends a CALLERROR (wire-spelled, description capped) and reports it. */
  private answerError(channel: RpcChannel, protocol: string, messageId: string, action: string, error: RpcError, cause: unknown): void {
    let text: string;
    try {
      text = serializeFrame(errorFrame(protocol, messageId, error));
    } catch {
      // details that cannot be serialised are dropped rather than failing the answer
      text = serializeFrame(errorFrame(protocol, messageId, new RpcError(error.code, error.description)));
    }
    channel.send(text);
    this.emitCallError('in', messageId, action, cause, error);
  }

  private onCallResult(frame: CallResultFrame, text: string, channel: RpcChannel, protocol: string): void {
    const call = this.pending.get(frame.messageId);
    if (!call) {
      this.unknownAnswer(text, frame.messageId, 'CALLRESULT');
      return;
    }
    this.badMessages = 0;
    if (this.strict.inboundResponses) {
      const check = this.validator(protocol, call.action, 'response')?.(frame.payload);
      if (check && !check.valid) {
        const err = violationError(call.action, 'response', check.violations);
        this.emitValidationFailure('in', 'response', call.action, call.messageId, check.violations);
        // 2.1 Part 4 §4.2.4: an invalid CALLRESULT is answered with a CALLRESULTERROR.
        if (this.ruleSet === '2.1') this.sendResultError(channel, frame.messageId, err);
        this.settle(call, false, err);
        return;
      }
    }
    this.settle(call, true, frame.payload);
  }

  private onCallError(frame: CallErrorFrame | CallResultErrorFrame, text: string, protocol: string): void {
    const error = new RpcError(fromWireErrorCode(protocol, frame.errorCode), frame.errorDescription, frame.errorDetails);
    const call = this.pending.get(frame.messageId);
    if (call) {
      this.badMessages = 0;
      this.settle(call, false, error);
      return;
    }
    if (frame.type === 5) {
      const action = this.answered.get(frame.messageId);
      if (action !== undefined) {
        // The peer rejected a CALLRESULT we sent; nothing to answer, but it must not go unnoticed.
        this.badMessages = 0;
        this.answered.delete(frame.messageId);
        this.emit('responseRejected', { messageId: frame.messageId, action, error });
        return;
      }
    }
    this.unknownAnswer(text, frame.messageId, frame.type === 4 ? 'CALLERROR' : 'CALLRESULTERROR');
  }

  /** An answer for an id we are not waiting for: reported, never answered (spec: no reply to a reply). */
  private unknownAnswer(text: string, messageId: string, kind: string): void {
    const late = this.abandoned.get(messageId) !== undefined;
    if (late) this.abandoned.delete(messageId);
    const err = new RpcError(
      'RpcFrameworkError',
      late ? `${kind} arrived after its call timed out or was aborted` : `${kind} for an unknown message id`,
    );
    this.bad(text, err, !late);
  }

  private validator(protocol: string, action: string, kind: PayloadKind): Validator | undefined {
    return this.validatorCache.get(protocol, action, kind);
  }

  // ── events ────────────────────────────────────────────────────────────────────────────────────────

  private emitCallError(direction: 'in' | 'out', messageId: string, action: string, cause: unknown, error?: RpcError): void {
    if (this.listenerCount('callError') === 0) return;
    const rpcError =
      error ??
      (cause instanceof RpcError
        ? cause
        : new RpcError('GenericError', cause instanceof Error ? cause.message : 'Call failed', {}, { cause }));
    this.emit('callError', { direction, messageId, action, error: rpcError, cause });
  }

  private emitValidationFailure(direction: 'in' | 'out', kind: PayloadKind, action: string, messageId: string, violations: Violation[]): void {
    if (this.listenerCount('strictValidationFailure') > 0) {
      this.emit('strictValidationFailure', { direction, kind, action, messageId, violations });
    }
  }
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!(value > 0)) throw new RangeError(`${name} must be a positive number`);
  return value;
}
