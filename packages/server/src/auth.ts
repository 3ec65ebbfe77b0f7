import type { Handshake } from './handshake.js';

/** What `ctx.accept()` may carry into the connection. */
export interface AcceptOptions<Session = unknown> {
  /** Exposed as `client.session`. */
  session?: Session;
}

/** Context of the auth handler: decide with `accept()` or `reject()` (exactly once). */
export interface AuthContext<Session = unknown> {
  readonly handshake: Handshake;
  /** State set by connection middleware. */
  readonly state: Record<string, unknown>;
  /** Aborted when the handshake times out or the socket goes away. */
  readonly signal: AbortSignal;
  accept(options?: AcceptOptions<Session>): void;
  /** @param status HTTP status, 401 by default. */
  reject(status?: number, message?: string): void;
}

/** Auth handler, sync or async. Returning without a decision refuses the connection with 401. */
export type AuthHandler<Session = unknown> = (ctx: AuthContext<Session>) => void | Promise<void>;

export type AuthOutcome = { ok: true; session: unknown } | { ok: false; status: number; message: string };

/** Runs an auth handler and collects its first decision. */
export async function runAuth(
  handler: AuthHandler | undefined,
  handshake: Handshake,
  state: Record<string, unknown>,
  signal: () => AbortSignal = () => new AbortController().signal,
): Promise<AuthOutcome> {
  if (!handler) return { ok: true, session: undefined };
  let decision: AuthOutcome | undefined;
  const ctx: AuthContext = {
    handshake,
    state,
    get signal() {
      return signal();
    },
    accept(options) {
      decision ??= { ok: true, session: options?.session };
    },
    reject(status = 401, message = 'Unauthorized') {
      decision ??= { ok: false, status, message };
    },
  };
  await handler(ctx);
  return decision ?? { ok: false, status: 401, message: 'Unauthorized' };
}
