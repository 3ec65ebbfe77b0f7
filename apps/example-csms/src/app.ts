import { randomUUID } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { OCPPServer, formatPrometheus, type Logger as ServerLogger } from '@chargewire/server';
import { createRedisAdapter } from '@chargewire/redis-adapter';
import { closeCluster, ClusterEventBridge, connectCluster, createClusterConnections } from './cluster.js';
import type { CsmsProtocol, SecurityProfile } from './config.js';
import type { CsmsEvent } from './domain/events.js';
import { CsmsService, type UnknownChargerPolicy } from './domain/csmsService.js';
import { silentLogger, type Logger } from './logger.js';
import { OperatorCredentials } from './auth/operatorCredentials.js';
import { requireOperator } from './auth/requireOperator.js';
import { rejectCrossSite } from './auth/sameOrigin.js';
import { sessionRoutes } from './auth/sessionRoutes.js';
import { ConnectionHistory } from './domain/connectionHistory.js';
import { MessageLog, type MessageLogOptions } from './domain/messageLog.js';
import { StatsHistory } from './domain/statsHistory.js';
import { attachCharger, registerOcppHandlers } from './ocpp/attachCharger.js';
import { chargerAuth } from './ocpp/chargerAuth.js';
import { PasswordThrottle, type PasswordThrottleOptions } from './ocpp/passwordThrottle.js';
import type { ChargerDirectory } from './rest/chargerDirectory.js';
import { errorHandler } from './rest/errorHandler.js';
import { EventStream, type EventStreamOptions } from './rest/eventStream.js';
import { restApi } from './rest/restApi.js';
import { seedFreshDatabase } from './seed.js';
import { SiteCharging } from './domain/siteCharging.js';
import { siteRoutes } from './rest/siteRoutes.js';
import { openStore } from './store/openStore.js';
import type { Store } from './store/store.js';

/** The OCPP WebSocket endpoint; the REST API lives under the same `/api/v1` prefix. */
export const OCPP_ROUTE = '/api/v1/chargers/:id';

/** Options of {@link createCsms}; `loadConfig()` produces a compatible object from the environment. */
export interface CsmsOptions {
  /** @default 3000 */
  port?: number;
  /** @default '0.0.0.0' */
  host?: string;
  /** SQLite file (created and migrated on first start) or `:memory:`; not used when `databaseUrl` is set. */
  databaseFile: string;
  /** `postgres://…`: PostgreSQL (created tables, migrated on start), shared by instances on several hosts. */
  databaseUrl?: string | undefined;
  /** Most PostgreSQL connections of this instance. @default 10 */
  databasePoolSize?: number | undefined;
  /** Cluster mode: presence and cross-node calls through Redis. */
  redisUrl?: string | undefined;
  /** @default 'chargewire-csms' */
  redisPrefix?: string;
  /** @default 'node-<random>' */
  nodeId?: string | undefined;
  /** @default 'accept' */
  unknownChargers?: UnknownChargerPolicy;
  /** Accepted subprotocols in preference order. @default ['ocpp2.0.1', 'ocpp1.6'] */
  protocols?: CsmsProtocol[];
  /** 0: auth only for chargers with stored credentials; 1: Basic auth for every charger. @default 0 */
  securityProfile?: SecurityProfile;
  /** @default 300 */
  heartbeatIntervalS?: number;
  /** Timeout of CALLs to chargers (REST commands may override it with `?timeoutMs=`). @default 30000 */
  callTimeoutMs?: number;
  /** WebSocket ping interval; 0 disables. @default 30000 */
  pingIntervalMs?: number;
  /** Seed a fresh database with the demo id tag. @default true */
  seed?: boolean;
  /** @default silent */
  logger?: Logger;
  /**
   * The operator token (ADMIN_TOKEN). Unset: the first start generates one, stores its hash and returns it
   * once as `csms.generatedAdminToken`.
   */
  adminToken?: string | undefined;
  /** Replace the stored admin token with a new one (ROTATE_ADMIN_TOKEN=1). @default false */
  rotateAdminToken?: boolean;
  /** Express `trust proxy` (TRUST_PROXY). @default false */
  trustProxy?: boolean | number | string;
  /** Dashboard session lifetime. @default 43200000 (12 h) */
  sessionTtlMs?: number;
  /** Bounds on charger password checks (see PasswordThrottleOptions for the defaults). */
  passwordThrottle?: PasswordThrottleOptions;
  /** Bounds of the event stream (see EventStreamOptions for the defaults). */
  eventStream?: EventStreamOptions;
  /** Bounds of the per-charger OCPP message log (see MessageLogOptions for the defaults). */
  messageLog?: MessageLogOptions;
  /** How often the dashboard's server statistics are sampled. @default 2000 */
  statsIntervalMs?: number;
  /** Site grid limit in kW (SITE_LIMIT_KW): running transactions are kept under it by charging profiles. @default off */
  siteLimitKw?: number | undefined;
}

/** A running (or ready to run) CSMS instance. */
export interface Csms {
  readonly httpServer: HttpServer;
  readonly ocppServer: OCPPServer;
  readonly store: Store;
  readonly service: CsmsService;
  readonly nodeId: string;
  /** The admin token created by this start (first start, or rotation), to print once; else undefined. */
  readonly generatedAdminToken: string | undefined;
  /** Connects Redis (cluster mode), clears stale connection rows, and listens. */
  listen(): Promise<AddressInfo>;
  /** Graceful shutdown: chargers closed with 1001, HTTP server closed, Redis released, database closed. */
  close(): Promise<void>;
}

const publicDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'public');

/** Adapts the app logger to the pino-style `(fields, message)` logger the server package takes. */
function toServerLogger(logger: Logger): ServerLogger {
  const wrap = (level: 'debug' | 'info' | 'warn' | 'error') => (obj: object, msg?: string) => logger[level](msg ?? 'ocpp server', obj as Record<string, unknown>);
  return { debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error') };
}

/**
 * Builds the CSMS: Express 5 (REST under `/api/v1`, dashboard, `/health`, `/metrics`) and the OCPP
 * server on ONE `http.Server`. Opens (and migrates) the store; nothing listens until `listen()`.
 */
export async function createCsms(options: CsmsOptions): Promise<Csms> {
  if (options.siteLimitKw !== undefined && options.redisUrl !== undefined) throw new Error('siteLimitKw works with a single instance (no redisUrl)');
  const store = await openStore(options);
  try {
    return await assemble(options, store);
  } catch (err) {
    await store.close();
    throw err;
  }
}

/** Everything around an open store; createCsms closes the store again when this fails. */
async function assemble(options: CsmsOptions, store: Store): Promise<Csms> {
  const logger = options.logger ?? silentLogger;
  const nodeId = options.nodeId ?? `node-${randomUUID().slice(0, 8)}`;
  const protocols = options.protocols ?? ['ocpp2.0.1', 'ocpp1.6'];
  const securityProfile = options.securityProfile ?? 0;
  const callTimeoutMs = options.callTimeoutMs ?? 30_000;
  const redisPrefix = options.redisPrefix ?? 'chargewire-csms';

  const service = new CsmsService({
    store,
    logger,
    unknownChargers: options.unknownChargers ?? 'accept',
    heartbeatIntervalS: options.heartbeatIntervalS ?? 300,
  });
  if (options.seed !== false && (await seedFreshDatabase(store, service.now())).seeded) {
    logger.info('fresh database: seeded the demo id tag');
  }

  const credentials = new OperatorCredentials({
    store,
    adminToken: options.adminToken,
    now: () => service.now(),
    ...(options.sessionTtlMs === undefined ? {} : { sessionTtlMs: options.sessionTtlMs }),
  });
  const generatedAdminToken = await credentials.ensureAdminToken(options.rotateAdminToken === true);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? false);
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.debug('http', { method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 });
    });
    // The dashboard loads only its own files and talks only to this origin.
    res.setHeader('Content-Security-Policy', "default-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });
  const httpServer = createServer(app);
  let closing = false;
  const cluster = options.redisUrl === undefined ? undefined : createClusterConnections(options.redisUrl, logger);
  const bridge = cluster === undefined ? undefined : new ClusterEventBridge(cluster, redisPrefix, nodeId, logger);

  const ocppServer = new OCPPServer({
    server: httpServer,
    protocols,
    strictMode: true,
    securityProfile,
    callTimeoutMs,
    pingIntervalMs: options.pingIntervalMs ?? 30_000,
    nodeId,
    logger: toServerLogger(logger),
    ...(cluster === undefined ? {} : { adapter: createRedisAdapter({ pub: cluster.pub, sub: cluster.adapterSub, prefix: redisPrefix }) }),
  });
  const messages = new MessageLog(options.messageLog);
  ocppServer.auth(chargerAuth(store, securityProfile, new PasswordThrottle(options.passwordThrottle), logger));
  const chargers = ocppServer.route(OCPP_ROUTE);
  registerOcppHandlers(chargers, service, logger);
  chargers.on('client', (client) => attachCharger(client, service, messages, logger));
  ocppServer.on('error', (err: unknown) => logger.error('ocpp server error', { err }));

  const events = new EventStream(options.eventStream);
  const connections = new ConnectionHistory();
  const statsHistory = new StatsHistory(() => ocppServer.stats(), { intervalMs: options.statsIntervalMs ?? 2000 });
  messages.on('entry', (entry) => events.publishMessage(entry));
  const onClusterEvent = (event: CsmsEvent): void => {
    connections.record(event);
    events.publish(event);
  };
  const site = options.siteLimitKw === undefined ? undefined : new SiteCharging(ocppServer, store, { limitKw: options.siteLimitKw }, logger);
  await site?.resume();
  service.on('event', (event) => {
    onClusterEvent(event);
    bridge?.publish(event);
    site?.onEvent(event);
  });

  const directory: ChargerDirectory = {
    nodeId,
    isLocal: (chargerId) => ocppServer.clients.has(chargerId),
    disconnectLocal: (chargerId, reason) => ocppServer.clients.get(chargerId)?.close(1000, reason),
    async find(chargerId) {
      const handle = await ocppServer.findClient(chargerId);
      if (handle === undefined) return undefined;
      const protocol = (handle as { protocol?: unknown }).protocol;
      if (protocol !== 'ocpp1.6' && protocol !== 'ocpp2.0.1') return undefined;
      return { link: handle, protocol, nodeId: handle.nodeId, isLocal: handle.isLocal };
    },
  };

  app.get('/health', (_req, res) => {
    const healthy = !closing && store.isOpen;
    res.status(healthy ? 200 : 503).json({
      status: healthy ? 'ok' : 'shutting-down',
      nodeId,
      protocols,
      cluster: options.redisUrl !== undefined,
      connectedChargers: ocppServer.clients.size,
      uptimeSeconds: Math.round(process.uptime()),
    });
  });
  // Everything below needs an operator (bearer token or dashboard session) except the login page and its
  // assets. Cross-site state changes are refused first, whatever credential they carry.
  app.use(rejectCrossSite);
  app.use('/auth', sessionRoutes(credentials));
  for (const file of ['login.html', 'login.js', 'dashboard.css']) {
    const path = file === 'login.html' ? '/login' : `/${file}`;
    app.get(path, (_req, res) => res.sendFile(resolve(publicDir, file)));
  }
  app.use(requireOperator(credentials));
  app.get('/metrics', async (_req, res) => {
    const stats = ocppServer.stats();
    const registered = store.isOpen ? await store.chargers.count() : 0;
    const active = store.isOpen ? (await store.transactions.list({ active: true, limit: 1, offset: 0 })).total : 0;
    const extra = [
      '# HELP csms_chargers_registered Chargers in the database.',
      '# TYPE csms_chargers_registered gauge',
      `csms_chargers_registered ${registered}`,
      '# HELP csms_transactions_active Transactions not yet stopped.',
      '# TYPE csms_transactions_active gauge',
      `csms_transactions_active ${active}`,
      '',
    ].join('\n');
    res.type('text/plain; version=0.0.4').send(formatPrometheus(stats) + extra);
  });
  app.use('/api/v1', siteRoutes(site));
  app.use(
    '/api/v1',
    restApi({
      service,
      directory,
      events,
      commandTimeoutMs: callTimeoutMs,
      monitoring: { stats: () => ocppServer.stats(), statsHistory, connections, messages },
    }),
  );
  app.get('/charger', (_req, res) => res.sendFile(resolve(publicDir, 'charger.html')));
  app.use(express.static(publicDir, { index: 'index.html', maxAge: 0 }));
  app.use(errorHandler(logger));

  let closed: Promise<void> | undefined;
  const csms: Csms = {
    httpServer,
    ocppServer,
    store,
    service,
    nodeId,
    generatedAdminToken,

    async listen() {
      if (cluster !== undefined && bridge !== undefined) {
        await connectCluster(cluster);
        await bridge.start(onClusterEvent);
      }
      // Rows left "connected" by an earlier run of this node (or, single-instance, by any run) are stale.
      const stale = await store.chargers.clearConnectionsOfNode(options.redisUrl === undefined ? null : nodeId, service.now());
      if (stale > 0) logger.info('cleared stale connection records', { count: stale });
      await new Promise<void>((resolveListen, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(options.port ?? 3000, options.host ?? '0.0.0.0', () => {
          httpServer.off('error', reject);
          resolveListen();
        });
      });
      return httpServer.address() as AddressInfo;
    },

    close() {
      closed ??= (async () => {
        closing = true;
        events.close();
        statsHistory.close();
        await site?.close();
        // Closes every charger with 1001 (going away) and waits for their close handshakes.
        await ocppServer.close({ code: 1001, reason: 'CSMS shutting down' });
        await new Promise<void>((resolveClose) => {
          if (!httpServer.listening) return resolveClose();
          httpServer.close(() => resolveClose());
          httpServer.closeIdleConnections();
          // Keep-alive REST clients would otherwise hold the server open.
          setTimeout(() => httpServer.closeAllConnections(), 2000).unref();
        });
        if (cluster !== undefined) await closeCluster(cluster);
        await store.close();
      })();
      return closed;
    },
  };
  return csms;
}
