import type { RpcChannel } from './channel.js';
import { CallQueue } from './callQueue.js';
import type { Connection } from './connection.js';
import { ConnectionClosedError, NotConnectedError, ProtocolMismatchError, TimeoutError, type RpcError } from './errors.js';
import { reportCallError, reportValidationFailure, type EndpointEmitter } from './eventReports.js';
import { errorFrame, isPlainObject, serializeFrame, type CallResultErrorFrame, type FrameParseFailure } from './frames.js';
import { runMiddleware, type MessageContext } from './middleware.js';
import type { Side } from './ocppTypes.js';
import type { CallOptions } from './options.js';
import { releaseCall, type OutboundCall } from './outboundCall.js';
import { RecentIds } from './recentIds.js';
import { checkRequest, violationError } from './strict.js';
import type { ValidatorCache } from './validatorCache.js';

/** setTimeout fires at once for delays beyond 2^31-1 ms: those (and Infinity) mean "no timeout". */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A rejected promise for a call that cannot be queued (detached with a full offline queue, aborted signal,
 * bad timeout), else undefined. A plain function: the endpoint asks before its outbound side exists, so a
 * refused call does not create it.
 */
export function refuseCall(conn: Connection, queued: number, offlineQueueSize: number, options: CallOptions | undefined): Promise<never> | undefined {
  if (!conn.channel && queued >= offlineQueueSize) {
    return Promise.reject(new NotConnectedError(offlineQueueSize > 0 ? `Offline queue is full (${offlineQueueSize} calls)` : 'Not connected'));
  }
  if (options?.signal?.aborted) return Promise.reject(options.signal.reason);
  if (options?.timeoutMs !== undefined && !(options.timeoutMs > 0)) {
    return Promise.reject(new RangeError('timeoutMs must be a positive number'));
  }
  return undefined;
}

/** The endpoint as the outbound side sees it: where events go, and the protocol it last knew. */
export interface OutboundOwner extends EndpointEmitter {
  readonly protocol: string | undefined;
}

/**
 * What the outbound side needs from its endpoint, copied into fields (like InboundDeps): validation and
 * events are reached directly, not through a host object of closures kept per connection.
 */
export interface OutboundDeps {
  readonly side: Side;
  readonly conn: Connection;
  readonly owner: OutboundOwner;
  readonly validators: ValidatorCache;
  readonly concurrency: number;
  readonly callTimeoutMs: number;
  readonly offlineQueueSize: number;
}

/**
 * Outbound CALLs: validation and serialisation, the FIFO of calls waiting for their turn and the pending map
 * of calls sent and not yet answered, keyed by message id, and the peer's answers to them. At most
 * `concurrency` calls are outstanding (spec: one per direction, OCPP-J 1.6 §4.1.1, 2.x Part 4 §4.1.1);
 * timers start when a CALL is written.
 */
export class OutboundCalls {
  readonly #pending = new Map<string, OutboundCall>();
  readonly #queue = new CallQueue<OutboundCall>();
  #queued = 0;
  #pumping = false;
  #channel: RpcChannel | undefined;
  #protocol: string | undefined;
  /** Calls that timed out or were aborted: their late answers are reported but not counted as bad (created on the first one). */
  #abandoned: RecentIds | undefined;
  readonly #conn: Connection;
  readonly #owner: OutboundOwner;
  readonly #validators: ValidatorCache;
  readonly #side: Side;
  readonly #concurrency: number;
  readonly #callTimeoutMs: number;
  readonly #offlineQueueSize: number;

  constructor(deps: OutboundDeps) {
    this.#conn = deps.conn;
    this.#owner = deps.owner;
    this.#validators = deps.validators;
    this.#side = deps.side;
    this.#concurrency = deps.concurrency;
    this.#callTimeoutMs = deps.callTimeoutMs;
    this.#offlineQueueSize = deps.offlineQueueSize;
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  get queuedCount(): number {
    return this.#queued;
  }

  /** Starts writing to `channel`; queued calls made for another protocol reject with ProtocolMismatchError. */
  attach(channel: RpcChannel, protocol: string): void {
    this.#channel = channel;
    this.#protocol = protocol;
    this.#abandoned?.clear();
    for (const call of this.#queue.drain()) {
      if (call.state !== 'queued') continue;
      if (call.protocol !== undefined && call.protocol !== protocol) {
        this.#queued--;
        releaseCall(call);
        call.reject(new ProtocolMismatchError(protocol, call.protocol));
      } else this.#queue.push(call);
    }
    this.#pump();
  }

  /**
   * The channel (closed with `code`, `reason`) is gone: calls in flight reject with a ConnectionClosedError
   * (they may have reached the peer, so they are never re-sent); queued calls beyond the first `keep` reject
   * with one too. The errors (and their stacks) are only built when there is a call to reject.
   */
  detach(keep: number, code: number, reason: string): void {
    this.#channel = undefined;
    if (this.#pending.size > 0) {
      const error = new ConnectionClosedError(code, reason);
      for (const call of this.#pending.values()) {
        releaseCall(call);
        call.reject(error);
      }
      this.#pending.clear();
    }
    this.rejectQueued(keep, code, reason, undefined);
  }

  /**
   * Rejects queued calls beyond the first `keep` with a ConnectionClosedError (`message`, default: closed
   * before the call was sent).
   */
  rejectQueued(keep: number, code: number, reason: string, message: string | undefined): void {
    if (this.#queue.length === 0) {
      this.#queued = 0;
      return;
    }
    let kept = 0;
    let error: ConnectionClosedError | undefined;
    for (const call of this.#queue.drain()) {
      if (call.state !== 'queued') continue;
      if (kept < keep) {
        kept++;
        this.#queue.push(call);
        continue;
      }
      releaseCall(call);
      call.reject((error ??= new ConnectionClosedError(code, reason, message ?? `Connection closed (${code}) before the call was sent`)));
    }
    this.#queued = kept;
  }

  /**
   * Queues a CALL through the outbound message middleware, if any; settles with the peer's answer. The
   * caller has asked refuseCall() and made `messageId`.
   */
  start(protocol: string | undefined, action: string, messageId: string, params: unknown, options: CallOptions | undefined): Promise<unknown> {
    if (this.#conn.middleware.length === 0) return this.#enqueue(protocol, action, messageId, params, options);
    const ctx: MessageContext = { direction: 'out', kind: 'call', protocol: protocol ?? '', action, messageId, params, state: {} };
    return runMiddleware(this.#conn.middleware, ctx, () =>
      this.#enqueue(protocol, action, messageId, ctx.params, options).then(
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

  #enqueue(protocol: string | undefined, action: string, messageId: string, params: unknown, options: CallOptions | undefined): Promise<unknown> {
    return new Promise((resolve, reject) => {
      // re-checked: message middleware may have run while the connection went away
      if (!this.#conn.channel && this.#queued >= this.#offlineQueueSize) {
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
        timeoutMs: options?.timeoutMs ?? this.#callTimeoutMs,
        signal,
        onAbort: undefined,
        timer: undefined,
        sentAt: 0,
        resolve,
        reject,
      };
      // Validate and serialise now when the protocol is known, so mistakes surface at the call site.
      // The owner's protocol is read here, not passed in: middleware may have run across an attach.
      if (protocol !== undefined && protocol === this.#owner.protocol && this.#conn.protocol === protocol) {
        const failure = this.#prepare(call, protocol);
        if (failure) {
          reject(failure);
          return;
        }
      }
      this.#add(call);
    });
  }

  /** Validates (strict mode) and serialises a call for `protocol`; returns the failure, if any. */
  #prepare(call: OutboundCall, protocol: string): Error | undefined {
    call.protocol = protocol;
    if (!isPlainObject(call.params)) return new TypeError('Call params must be a JSON object');
    if (this.#conn.strict.outboundRequests) {
      const refusal = checkRequest(this.#validators.get(protocol, call.action, 'request'), protocol, call.action, call.params, this.#side, false);
      if (refusal) {
        if (refusal.violations) reportValidationFailure(this.#owner, 'out', 'request', call.action, call.messageId, refusal.violations);
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

  /** Queues a call (already prepared when its protocol was known). */
  #add(call: OutboundCall): void {
    if (call.signal) {
      call.onAbort = () => this.#abort(call);
      call.signal.addEventListener('abort', call.onAbort, { once: true });
    }
    this.#queue.push(call);
    this.#queued++;
    this.#pump();
  }

  /** The sent call with this id, if any. */
  get(messageId: string): OutboundCall | undefined {
    return this.#pending.get(messageId);
  }

  /** Whether `messageId` belonged to a call that timed out or was aborted (forgotten once asked). */
  takeAbandoned(messageId: string): boolean {
    return this.#abandoned !== undefined && this.#abandoned.delete(messageId);
  }

  /** The peer's CALLRESULT for the sent `call`, which a strict-mode response check may turn into a rejection. */
  onResult(call: OutboundCall, payload: Record<string, unknown>, channel: RpcChannel): void {
    const conn = this.#conn;
    if (conn.strict.inboundResponses) {
      const check = this.#validators.get(conn.protocol, call.action, 'response')?.(payload);
      if (check && !check.valid) {
        const err = violationError(call.action, 'response', check.violations);
        reportValidationFailure(this.#owner, 'in', 'response', call.action, call.messageId, check.violations);
        this.#rejectAnswer(call, err, channel, true);
        return;
      }
    }
    this.settle(call, true, payload);
  }

  /** A malformed answer to one of our calls settles that call now instead of letting it time out. */
  onBadAnswer(failure: FrameParseFailure, channel: RpcChannel): void {
    const id = failure.messageId;
    const type = failure.messageType;
    if (id === undefined || (type !== 3 && type !== 4 && type !== 5)) return;
    const call = this.#pending.get(id);
    if (call) this.#rejectAnswer(call, failure.error, channel, type === 3);
  }

  /** The answer to `call` was invalid: 2.1 Part 4 §4.2.4 wants an invalid CALLRESULT answered with a CALLRESULTERROR. */
  #rejectAnswer(call: OutboundCall, error: RpcError, channel: RpcChannel, wasResult: boolean): void {
    if (wasResult && this.#conn.ruleSet === '2.1') {
      const frame: CallResultErrorFrame = { ...errorFrame(this.#conn.protocol, call.messageId, error), type: 5 };
      channel.send(serializeFrame(frame));
    }
    this.settle(call, false, error);
  }

  /** Settles a sent call with the peer's answer and sends the next queued one. */
  settle(call: OutboundCall, ok: boolean, value: unknown): void {
    this.#pending.delete(call.messageId);
    releaseCall(call);
    if (ok) call.resolve(value);
    else call.reject(value);
    const owner = this.#owner;
    if (!ok) reportCallError(owner, 'out', call.messageId, call.action, value);
    else if (owner.listenerCount('callResult') > 0) {
      const durationMs = performance.now() - call.sentAt;
      owner.emit('callResult', { direction: 'out', messageId: call.messageId, action: call.action, result: value, durationMs });
    }
    this.#pump();
  }

  /**
   * Writes queued calls while fewer than `concurrency` are outstanding. Not re-entrant: a channel that
   * delivers synchronously would otherwise recurse once per queued call; the running loop picks up the work.
   */
  #pump(): void {
    const channel = this.#channel;
    const protocol = this.#protocol;
    if (!channel || protocol === undefined || this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#channel === channel && this.#pending.size < this.#concurrency) {
        const call = this.#queue.shift();
        if (!call) return;
        if (call.state !== 'queued') continue; // aborted while queued (already uncounted)
        this.#queued--;
        const failure = call.text === undefined ? this.#prepare(call, protocol) : undefined;
        if (failure || this.#pending.has(call.messageId)) {
          releaseCall(call);
          call.reject(failure ?? new TypeError(`Message id ${call.messageId} is already pending`));
          continue;
        }
        call.state = 'sent';
        call.sentAt = performance.now();
        this.#pending.set(call.messageId, call);
        if (call.timeoutMs <= MAX_TIMER_MS) call.timer = setTimeout(this.#onTimeout, call.timeoutMs, call);
        const owner = this.#owner;
        if (owner.listenerCount('call') > 0) {
          owner.emit('call', { direction: 'out', kind: 'call', messageId: call.messageId, action: call.action, params: call.params });
        }
        channel.send(call.text as string);
      }
    } finally {
      this.#pumping = false;
    }
  }

  readonly #onTimeout = (call: OutboundCall): void => {
    if (call.state !== 'sent') return;
    (this.#abandoned ??= new RecentIds(64)).add(call.messageId, call.action);
    this.settle(call, false, new TimeoutError(call.action, call.messageId, call.timeoutMs));
  };

  #abort(call: OutboundCall): void {
    const reason: unknown = call.signal?.reason;
    if (call.state === 'queued') {
      this.#queued--;
      releaseCall(call);
      call.reject(reason);
    } else if (call.state === 'sent') {
      (this.#abandoned ??= new RecentIds(64)).add(call.messageId, call.action);
      this.settle(call, false, reason);
    }
  }
}
