import type { RpcChannel } from './channel.js';
import type { Connection } from './connection.js';
import { ConnectionClosedError, RpcError, toRpcError } from './errors.js';
import { reportCallError, reportValidationFailure, type EndpointEmitter } from './eventReports.js';
import { errorFrame, serializeFrame, type CallFrame, type SendFrame } from './frames.js';
import type { AnyHandler } from './handler.js';
import { InboundCall, invokeHandler, type InboundSink } from './inboundCall.js';
import { runMiddleware, type MessageContext } from './middleware.js';
import { isKnownAction, type Side } from './ocppTypes.js';
import { RecentIds } from './recentIds.js';
import type { ValidatorCache } from './validatorCache.js';
import { checkRequest, nameOf, violationError } from './strict.js';

export type { AnyHandler } from './handler.js';

/**
 * What the inbound side needs from its endpoint: the objects themselves, kept in fields, so that handling
 * a frame follows no extra object or closure per connection (with a thousand busy connections, each
 * per-connection hop is a likely cache miss).
 */
export interface InboundDeps {
  readonly side: Side;
  readonly conn: Connection;
  readonly events: EndpointEmitter;
  /** What handlers get as `ctx.client` (read per call: a wrapper may set it after the endpoint is made). */
  readonly owner: { readonly contextClient: unknown };
  readonly validators: ValidatorCache;
  /** Handlers that may run at once (RpcEndpointOptions.inboundConcurrency). */
  readonly concurrency: number;
  /** Calls that may wait for a slot (RpcEndpointOptions.inboundQueueLimit). */
  readonly queueLimit: number;
  /** Reports a bad frame and counts it; true when it was one too many and the endpoint closed. */
  bad: (text: string, error: RpcError) => boolean;
  /** Counts a refused message already reported otherwise (callError); true when the endpoint closed. */
  strike: () => boolean;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Inbound CALLs and SENDs: strict checks, handler lookup, message middleware, the answer (validated,
 * serialised, wire-spelled) and the bookkeeping for duplicate ids and 2.1 CALLRESULTERRORs.
 *
 * At most `concurrency` handlers run at once; later calls wait, in arrival order, in a queue of at most
 * `queueLimit` (created when first needed, so a peer that keeps to one CALL at a time costs no allocation).
 */
export class InboundCalls implements InboundSink {
  /**
   * CALLs being handled (for duplicate detection). The spec allows one at a time per direction, so the
   * first lives in a slot and only peers that overlap calls make the map (kept once created: no
   * allocation per frame).
   */
  #current: InboundCall | undefined;
  #more: Map<string, InboundCall> | undefined;
  /** SENDs being handled (only so their signals abort on close); created on the first SEND. */
  #sends: Set<InboundCall> | undefined;
  /** 2.1: results we sent, so a CALLRESULTERROR about one can be attributed; created on the first one. */
  #answered: RecentIds | undefined;
  /** Handlers started and not finished (CALLs not answered, SENDs whose handler has not returned). */
  #running = 0;
  /** Calls waiting for a slot, oldest first; their handler is in `call.queuedHandler`. */
  #waiting: InboundCall[] | undefined;
  /** Set while starting waiting calls, so a handler that answers at once does not start the next one recursively. */
  #draining = false;
  readonly #concurrency: number;
  readonly #queueLimit: number;
  readonly #conn: Connection;
  readonly #events: EndpointEmitter;
  readonly #owner: { readonly contextClient: unknown };
  readonly #validators: ValidatorCache;
  readonly #side: Side;
  readonly #peerSide: Side;
  readonly #bad: (text: string, error: RpcError) => boolean;
  readonly #strike: () => boolean;

  constructor(deps: InboundDeps) {
    this.#conn = deps.conn;
    this.#events = deps.events;
    this.#owner = deps.owner;
    this.#validators = deps.validators;
    this.#side = deps.side;
    this.#peerSide = deps.side === 'CSMS' ? 'ChargingStation' : 'CSMS';
    this.#bad = deps.bad;
    this.#strike = deps.strike;
    this.#concurrency = deps.concurrency;
    this.#queueLimit = deps.queueLimit;
  }

  /**
   * Handles a CALL. True when it reached a handler (started or queued): the only CALLs that reset the
   * endpoint's bad-message count. Refusals that are the peer's fault are counted (see maxBadMessages).
   */
  onCall(frame: CallFrame, text: string, channel: RpcChannel): boolean {
    const { messageId, action, payload } = frame;
    const conn = this.#conn;
    const protocol = conn.protocol;
    if (this.#current?.messageId === messageId || this.#more?.has(messageId) === true) {
      // Message ids are unique per sender (1.6 §4.1.3, 2.x Part 4 §4.1.4): reusing one still being handled
      // makes the request "not a valid RPC request" → RpcFrameworkError (1.6 wire: ProtocolError).
      const err = new RpcError('RpcFrameworkError', 'Message id is already in use by a call still being handled');
      if (!this.#bad(text, err)) this.#answerError(channel, protocol, messageId, action, err, err);
      return false;
    }
    if (conn.strict.inboundRequests) {
      const refusal = checkRequest(this.#validators.get(protocol, action, 'request'), protocol, action, payload, this.#peerSide, false);
      if (refusal) {
        if (refusal.violations) reportValidationFailure(this.#events, 'in', 'request', action, messageId, refusal.violations);
        // Unknown action, wrong direction, schema violation: the peer's mistake, so it counts.
        if (!this.#strike()) this.#answerError(channel, protocol, messageId, action, refusal.error, refusal.error);
        return false;
      }
    }
    const handler = conn.handlers?.find(protocol, action);
    if (!handler) {
      const err = this.#noHandlerError(protocol, action);
      // NotImplemented (an action nobody knows) counts; NotSupported for a known action is this side's gap.
      if (err.code !== 'NotImplemented' || !this.#strike()) this.#answerError(channel, protocol, messageId, action, err, err);
      return false;
    }
    if (this.#running >= this.#concurrency && !this.#canWait()) {
      // 2.x Part 4 §4.1.1: the peer SHALL NOT send a CALL before the previous one is answered.
      const err = new RpcError('RpcFrameworkError', 'Too many calls in progress: OCPP-J allows one outstanding CALL per direction');
      if (!this.#bad(text, err)) this.#answerError(channel, protocol, messageId, action, err, err);
      return false;
    }
    const call = new InboundCall(this, channel, 'call', protocol, action, messageId, payload, performance.now());
    if (this.#current === undefined) this.#current = call;
    else (this.#more ??= new Map()).set(messageId, call);
    this.#admit(call, handler);
    return true;
  }

  /**
   * A SEND is never answered, not even when it is invalid (2.1 Part 4 §4.2.6): problems are only reported
   * (and counted like refused CALLs). True when it reached a handler (started or queued).
   */
  onSend(frame: SendFrame, text: string, channel: RpcChannel): boolean {
    const { messageId, action, payload } = frame;
    const protocol = this.#conn.protocol;
    let refusal: RpcError | undefined;
    if (this.#conn.strict.inboundRequests) {
      const check = checkRequest(this.#validators.get(protocol, action, 'request'), protocol, action, payload, this.#peerSide, true);
      if (check?.violations) reportValidationFailure(this.#events, 'in', 'request', action, messageId, check.violations);
      refusal = check?.error;
    }
    const handler = refusal ? undefined : this.#conn.handlers?.find(protocol, action);
    if (!handler) {
      const err = refusal ?? this.#noHandlerError(protocol, action);
      reportCallError(this.#events, 'in', messageId, action, err);
      if (err.code !== 'NotSupported' || refusal) this.#strike();
      return false;
    }
    if (this.#running >= this.#concurrency && !this.#canWait()) {
      this.#bad(text, new RpcError('RpcFrameworkError', 'Too many messages in progress: SEND dropped'));
      return false;
    }
    const call = new InboundCall(this, channel, 'send', protocol, action, messageId, payload, performance.now());
    (this.#sends ??= new Set()).add(call);
    this.#admit(call, handler);
    return true;
  }

  /** InboundSink: `ctx.client` of the calls of this endpoint. */
  get client(): unknown {
    return this.#owner.contextClient;
  }

  /** The action of a result we sent recently (2.1), forgotten once asked. */
  takeAnswered(messageId: string): string | undefined {
    const answered = this.#answered;
    if (answered === undefined) return undefined;
    const action = answered.get(messageId);
    if (action !== undefined) answered.delete(messageId);
    return action;
  }

  /**
   * The channel closed with `code`, `reason`: answers can no longer be delivered; tell the handlers (their
   * signals abort with a ConnectionClosedError, built only when some call is being handled).
   */
  abortAll(code: number, reason: string): void {
    this.#answered?.clear();
    const current = this.#current;
    const more = this.#more;
    const sends = this.#sends;
    // Calls still waiting never started: they are dropped with the rest (their handlers never run).
    this.#running = 0;
    if (this.#waiting) this.#waiting.length = 0;
    if (current === undefined && (more === undefined || more.size === 0) && (sends === undefined || sends.size === 0)) return;
    const error = new ConnectionClosedError(code, reason);
    this.#current = undefined;
    if (current) {
      current.done = true;
      current.abort(error);
    }
    if (more) {
      for (const call of more.values()) {
        call.done = true;
        call.abort(error);
      }
      more.clear();
    }
    if (sends) {
      for (const call of sends) {
        call.done = true;
        call.abort(error);
      }
      sends.clear();
    }
  }

  /** Forgets a CALL that was answered (or abandoned). */
  #forget(call: InboundCall): void {
    if (this.#current === call) this.#current = undefined;
    else if (this.#more?.get(call.messageId) === call) this.#more.delete(call.messageId);
  }

  /** Room in the waiting queue for one more call. */
  #canWait(): boolean {
    return (this.#waiting?.length ?? 0) < this.#queueLimit;
  }

  /** Starts `call` now if a slot is free, else queues it (the caller checked canWait()). */
  #admit(call: InboundCall, handler: AnyHandler): void {
    if (this.#running < this.#concurrency) {
      this.#running++;
      this.#start(call, handler);
      return;
    }
    call.queuedHandler = handler;
    (this.#waiting ??= []).push(call);
  }

  /** A handler finished: its slot goes to the oldest waiting call. */
  #release(): void {
    this.#running--;
    const waiting = this.#waiting;
    if (this.#draining || waiting === undefined) return;
    this.#draining = true;
    try {
      while (this.#running < this.#concurrency && waiting.length > 0) {
        const next = waiting.shift() as InboundCall;
        const handler = next.queuedHandler as AnyHandler;
        next.queuedHandler = undefined;
        this.#running++;
        this.#start(next, handler);
      }
    } finally {
      this.#draining = false;
    }
  }

  #start(call: InboundCall, handler: AnyHandler): void {
    const events = this.#events;
    if (events.listenerCount('call') > 0) {
      events.emit('call', { direction: 'in', kind: call.kind, messageId: call.messageId, action: call.action, params: call.params });
    }
    if (this.#conn.middleware.length === 0) invokeHandler(call, handler);
    else this.#runMiddleware(call, handler);
  }

  #noHandlerError(protocol: string, action: string): RpcError {
    const known = isKnownAction(protocol, action) || this.#validators.get(protocol, action, 'request') !== undefined;
    return known
      ? new RpcError('NotSupported', `${action} is not supported by this ${this.#side}`)
      : new RpcError('NotImplemented', `${nameOf(action)} is not implemented`);
  }

  #runMiddleware(call: InboundCall, handler: AnyHandler): void {
    const ctx: MessageContext = {
      direction: 'in',
      kind: call.kind,
      protocol: call.protocol,
      action: call.action,
      messageId: call.messageId,
      params: call.params,
      state: call.state,
    };
    runMiddleware(this.#conn.middleware, ctx, () => {
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

  /** InboundSink: the handler answered. */
  respond(call: InboundCall, result: unknown): void {
    if (call.done) return;
    call.done = true;
    if (call.kind === 'send') this.#sends?.delete(call);
    else {
      this.#forget(call);
      this.#answer(call, result);
    }
    this.#release();
  }

  /** Sends the CALLRESULT for `call` (or the InternalError that replaces an invalid one). */
  #answer(call: InboundCall, result: unknown): void {
    const conn = this.#conn;
    const events = this.#events;
    const channel = call.channel;
    if (channel !== conn.channel) return; // the connection this call came on is gone
    const { protocol, action, messageId } = call;
    const payload = result === undefined ? {} : result;
    if (!isPlainObject(payload)) {
      this.#answerError(channel, protocol, messageId, action, new RpcError('InternalError'), new TypeError(`Handler for ${action} returned a non-object`));
      return;
    }
    if (conn.strict.outboundResponses) {
      const check = this.#validators.get(protocol, action, 'response')?.(payload);
      if (check && !check.valid) {
        // Our own handler is at fault: the peer gets a bare InternalError, the details go to the events.
        reportValidationFailure(events, 'out', 'response', action, messageId, check.violations);
        this.#answerError(channel, protocol, messageId, action, new RpcError('InternalError'), violationError(action, 'response', check.violations));
        return;
      }
    }
    let text: string;
    try {
      text = serializeFrame({ type: 3, messageId, payload });
    } catch (err) {
      this.#answerError(channel, protocol, messageId, action, new RpcError('InternalError'), err);
      return;
    }
    channel.send(text);
    if (conn.ruleSet === '2.1') (this.#answered ??= new RecentIds(64)).add(messageId, action);
    if (events.listenerCount('callResult') > 0) {
      events.emit('callResult', { direction: 'in', messageId, action, result: payload, durationMs: performance.now() - call.startedAt });
    }
  }

  /** InboundSink: the handler failed. */
  respondError(call: InboundCall, error: unknown): void {
    if (call.done) return;
    call.done = true;
    if (call.kind === 'send') {
      this.#sends?.delete(call);
      reportCallError(this.#events, 'in', call.messageId, call.action, error);
    } else {
      this.#forget(call);
      if (call.channel === this.#conn.channel) this.#answerError(call.channel, call.protocol, call.messageId, call.action, toRpcError(error), error);
    }
    this.#release();
  }

  /** Sends a CALLERROR (wire-spelled, description capped) and reports it. */
  #answerError(channel: RpcChannel, protocol: string, messageId: string, action: string, error: RpcError, cause: unknown): void {
    let text: string;
    try {
      text = serializeFrame(errorFrame(protocol, messageId, error));
    } catch {
      // details that cannot be serialised are dropped rather than failing the answer
      text = serializeFrame(errorFrame(protocol, messageId, new RpcError(error.code, error.description)));
    }
    channel.send(text);
    reportCallError(this.#events, 'in', messageId, action, cause, error);
  }
}
