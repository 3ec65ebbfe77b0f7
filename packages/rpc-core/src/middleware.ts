/** Context of message middleware: an onion around every call and SEND, both ways. */
export interface MessageContext {
  direction: 'in' | 'out';
  kind: 'call' | 'send';
  protocol: string;
  action: string;
  messageId: string;
  /** Request payload; outbound middleware may replace it before `next()`. */
  params: unknown;
  /** Response payload after `next()` resolved; middleware may replace it. */
  result?: unknown;
  /** The failure, when `next()` rejected. */
  error?: unknown;
  /** Shared by the middleware of this call (and the handler, inbound). */
  state: Record<string, unknown>;
}

/**
 * Message middleware, koa-style: do work, `await next()`, do more work. Throwing (or rejecting) fails the
 * call; an inbound failure is answered with a CALLERROR via toRpcError.
 *
 * @example
 * endpoint.use(async (ctx, next) => { const t = performance.now(); await next(); log(ctx.action, performance.now() - t); });
 */
export type MessageMiddleware = (ctx: MessageContext, next: () => Promise<void>) => Promise<void> | void;

/** Runs `ctx` through `middleware` with `inner` at the centre. Never throws synchronously. */
export function runMiddleware(
  middleware: readonly MessageMiddleware[],
  ctx: MessageContext,
  inner: () => Promise<void>,
): Promise<void> {
  let reached = -1;
  const dispatch = (i: number): Promise<void> => {
    if (i <= reached) return Promise.reject(new Error('next() called more than once by one middleware'));
    reached = i;
    const fn = middleware[i];
    try {
      return Promise.resolve(fn ? fn(ctx, () => dispatch(i + 1)) : inner());
    } catch (err) {
      return Promise.reject(err);
    }
  };
  return dispatch(0);
}
