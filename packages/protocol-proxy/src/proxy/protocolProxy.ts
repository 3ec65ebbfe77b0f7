import { EventEmitter } from 'node:events';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { ConnectionRefusedError, OCPPClient } from '@chargewire/client';
import { NotConnectedError, RpcError, type HandlerContext } from '@chargewire/rpc-core';
import { OCPPServer, type AuthContext, type ServerClient } from '@chargewire/server';
import { sanitizeDescription, type TranslationFailure } from '../engine/errors.js';
import type { CallOutcome, OutboundCall } from '../engine/plan.js';
import { createTranslator, type CallDirection, type Translator } from '../engine/translator.js';
import type { UpstreamProtocol } from '../wire/types.js';
import { ChargerSession } from './chargerSession.js';
import { runMiddleware, type ProxyCallContext, type ProxyMiddleware } from './middleware.js';
import { DEFAULT_DOWNSTREAM_LIMITS, DEFAULT_REFUSAL_CACHE_MS, type ProtocolProxyOptions } from './options.js';
import { failedOutcome } from './outcomes.js';
import { RefusalCache } from './refusalCache.js';
import { assertChargersAuthenticated } from './unauthenticatedChargers.js';

/** Emitted (`'translation'`) for every call that crossed the proxy, translated or refused. */
export interface TranslationEvent {
  identity: string;
  direction: CallDirection;
  /** The action as received. */
  actionIn: string;
  /** The actions sent to the other side, in order (empty when refused or answered by the proxy). */
  actionsOut: string[];
  ok: boolean;
  /** The CALLERROR code returned to the caller, when not ok. */
  errorCode?: string;
  /** Time from receiving the call to answering it. */
  latencyMs: number;
  /** What the translation could not carry over (see the policies). */
  notes: readonly string[];
}

/** Emitted (`'connect'`, `'disconnect'`) when a charger's pair of connections opens or ends. */
export interface SessionEvent {
  identity: string;
  code?: number;
  reason?: string;
}

/** Why the proxy refused a charger's handshake (`'refused'`). */
export interface RefusedEvent {
  identity: string;
  status: number;
  reason: string;
  /** The backend refused this identity moments ago: the proxy answered from its refusal cache. */
  cached?: boolean;
}

/** The close codes the proxy uses toward chargers (RFC 6455 §7.4.1). */
const TRY_AGAIN_LATER = 1013;

function connectedSince(session: ChargerSession): { connectedSince?: Date } {
  const at = session.charger?.connectedAt;
  return at === undefined ? {} : { connectedSince: new Date(at) };
}

/**
 * OCPP 1.6 chargers in front of an OCPP 2.0.1 backend. Each charger gets its own upstream connection, opened
 * while the charger's handshake waits (a refused or unreachable backend refuses the charger), and every frame
 * is translated both ways by the {@link Translator}.
 *
 * Events: `translation` ({@link TranslationEvent}), `connect` / `disconnect` ({@link SessionEvent}),
 * `upstreamDisconnect` / `upstreamReconnect` ({@link SessionEvent}), `refused` ({@link RefusedEvent}), `error`.
 */
export class ProtocolProxy extends EventEmitter {
  readonly translator: Translator;
  /** The 1.6 server chargers connect to. */
  readonly server: OCPPServer;
  readonly #options: ProtocolProxyOptions;
  readonly #upstreamProtocol: UpstreamProtocol;
  readonly #sessions = new Map<string, ChargerSession>();
  readonly #middleware: ProxyMiddleware[] = [];
  readonly #httpsServer: HttpsServer | undefined;
  readonly #refusals: RefusalCache;
  #closing: Promise<void> | undefined;

  constructor(options: ProtocolProxyOptions) {
    super();
    assertChargersAuthenticated(options);
    this.#options = options;
    this.#refusals = new RefusalCache(options.upstream.refusalCacheMs ?? DEFAULT_REFUSAL_CACHE_MS);
    this.#upstreamProtocol = options.upstream.protocol ?? 'ocpp2.0.1';
    const t = options.translator;
    this.translator =
      t && 'chargerCall' in t ? t : createTranslator({ ...(t ?? {}), upstreamProtocol: this.#upstreamProtocol });
    if (this.translator.upstreamProtocol !== this.#upstreamProtocol) {
      throw new TypeError(`translator speaks ${this.translator.upstreamProtocol} upstream, the proxy ${this.#upstreamProtocol}`);
    }
    if (options.tls && !options.server) {
      const { key, cert, ca, requestCert = false } = options.tls;
      this.#httpsServer = createHttpsServer({ key, cert, ...(ca !== undefined && { ca }), requestCert, rejectUnauthorized: requestCert });
    }
    const down = options.downstream ?? {};
    const server = options.server ?? this.#httpsServer;
    const limits = DEFAULT_DOWNSTREAM_LIMITS;
    this.server = new OCPPServer({
      protocols: ['ocpp1.6'],
      // The server counts connection attempts per address before auth runs, so a refused flood never reaches
      // `verify` or opens an upstream connection.
      maxConnections: down.maxConnections ?? limits.maxConnections,
      connectionRateLimit: down.connectionRateLimit ?? { ...limits.connectionRateLimit },
      messageRateLimit: down.messageRateLimit ?? { ...limits.messageRateLimit },
      maxPayload: down.maxPayload ?? limits.maxPayload,
      maxBadMessages: down.maxBadMessages ?? limits.maxBadMessages,
      strictMode: down.strictMode ?? true,
      ...(down.callTimeoutMs !== undefined && { callTimeoutMs: down.callTimeoutMs }),
      ...(down.securityProfile !== undefined && { securityProfile: down.securityProfile }),
      ...(down.path !== undefined && { path: down.path }),
      ...(down.pingIntervalMs !== undefined && { pingIntervalMs: down.pingIntervalMs }),
      ...(server && { server }),
      ...(options.logger && { logger: options.logger }),
      // Leave a margin for the upstream connect that runs inside auth.
      handshakeTimeoutMs: (options.upstream.connectTimeoutMs ?? 8000) + 2000,
    });
    this.server.auth((ctx) => this.#authenticate(ctx));
    this.server.on('client', (client: ServerClient) => this.#attach(client));
    this.server.on('error', (err: Error) => this.#error(err));
  }

  /** Chargers currently connected through the proxy, by identity. */
  get sessions(): ReadonlyMap<string, ChargerSession> {
    return this.#sessions;
  }

  /** Adds a middleware around every translated call (both directions). */
  use(middleware: ProxyMiddleware): this {
    this.#middleware.push(middleware);
    return this;
  }

  /**
   * Starts listening (own HTTP server, or HTTPS when `tls` is set). Not needed when `server` was given.
   * @default port and host from `options.listen`, else port 0 on 127.0.0.1
   */
  async listen(port = this.#options.listen?.port ?? 0, host = this.#options.listen?.host ?? '127.0.0.1'): Promise<AddressInfo> {
    if (this.#options.server) throw new TypeError('The proxy is attached to the given `server`: listen on that server instead');
    const https = this.#httpsServer;
    if (!https) return this.server.listen(port, host);
    await new Promise<void>((resolve, reject) => {
      https.once('error', reject);
      https.listen(port, host, () => {
        https.off('error', reject);
        resolve();
      });
    });
    return https.address() as AddressInfo;
  }

  /** Disconnects every charger and upstream connection and stops listening. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await Promise.all([...this.#sessions.values()].map((s) => s.close(1001, 'Proxy shutting down')));
      await this.server.close({ code: 1001, reason: 'Proxy shutting down' });
      const https = this.#httpsServer;
      if (https?.listening) await new Promise<void>((resolve) => https.close(() => resolve()));
    })();
    return this.#closing;
  }

  async #upstreamPassword(ctx: AuthContext): Promise<string | Uint8Array | undefined> {
    const mode = this.#options.auth?.upstreamPassword ?? 'passthrough';
    if (mode === 'none') return undefined;
    if (mode === 'passthrough') return ctx.handshake.password;
    return mode(ctx.handshake.identity, ctx.handshake);
  }

  /** Runs during the charger's handshake: the upstream connection opens first, so a refusal reaches the charger. */
  async #authenticate(ctx: AuthContext): Promise<void> {
    const { identity } = ctx.handshake;
    // Read first: the signal only reports a socket that goes away after it was first read.
    const handshake = ctx.signal;
    const refuse = (status: number, reason: string, cached = false) => {
      ctx.reject(status, reason);
      this.emit('refused', { identity, status, reason, ...(cached && { cached }) } satisfies RefusedEvent);
    };
    if (this.#closing) return refuse(503, 'Proxy shutting down');
    // Same answer as the backend gave, without asking it again (the charger cannot tell the difference).
    const refusedBefore = this.#refusals.get(identity);
    if (refusedBefore !== undefined) return refuse(refusedBefore, 'Refused by the backend', true);
    try {
      const verify = this.#options.auth?.verify;
      if (verify && !(await verify(ctx.handshake))) return refuse(401, 'Unauthorized');
      const up = this.#options.upstream;
      const password = await this.#upstreamPassword(ctx);
      const upstream = new OCPPClient({
        endpoint: up.url,
        identity,
        protocols: [this.#upstreamProtocol],
        ...(password !== undefined && { password }),
        ...(up.tls && { tls: up.tls }),
        ...(up.headers && { headers: up.headers }),
        strictMode: up.strictMode ?? true,
        ...(up.callTimeoutMs !== undefined && { callTimeoutMs: up.callTimeoutMs }),
        ...(up.backoff && { backoff: up.backoff }),
        ...(up.pingIntervalMs !== undefined && { pingIntervalMs: up.pingIntervalMs }),
        handshakeTimeoutMs: up.connectTimeoutMs ?? 8000,
        reconnect: true,
        offlineQueue: 0,
      });
      const session = new ChargerSession(identity, upstream);
      upstream.handle((hctx: HandlerContext) => this.#backendCall(session, hctx));
      upstream.on('error', () => undefined);
      session.endWithHandshake(handshake);
      try {
        await upstream.connect();
      } catch (err) {
        // The charger left while its upstream was opening (the session closed it): nobody to refuse.
        if (session.closed) return ctx.reject(503, 'Charger left during the handshake');
        await upstream.close().catch(() => undefined);
        if (err instanceof ConnectionRefusedError && (err.status === 401 || err.status === 403)) {
          this.#refusals.remember(identity, err.status);
          return refuse(err.status, 'Refused by the backend');
        }
        return refuse(503, 'Backend unreachable');
      }
      // The new connection replaces an old one of the same identity only once the backend accepted it (so an
      // unauthenticated attempt cannot kick a charger off); ending the old upstream at once also stops it from
      // reconnecting and pushing the new one out at the backend.
      if (session.closed) return ctx.reject(503, 'Charger left during the handshake');
      const previous = this.#sessions.get(identity);
      if (previous) {
        this.#sessions.delete(identity);
        await previous.close(1000, 'Replaced by a new connection');
      }
      ctx.accept({ session });
      // If the charger's socket never arrives (it went away mid-handshake), do not keep its upstream open.
      setTimeout(() => {
        if (!session.charger) void session.close(1001, 'Charger never connected');
      }, 10_000).unref();
    } catch (err) {
      this.#error(err);
      refuse(500, 'Internal error');
    }
  }

  #attach(client: ServerClient): void {
    const session = client.session;
    if (!(session instanceof ChargerSession) || session.closed) {
      client.close(TRY_AGAIN_LATER, 'No upstream connection');
      return;
    }
    const { identity, upstream } = session;
    session.bind(client);
    this.#sessions.set(identity, session);
    client.handle((hctx: HandlerContext) => this.#chargerCall(session, hctx));
    client.on('close', ({ code, reason }: { code: number; reason: string }) => {
      if (this.#sessions.get(identity) === session) this.#sessions.delete(identity);
      void session.close(1000, 'Charger disconnected');
      this.emit('disconnect', { identity, code, reason } satisfies SessionEvent);
    });
    upstream.on('disconnect', ({ code, reason }: { code: number; reason: string }) => {
      // The proxy ended the upstream itself (the charger left): not a loss, and nothing reconnects.
      if (session.closed) return;
      this.emit('upstreamDisconnect', { identity, code, reason } satisfies SessionEvent);
      if ((this.#options.whenUpstreamDown ?? 'error') === 'disconnect') void session.close(TRY_AGAIN_LATER, 'Backend connection lost');
    });
    upstream.on('open', () => this.emit('upstreamReconnect', { identity } satisfies SessionEvent));
    upstream.on('close', () => {
      // The upstream gave up (or was refused on reconnect): the charger cannot be served any more.
      void session.close(TRY_AGAIN_LATER, 'Backend connection closed');
    });
    this.emit('connect', { identity } satisfies SessionEvent);
  }

  #chargerCall(session: ChargerSession, hctx: HandlerContext): Promise<unknown> {
    return this.#exchange(session, 'charger', hctx, async (calls) => {
      const outcomes: CallOutcome[] = [];
      const wait = this.#options.upstreamWaitMs ?? 10_000;
      const run = async (call: OutboundCall) => {
        try {
          return await session.upstream.callRaw(call.action, call.params);
        } catch (err) {
          // NotConnectedError: the frame never left, so it can go out once after the upstream is back.
          if (err instanceof NotConnectedError && (await session.waitForUpstream(wait))) return session.upstream.callRaw(call.action, call.params);
          throw err;
        }
      };
      for (const call of calls) outcomes.push(await this.#send(() => run(call), call, 'backend'));
      return outcomes;
    });
  }

  #backendCall(session: ChargerSession, hctx: HandlerContext): Promise<unknown> {
    return this.#exchange(session, 'backend', hctx, async (calls) => {
      const charger = await session.waitForCharger(this.#options.upstream.connectTimeoutMs ?? 8000);
      const outcomes: CallOutcome[] = [];
      for (const call of calls) {
        outcomes.push(
          charger?.connected
            ? await this.#send(() => charger.callRaw(call.action, call.params), call, 'charger')
            : { ok: false, error: { code: 'InternalError', description: `${call.action}: the charger is not connected`, details: {} } },
        );
      }
      return outcomes;
    });
  }

  async #send(run: () => Promise<unknown>, call: OutboundCall, peer: 'backend' | 'charger'): Promise<CallOutcome> {
    try {
      return { ok: true, result: await run() };
    } catch (err) {
      return failedOutcome(err, call.action, peer);
    }
  }

  /** One call across the proxy: middleware → translate → send (in order) → translate the answer. */
  async #exchange(
    session: ChargerSession,
    direction: CallDirection,
    hctx: HandlerContext,
    send: (calls: readonly OutboundCall[]) => Promise<CallOutcome[]>,
  ): Promise<unknown> {
    const started = performance.now();
    const { identity } = session;
    const ctx: ProxyCallContext = { identity, direction, action: hctx.action, params: hctx.params, state: hctx.state };
    let notes: readonly string[] = [];
    let followUps: readonly OutboundCall[] = [];
    let details: Record<string, unknown> = {};
    const fail = (failure: TranslationFailure) => {
      ctx.error = { code: failure.code, description: failure.description };
      details = failure.details;
    };
    try {
      await runMiddleware(this.#middleware, ctx, async () => {
        if (direction === 'charger' && !(await session.waitForUpstream(this.#options.upstreamWaitMs ?? 10_000))) {
          // Checked before translating, so no transaction state (seqNo, ids) moves for a call that cannot go out.
          return fail({ code: 'InternalError', description: 'The backend is unreachable; try again later', details: {} });
        }
        const tr = direction === 'charger'
          ? await this.translator.chargerCall(identity, ctx.action, ctx.params, connectedSince(session))
          : await this.translator.backendCall(identity, ctx.action, ctx.params);
        notes = tr.notes;
        if (!tr.ok) return fail(tr.error);
        ctx.calls = tr.calls;
        const outcomes = await send(tr.calls);
        const res = direction === 'charger'
          ? await this.translator.chargerResult(tr.context, outcomes)
          : await this.translator.backendResult(tr.context, outcomes);
        notes = res.notes;
        if (!res.ok) return fail(res.error);
        ctx.result = res.result;
        followUps = res.followUps;
      });
    } catch (err) {
      this.#error(err);
      ctx.error = { code: 'InternalError', description: 'The proxy failed to handle this call' };
    }
    const error: ProxyCallContext['error'] = ctx.error ?? (ctx.result === undefined ? { code: 'InternalError', description: 'No answer was produced' } : undefined);
    const event: TranslationEvent = {
      identity,
      direction,
      actionIn: ctx.action,
      actionsOut: (ctx.calls ?? []).map((c) => c.action),
      ok: !error,
      ...(error && { errorCode: error.code }),
      latencyMs: performance.now() - started,
      notes,
    };
    this.#options.logger?.debug({ event: 'translation', ...event }, `${event.actionIn} → ${event.actionsOut.join(', ') || '(none)'}`);
    this.emit('translation', event);
    // Descriptions written by one side (or by middleware) reach the other side's logs and displays: never raw.
    if (error) throw new RpcError(error.code, sanitizeDescription(error.description), details);
    // Follow-ups (a NotifyReport after GetBaseReport) must reach the caller after the answer: the answer goes out
    // in the microtasks after this handler returns, the follow-ups on a later turn of the event loop.
    if (followUps.length > 0) setImmediate(() => void this.#sendFollowUps(session, direction, followUps));
    return ctx.result;
  }

  async #sendFollowUps(session: ChargerSession, direction: CallDirection, calls: readonly OutboundCall[]): Promise<void> {
    for (const call of calls) {
      try {
        if (direction === 'backend') await session.upstream.callRaw(call.action, call.params);
        else await session.charger?.callRaw(call.action, call.params);
      } catch (err) {
        this.#options.logger?.warn({ event: 'followUpFailed', identity: session.identity, action: call.action }, 'A follow-up call failed');
        this.#error(err);
      }
    }
  }

  #error(err: unknown): void {
    if (this.listenerCount('error') > 0) this.emit('error', err instanceof Error ? err : new Error(String(err)));
  }
}

/**
 * Creates a proxy; call `listen()` to start its own server, or pass `server` to share an HTTP(S) server.
 * @example
 * const proxy = createProtocolProxy({ upstream: { url: 'wss://csms.example.com/ocpp', protocol: 'ocpp2.0.1' } });
 * await proxy.listen(9000, '0.0.0.0');
 */
export function createProtocolProxy(options: ProtocolProxyOptions): ProtocolProxy {
  return new ProtocolProxy(options);
}
