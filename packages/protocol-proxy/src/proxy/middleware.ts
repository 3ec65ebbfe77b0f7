import type { OutboundCall } from '../engine/plan.js';
import type { RpcErrorCode } from '../wire/types.js';
import type { CallDirection } from '../engine/translator.js';

/** What a proxy middleware sees of one call crossing the proxy. */
export interface ProxyCallContext {
  readonly identity: string;
  /** `'charger'`: a 1.6 CALL from the charger; `'backend'`: a 2.x CALL from the backend. */
  readonly direction: CallDirection;
  /** The action as received. */
  readonly action: string;
  /** The payload as received; a middleware may replace it before `next()` (it is validated again). */
  params: unknown;
  /** The translated calls sent to the other side (set once translation ran). */
  calls?: readonly OutboundCall[];
  /** The answer for the caller (set after `next()`, or before it to answer without translating). */
  result?: unknown;
  /** The CALLERROR for the caller, if any (set after `next()`). */
  error?: { code: RpcErrorCode; description: string };
  /** Free space shared along the chain. */
  readonly state: Record<string, unknown>;
}

/**
 * Onion middleware around each translated call: code before `await next()` runs before translation, code after
 * it sees the translated calls and the answer. Not calling `next()` answers with `ctx.result`.
 */
export type ProxyMiddleware = (ctx: ProxyCallContext, next: () => Promise<void>) => Promise<void> | void;

export async function runMiddleware(chain: readonly ProxyMiddleware[], ctx: ProxyCallContext, last: () => Promise<void>): Promise<void> {
  let index = -1;
  const dispatch = async (i: number): Promise<void> => {
    if (i <= index) throw new Error('next() called twice in a proxy middleware');
    index = i;
    const mw = chain[i];
    if (!mw) return last();
    await mw(ctx, () => dispatch(i + 1));
  };
  await dispatch(0);
}
