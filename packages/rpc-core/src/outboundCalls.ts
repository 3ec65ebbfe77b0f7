import type { RpcChannel } from './channel.js';
import { CallQueue } from './callQueue.js';
import { ConnectionClosedError, ProtocolMismatchError, TimeoutError } from './errors.js';
import { releaseCall, type OutboundCall } from './outboundCall.js';
import { RecentIds } from './recentIds.js';

/** setTimeout fires at once for delays beyond 2^31-1 ms: those (and Infinity) mean "no timeout". */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What the queue needs from its endpoint. */
export interface OutboundHost {
  /** Validates and serialises `call` for `protocol` (sets `call.text`); returns the failure, if any. */
  prepare(call: OutboundCall, protocol: string): Error | undefined;
  /** The CALL is about to be written. */
  onSend(call: OutboundCall): void;
  /** A sent call settled (answer, CALLERROR, timeout or abort); `value` is the result or the error. */
  onSettle(call: OutboundCall, ok: boolean, value: unknown): void;
}

/**
 * Outbound CALLs: the FIFO of calls waiting for their turn and the pending map of calls sent and not yet
 * answered, keyed by message id. At most `concurrency` calls are outstanding (spec: one per direction,
 * OCPP-J 1.6 §4.1.1, 2.x Part 4 §4.1.1); timers start when a CALL is written.
 */
export class OutboundCalls {
  private readonly pending = new Map<string, OutboundCall>();
  private readonly queue = new CallQueue<OutboundCall>();
  private queued = 0;
  private pumping = false;
  private channel: RpcChannel | undefined;
  private protocol: string | undefined;
  /** Calls that timed out or were aborted: their late answers are reported but not counted as bad (created on the first one). */
  private abandoned: RecentIds | undefined;

  constructor(
    private readonly host: OutboundHost,
    private readonly concurrency: number,
  ) {}

  get pendingCount(): number {
    return this.pending.size;
  }

  get queuedCount(): number {
    return this.queued;
  }

  /** Starts writing to `channel`; queued calls made for another protocol reject with ProtocolMismatchError. */
  attach(channel: RpcChannel, protocol: string): void {
    this.channel = channel;
    this.protocol = protocol;
    this.abandoned?.clear();
    for (const call of this.queue.drain()) {
      if (call.state !== 'queued') continue;
      if (call.protocol !== undefined && call.protocol !== protocol) {
        this.queued--;
        releaseCall(call);
        call.reject(new ProtocolMismatchError(protocol, call.protocol));
      } else this.queue.push(call);
    }
    this.pump();
  }

  /**
   * The channel (closed with `code`, `reason`) is gone: calls in flight reject with a ConnectionClosedError
   * (they may have reached the peer, so they are never re-sent); queued calls beyond the first `keep` reject
   * with one too. The errors (and their stacks) are only built when there is a call to reject.
   */
  detach(keep: number, code: number, reason: string): void {
    this.channel = undefined;
    if (this.pending.size > 0) {
      const error = new ConnectionClosedError(code, reason);
      for (const call of this.pending.values()) {
        releaseCall(call);
        call.reject(error);
      }
      this.pending.clear();
    }
    this.rejectQueued(keep, code, reason, undefined);
  }

  /**
   * Rejects queued calls beyond the first `keep` with a ConnectionClosedError (`message`, default: closed
   * before the call was sent).
   */
  rejectQueued(keep: number, code: number, reason: string, message: string | undefined): void {
    if (this.queue.length === 0) {
      this.queued = 0;
      return;
    }
    let kept = 0;
    let error: ConnectionClosedError | undefined;
    for (const call of this.queue.drain()) {
      if (call.state !== 'queued') continue;
      if (kept < keep) {
        kept++;
        this.queue.push(call);
        continue;
      }
      releaseCall(call);
      call.reject((error ??= new ConnectionClosedError(code, reason, message ?? `Connection closed (${code}) before the call was sent`)));
    }
    this.queued = kept;
  }

  /** Queues a call (already prepared when its protocol was known). */
  add(call: OutboundCall): void {
    if (call.signal) {
      call.onAbort = () => this.abort(call);
      call.signal.addEventListener('abort', call.onAbort, { once: true });
    }
    this.queue.push(call);
    this.queued++;
    this.pump();
  }

  /** The sent call with this id, if any. */
  get(messageId: string): OutboundCall | undefined {
    return this.pending.get(messageId);
  }

  /** Whether `messageId` belonged to a call that timed out or was aborted (forgotten once asked). */
  takeAbandoned(messageId: string): boolean {
    return this.abandoned !== undefined && this.abandoned.delete(messageId);
  }

  /** Settles a sent call with the peer's answer and sends the next queued one. */
  settle(call: OutboundCall, ok: boolean, value: unknown): void {
    this.pending.delete(call.messageId);
    releaseCall(call);
    if (ok) call.resolve(value);
    else call.reject(value);
    this.host.onSettle(call, ok, value);
    this.pump();
  }

  /**
   * Writes queued calls while fewer than `concurrency` are outstanding. Not re-entrant: a channel that
   * delivers synchronously would otherwise recurse once per queued call; the running loop picks up the work.
   */
  private pump(): void {
    const channel = this.channel;
    const protocol = this.protocol;
    if (!channel || protocol === undefined || this.pumping) return;
    this.pumping = true;
    try {
      while (this.channel === channel && this.pending.size < this.concurrency) {
        const call = this.queue.shift();
        if (!call) return;
        if (call.state !== 'queued') continue; // aborted while queued (already uncounted)
        this.queued--;
        const failure = call.text === undefined ? this.host.prepare(call, protocol) : undefined;
        if (failure || this.pending.has(call.messageId)) {
          releaseCall(call);
          call.reject(failure ?? new TypeError(`Message id ${call.messageId} is already pending`));
          continue;
        }
        call.state = 'sent';
        call.sentAt = performance.now();
        this.pending.set(call.messageId, call);
        if (call.timeoutMs <= MAX_TIMER_MS) call.timer = setTimeout(this.onTimeout, call.timeoutMs, call);
        this.host.onSend(call);
        channel.send(call.text as string);
      }
    } finally {
      this.pumping = false;
    }
  }

  private readonly onTimeout = (call: OutboundCall): void => {
    if (call.state !== 'sent') return;
    (this.abandoned ??= new RecentIds(64)).add(call.messageId, call.action);
    this.settle(call, false, new TimeoutError(call.action, call.messageId, call.timeoutMs));
  };

  private abort(call: OutboundCall): void {
    const reason: unknown = call.signal?.reason;
    if (call.state === 'queued') {
      this.queued--;
      releaseCall(call);
      call.reject(reason);
    } else if (call.state === 'sent') {
      (this.abandoned ??= new RecentIds(64)).add(call.messageId, call.action);
      this.settle(call, false, reason);
    }
  }
}
