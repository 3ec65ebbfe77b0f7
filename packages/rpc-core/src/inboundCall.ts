import type { RpcChannel } from './channel.js';
import type { HandlerContext } from './handler.js';
import { NOREPLY } from './noreply.js';

/** Where an inbound call's outcome goes when no middleware is waiting for it. */
export interface InboundSink {
  /** What handlers get as `ctx.client`. */
  readonly client: unknown;
  respond(call: InboundCall, result: unknown): void;
  respondError(call: InboundCall, error: unknown): void;
}

/**
 * One inbound CALL or SEND being handled; it is also the handler's context, so the hot path allocates one
 * object per call. `signal` and `state` are created on first use; `reply`/`replyError` are bound so that
 * handlers may destructure them.
 */
export class InboundCall implements HandlerContext {
  /** The answer was sent (or dropped because the channel went away). */
  done = false;
  /** The handler's outcome arrived (first one wins). */
  #settled = false;
  /** The handler to run, while the call waits for a free slot (inboundConcurrency). */
  queuedHandler: ((ctx: InboundCall) => unknown) | undefined;
  /** Set while message middleware awaits the outcome. */
  waiter: { resolve(value: unknown): void; reject(error: unknown): void } | undefined;
  #controller: AbortController | undefined;
  #abortReason: unknown;
  #aborted = false;
  #shared: Record<string, unknown> | undefined;
  readonly #sink: InboundSink;

  constructor(
    sink: InboundSink,
    readonly channel: RpcChannel,
    readonly kind: 'call' | 'send',
    readonly protocol: string,
    readonly action: string,
    readonly messageId: string,
    /** Request payload (message middleware may replace it before the handler runs). */
    public params: unknown,
    readonly startedAt: number,
  ) {
    this.#sink = sink;
  }

  /** The connection's client object (read through the sink: no field per call). */
  get client(): unknown {
    return this.#sink.client;
  }

  get signal(): AbortSignal {
    if (!this.#controller) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#abortReason);
    }
    return this.#controller.signal;
  }

  get state(): Record<string, unknown> {
    return (this.#shared ??= {});
  }

  get reply(): (result: unknown) => void {
    return (result) => this.settle(true, result);
  }

  get replyError(): (error: unknown) => void {
    return (error) => this.settle(false, error);
  }

  /**
   * Records the handler's outcome; NOREPLY means "later" for a CALL. A SEND is never answered, so its
   * handler returning (NOREPLY included) finishes it: otherwise it would hold its slot until the close.
   */
  settle(ok: boolean, value: unknown): void {
    if (this.#settled || (ok && value === NOREPLY && this.kind === 'call')) return;
    this.#settled = true;
    const waiter = this.waiter;
    if (waiter) {
      if (ok) waiter.resolve(value);
      else waiter.reject(value);
    } else if (ok) this.#sink.respond(this, value);
    else this.#sink.respondError(this, value);
  }

  /**
   * The channel is gone: tell the handler through its signal, and release message middleware still
   * awaiting an answer (so its `finally` blocks, e.g. in-flight gauges, run).
   */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#abortReason = reason;
    this.#controller?.abort(reason);
    if (this.waiter && !this.#settled) {
      this.#settled = true;
      this.waiter.reject(reason);
    }
  }
}

/** Calls `handler` and routes its outcome (sync value, promise, throw) into `call.settle`. */
export function invokeHandler(call: InboundCall, handler: (ctx: InboundCall) => unknown): void {
  let out: unknown;
  try {
    out = handler(call);
  } catch (err) {
    call.settle(false, err);
    return;
  }
  if (isThenable(out)) {
    out.then(
      (value) => call.settle(true, value),
      (err: unknown) => call.settle(false, err),
    );
  } else call.settle(true, out);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
