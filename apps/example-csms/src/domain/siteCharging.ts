import type { OCPPServer } from '@chargewire/server';
import { SmartChargingEngine, sendThroughServer, type OverCommitment, type SiteNode } from '@chargewire/smart-charging';
import type { Logger } from '../logger.js';
import type { TransactionRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import type { CsmsEvent } from './events.js';
import { powerSeries } from './powerSeries.js';

/** The largest site limit the API accepts, kW (a bound, not a physical claim). */
export const MAX_SITE_LIMIT_KW = 100_000;

/** Options of {@link SiteCharging}. */
export interface SiteChargingOptions {
  /** The site's grid limit, kW (SITE_LIMIT_KW). */
  limitKw: number;
  /** Time a charger has to accept a profile, ms. @default 10000 */
  timeoutMs?: number;
}

/** One transaction's share next to what it measures, for the REST API and the dashboard. */
export interface SiteSessionView {
  transactionId: number;
  chargerId: string;
  connectorId: number;
  /** Share in the latest allocation. */
  allocatedA: number | null;
  allocatedKw: number | null;
  /** Last limit the charger accepted, A per phase. */
  confirmedA: number | null;
  /** Latest Power.Active.Import (or energy-derived power) the charger reported, kW. */
  measuredKw: number | null;
  /** Its last SetChargingProfile failed (rejected, no answer, not connected); it is retried. */
  unconfirmed: boolean;
  status: 'charging' | 'paused' | 'pinned' | 'pending';
}

/** GET /api/v1/site. */
export interface SiteView {
  limitKw: number;
  allocatedKw: number;
  measuredKw: number;
  sessions: SiteSessionView[];
  overCommitted: OverCommitment[];
}

/** A site limit given in kW: a finite number above 0, at most MAX_SITE_LIMIT_KW. */
export function isSiteLimitKw(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= MAX_SITE_LIMIT_KW;
}

/**
 * Keeps the CSMS's running transactions under one site limit with `@chargewire/smart-charging`: every
 * started transaction becomes a session of the engine, every stop removes it, every meter reading is
 * passed on, and the engine sends TxProfiles through the OCPP server.
 */
export class SiteCharging {
  readonly engine: SmartChargingEngine;
  #limitKw: number;
  readonly #store: Store;
  readonly #measuredKw = new Map<number, number>();
  readonly #logger: Logger;
  /** Events are applied one after another: a meter reading (read from the store) never overtakes a stop. */
  #queue: Promise<void> = Promise.resolve();

  constructor(ocppServer: OCPPServer, store: Store, options: SiteChargingOptions, logger: Logger) {
    if (!isSiteLimitKw(options.limitKw)) throw new RangeError(`site limit must be a number of kW in (0, ${MAX_SITE_LIMIT_KW}]`);
    this.#limitKw = options.limitKw;
    this.#store = store;
    this.#logger = logger;
    this.engine = new SmartChargingEngine({ site: siteOf(options.limitKw), send: sendThroughServer(ocppServer), timeoutMs: options.timeoutMs ?? 10_000 });
    this.engine.on('failed', (o) =>
      logger.warn('charging profile not applied', { chargerId: o.command.chargerId, transactionId: o.command.sessionId, reason: o.reason, status: o.status }),
    );
    this.engine.on('overcommitted', (report) => logger.warn('site over-committed: minimum rates do not all fit', { paused: report.flatMap((r) => r.paused) }));
  }

  /** Takes over the transactions still running from before a restart. */
  async resume(): Promise<void> {
    for (const transaction of (await this.#store.transactions.list({ active: true, limit: 10_000, offset: 0 })).items) this.#start(transaction);
  }

  get limitKw(): number {
    return this.#limitKw;
  }

  /** Feeds the engine from the CSMS's domain events (transactions of chargers on this node). */
  onEvent(event: CsmsEvent): void {
    this.#queue = this.#queue
      .then(async () => {
        if (event.type === 'transaction.started') this.#start(event.transaction);
        else if (event.type === 'transaction.stopped') {
          this.engine.stopSession(String(event.transaction.id));
          this.#measuredKw.delete(event.transaction.id);
        } else if (event.type === 'transaction.updated' && event.transaction.active) await this.#meter(event.transaction);
      })
      .catch((err: unknown) => this.#logger.error('site charging could not apply an event', { type: event.type, err }));
  }

  /** A new site limit (PUT /api/v1/site): re-allocated and dispatched at once. */
  setLimitKw(limitKw: number): void {
    if (!isSiteLimitKw(limitKw)) throw new RangeError(`site limit must be a number of kW in (0, ${MAX_SITE_LIMIT_KW}]`);
    this.#limitKw = limitKw;
    this.engine.updateSite(siteOf(limitKw));
  }

  view(): SiteView {
    const shares = new Map((this.engine.allocation?.sessions ?? []).map((s) => [s.sessionId, s]));
    const sessions = this.engine.sessions().map(({ session, confirmedA, unconfirmed }): SiteSessionView => {
      const share = shares.get(session.id);
      const transactionId = Number(session.id);
      return {
        transactionId,
        chargerId: session.chargerId,
        connectorId: session.connectorId ?? 1,
        allocatedA: share === undefined ? null : round(share.amps),
        allocatedKw: share === undefined ? null : round(share.watts / 1000),
        confirmedA: confirmedA ?? null,
        measuredKw: this.#measuredKw.get(transactionId) ?? null,
        unconfirmed,
        status: share?.status ?? 'pending',
      };
    });
    return {
      limitKw: this.#limitKw,
      allocatedKw: round(sessions.reduce((sum, s) => sum + (s.allocatedKw ?? 0), 0)),
      measuredKw: round(sessions.reduce((sum, s) => sum + (s.measuredKw ?? 0), 0)),
      sessions,
      overCommitted: this.engine.allocation?.overCommitted ?? [],
    };
  }

  async close(): Promise<void> {
    await this.#queue;
    return this.engine.close();
  }

  #start(transaction: TransactionRecord): void {
    const protocol = transaction.protocol;
    if (protocol !== 'ocpp1.6' && protocol !== 'ocpp2.0.1') return;
    this.engine.startSession({
      id: String(transaction.id),
      chargerId: transaction.chargerId,
      connectorId: transaction.connectorId,
      protocol,
      // 1.6 profiles carry the integer transactionId, 2.0.1 the charger's string id.
      transactionId: protocol === 'ocpp1.6' ? Number(transaction.ocppTransactionId) : transaction.ocppTransactionId,
      arrival: Date.parse(transaction.startedAt),
    });
  }

  async #meter(transaction: TransactionRecord): Promise<void> {
    const points = powerSeries(await this.#store.meterValues.listByTransaction(transaction.id), { at: transaction.startedAt, meterStartWh: transaction.meterStartWh });
    const latest = points.at(-1);
    if (latest === undefined) return;
    this.#measuredKw.set(transaction.id, latest.kW);
    this.engine.meter(String(transaction.id), { watts: latest.kW * 1000 });
  }
}

function siteOf(limitKw: number): SiteNode {
  return { id: 'site', maxKw: limitKw };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
