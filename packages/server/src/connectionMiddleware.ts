import type { Handshake } from './handshake.js';

/** Context of connection middleware: runs before the WebSocket is accepted. */
export interface ConnectionContext {
  readonly handshake: Handshake;
  /** Passed on to auth and to `client.state`. */
  readonly state: Record<string, unknown>;
  /** Aborted when the handshake times out or the socket goes away: stop slow lookups early. */
  readonly signal: AbortSignal;
  /** Refuses the upgrade with an HTTP status (400–599) and a short text message. */
  reject(status: number, message?: string): void;
}

/** Connection middleware (onion): call `next()` to continue, `ctx.reject()` to refuse. */
export type ConnectionMiddleware = (ctx: ConnectionContext, next: () => Promise<void>) => Promise<void> | void;

/**
 * Identity function that gives a middleware its types.
 * @example
 * server.use(defineMiddleware(async (ctx, next) => {
 *   if (banned.has(ctx.handshake.remoteAddress)) return ctx.reject(403, 'Forbidden');
 *   await next();
 * }));
 */
export function defineMiddleware(mw: ConnectionMiddleware): ConnectionMiddleware {
  return mw;
}

/** Outcome of the connection middleware chain. */
export type ChainOutcome = { ok: true } | { ok: false; status: number; message: string };

/** Thrown inside the chain by `reject()` to unwind every pending middleware. */
export class HandshakeRejection extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'HandshakeRejection';
  }
}

/**
 * Runs a middleware chain. The chain succeeds only if its last middleware called `next()`;
 * a middleware that returns without calling `next()` or `reject()` refuses with 403.
 */
export async function runConnectionMiddleware(
  middleware: readonly ConnectionMiddleware[],
  handshake: Handshake,
  state: Record<string, unknown>,
  signal: () => AbortSignal = () => new AbortController().signal,
): Promise<ChainOutcome> {
  let reachedEnd = middleware.length === 0;
  const ctx: ConnectionContext = {
    handshake,
    state,
    get signal() {
      return signal();
    },
    reject(status, message) {
      throw new HandshakeRejection(status, message ?? 'Connection refused');
    },
  };
  const dispatch = async (i: number): Promise<void> => {
    const mw = middleware[i];
    if (!mw) {
      reachedEnd = true;
      return;
    }
    let called = false;
    await mw(ctx, async () => {
      if (called) throw new Error('next() called twice in connection middleware');
      called = true;
      await dispatch(i + 1);
    });
  };
  try {
    if (middleware.length > 0) await dispatch(0);
  } catch (err) {
    if (err instanceof HandshakeRejection) return { ok: false, status: err.status, message: err.message };
    throw err;
  }
  if (!reachedEnd) return { ok: false, status: 403, message: 'Connection refused' };
  return { ok: true };
}
