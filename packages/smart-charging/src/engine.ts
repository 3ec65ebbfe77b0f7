import { EventEmitter } from 'node:events';
import { allocate, type AllocationOptions, type AllocationResult, type SessionAllocation } from './allocate.js';
import { profileForAllocation } from './allocationProfile.js';
import type { CommandOutcome, DispatchReport, EngineSession, ProfileCommand, SendProfile, SessionState, SmartChargingEvents } from './dispatchTypes.js';
import { SmartChargingError } from './errors.js';
import type { SiteNode } from './model.js';
import { roundLimit, setChargingProfile } from './profiles.js';
import { DEFAULT_HARDWARE_MAX_A, resolveSessions } from './resolveSessions.js';
import { sendWithTimeout } from './sendWithTimeout.js';
import { indexSite, type SiteIndex } from './siteIndex.js';

/** Options of {@link SmartChargingEngine}. */
export interface SmartChargingEngineOptions {
  site: SiteNode;
  /** Delivers a SetChargingProfile to a charger: your own function, or `sendThroughServer(server)`. */
  send: SendProfile;
  /** Strategy, voltage, minimum rate and safety margin of the allocation (`at` comes from `clock`). */
  allocation?: Omit<AllocationOptions, 'at'>;
  /** Unit of the profiles sent. @default 'A' */
  unit?: 'A' | 'W';
  /** How long a charger has to answer one SetChargingProfile, ms. @default 10000 */
  timeoutMs?: number;
  /** Smallest increase worth a new profile, A per phase (decreases are always sent). @default 0.5 */
  minChangeA?: number;
  /** Events arriving within this many ms are handled by one dispatch. @default 50 */
  debounceMs?: number;
  /** Re-allocates this often (time-of-use windows); 0 turns it off. @default 60000 */
  reevaluateMs?: number;
  /** A charger whose command failed is retried after this many ms. @default 10000 */
  retryMs?: number;
  /** Profile id for a session (the same id replaces the previous profile). @default 1000 + connector/EVSE id */
  profileId?: (session: EngineSession) => number;
  /** stackLevel of the profiles. @default 1 */
  stackLevel?: number;
  /**
   * Treat a car drawing clearly less than its limit as capped at what it draws plus `measuredHeadroomA`,
   * so others get the rest; the cap is lifted once it draws up to it again.
   * @default true
   */
  followMeasured?: boolean;
  /** @default 2 */
  measuredHeadroomA?: number;
  /** Meter readings this soon after a limit was accepted are not used to cap a car (it is still ramping), ms. @default 15000 */
  settleMs?: number;
  /** @default () => new Date() */
  clock?: () => Date;
}

interface Tracked {
  session: EngineSession;
  allocatedA: number | undefined;
  confirmedA: number | undefined;
  confirmedAt: number;
  measuredA: number | undefined;
  learnedMaxA: number | undefined;
  unconfirmed: boolean;
}

/**
 * Keeps a site under its limits as sessions come and go: every change (start, stop, meter reading, site
 * limit, time-of-use window) re-allocates, and only the chargers whose limit changed get a new profile.
 *
 * Safety: decreases are sent (and answered) before increases, so the site is never over its limit because
 * of the order of commands. A charger that rejects or does not answer does not hold up the others; until
 * it confirms, it is counted at its last confirmed limit (or its hardware maximum), and it is retried.
 */
export class SmartChargingEngine extends EventEmitter<SmartChargingEvents> {
  readonly #options: SmartChargingEngineOptions;
  #site: SiteNode;
  #siteIndex: SiteIndex;
  readonly #tracked = new Map<string, Tracked>();
  #allocation: AllocationResult | undefined;
  #chain: Promise<unknown> = Promise.resolve();
  #pending = 0;
  #timer: NodeJS.Timeout | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  readonly #interval: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: SmartChargingEngineOptions) {
    super();
    this.#options = options;
    this.#siteIndex = indexSite(options.site);
    this.#site = options.site;
    const every = options.reevaluateMs ?? 60_000;
    if (every > 0) {
      this.#interval = setInterval(() => this.#schedule(0), every);
      this.#interval.unref();
    }
  }

  /** The latest allocation. */
  get allocation(): AllocationResult | undefined {
    return this.#allocation;
  }

  /** Adds a session (or replaces one with the same id) and re-dispatches. */
  startSession(session: EngineSession): void {
    this.#check(session);
    const previous = this.#tracked.get(session.id);
    this.#tracked.set(session.id, previous ? { ...previous, session } : { session, allocatedA: undefined, confirmedA: undefined, confirmedAt: 0, measuredA: undefined, learnedMaxA: undefined, unconfirmed: false });
    this.#schedule();
  }

  /** Changes a session (EV maximum learned from ISO 15118, priority, transaction id …) and re-dispatches. */
  updateSession(id: string, patch: Partial<Omit<EngineSession, 'id'>>): void {
    const tracked = this.#get(id);
    const session = { ...tracked.session, ...patch };
    this.#check(session);
    tracked.session = session;
    this.#schedule();
  }

  /** Removes a session (transaction ended, car unplugged); its capacity goes to the others. */
  stopSession(id: string): void {
    if (this.#tracked.delete(id)) this.#schedule();
  }

  /** A meter reading of a session: A per phase, or W over its phases. */
  meter(id: string, reading: { amps?: number; watts?: number }): void {
    const tracked = this.#tracked.get(id);
    if (!tracked) return;
    const phases = tracked.session.phases ?? this.#siteIndex.placementOf(tracked.session.chargerId).charger?.phases ?? 3;
    const amps = reading.amps ?? (reading.watts !== undefined ? reading.watts / ((this.#options.allocation?.voltage ?? 230) * phases) : undefined);
    if (amps === undefined || !Number.isFinite(amps)) return;
    tracked.measuredA = amps;
    if (this.#options.followMeasured === false) return;
    const headroom = this.#options.measuredHeadroomA ?? 2;
    const settled = this.#now() - tracked.confirmedAt >= (this.#options.settleMs ?? 15_000);
    if (tracked.learnedMaxA !== undefined && amps >= tracked.learnedMaxA - headroom / 2) {
      tracked.learnedMaxA = undefined;
      this.#schedule();
    } else if (settled && tracked.confirmedA !== undefined && amps < tracked.confirmedA - headroom) {
      const learned = amps + headroom;
      if (tracked.learnedMaxA === undefined || Math.abs(learned - tracked.learnedMaxA) >= (this.#options.minChangeA ?? 0.5)) {
        tracked.learnedMaxA = learned;
        this.#schedule();
      }
    }
  }

  /** Replaces the site (a new limit from an operator, a feeder added) and re-dispatches. */
  updateSite(site: SiteNode): void {
    this.#siteIndex = indexSite(site);
    this.#site = site;
    this.#schedule();
  }

  /** What the engine knows about every session. */
  sessions(): SessionState[] {
    return [...this.#tracked.values()].map((t) => ({
      session: t.session,
      allocatedA: t.allocatedA,
      confirmedA: t.confirmedA,
      measuredA: t.measuredA,
      unconfirmed: t.unconfirmed,
    }));
  }

  /** Re-allocates and sends what changed now (runs after any dispatch in progress). */
  dispatch(): Promise<DispatchReport> {
    this.#pending++;
    const run = this.#chain.then(() => this.#dispatchOnce());
    this.#chain = run.catch(() => undefined).finally(() => this.#pending--);
    return run;
  }

  /** Resolves once no dispatch is scheduled or running (a retry of failed chargers later on is not waited for). */
  async idle(): Promise<void> {
    while (this.#timer !== undefined || this.#pending > 0) {
      await (this.#timer !== undefined ? new Promise((resolve) => setTimeout(resolve, this.#options.debounceMs ?? 50)) : this.#chain);
    }
  }

  /** Stops timers and waits for a dispatch in progress. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#interval);
    clearTimeout(this.#timer);
    clearTimeout(this.#retryTimer);
    this.#timer = undefined;
    await this.#chain;
  }

  #now(): number {
    return (this.#options.clock?.() ?? new Date()).getTime();
  }

  #get(id: string): Tracked {
    const tracked = this.#tracked.get(id);
    if (!tracked) throw new SmartChargingError('UnknownSession', `no session "${id}"`);
    return tracked;
  }

  #check(session: EngineSession): void {
    resolveSessions([session], this.#siteIndex, { voltage: this.#options.allocation?.voltage ?? 230, defaultMinA: 0 });
    if (!['ocpp1.6', 'ocpp2.0.1', 'ocpp2.1'].includes(session.protocol)) {
      throw new SmartChargingError('InvalidSession', `session ${session.id}: unsupported protocol "${String(session.protocol)}"`);
    }
  }

  #schedule(delay = this.#options.debounceMs ?? 50): void {
    if (this.#closed || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      // Failures of a background dispatch are reported through the 'failed' events of its commands.
      this.dispatch().catch(() => undefined);
    }, delay);
    this.#timer.unref();
  }

  /** A worst-case draw for a charger that has not confirmed its limit: the last one it did, else its maximum. */
  #worstCaseA(t: Tracked): number {
    if (t.confirmedA !== undefined) return t.confirmedA;
    const charger = this.#siteIndex.placementOf(t.session.chargerId).charger;
    return Math.min(t.session.hardwareMaxA ?? charger?.maxAmpsPerPhase ?? DEFAULT_HARDWARE_MAX_A, charger?.maxAmpsPerPhase ?? Infinity);
  }

  #allocate(pinned: ReadonlySet<string>): AllocationResult {
    const sessions = [...this.#tracked.values()].map((t) => {
      const evMaxA = Math.min(t.session.evMaxA ?? Infinity, t.learnedMaxA ?? Infinity);
      return {
        ...t.session,
        ...(Number.isFinite(evMaxA) ? { evMaxA } : {}),
        ...(pinned.has(t.session.id) || t.unconfirmed ? { pinnedA: this.#worstCaseA(t) } : {}),
      };
    });
    return allocate(this.#site, sessions, { ...this.#options.allocation, at: new Date(this.#now()) });
  }

  #command(t: Tracked, share: SessionAllocation, at: Date): ProfileCommand {
    const s = t.session;
    const unit = this.#options.unit ?? 'A';
    const spec = profileForAllocation(share, {
      id: this.#options.profileId?.(s) ?? 1000 + (s.connectorId ?? 1),
      unit,
      stackLevel: this.#options.stackLevel ?? 1,
      ...(s.transactionId !== undefined ? { transactionId: s.transactionId } : {}),
      at,
    });
    const limit = roundLimit(spec.periods[0]?.limit ?? 0);
    const amps = unit === 'A' ? limit : limit / (share.watts > 0 ? share.watts / share.amps : 1);
    const base = { chargerId: s.chargerId, sessionId: s.id, limit, unit, amps };
    const target = s.connectorId ?? 1;
    if (s.protocol === 'ocpp1.6') return { ...base, protocol: s.protocol, request: setChargingProfile('ocpp1.6', target, spec) };
    if (s.protocol === 'ocpp2.0.1') return { ...base, protocol: s.protocol, request: setChargingProfile('ocpp2.0.1', target, spec) };
    return { ...base, protocol: 'ocpp2.1', request: setChargingProfile('ocpp2.1', target, spec) };
  }

  /** Commands for the sessions whose limit must change: every decrease, and increases of at least minChangeA. */
  #diff(allocation: AllocationResult, skip: ReadonlySet<string>): { decreases: ProfileCommand[]; increases: ProfileCommand[] } {
    const decreases: ProfileCommand[] = [];
    const increases: ProfileCommand[] = [];
    for (const share of allocation.sessions) {
      const t = this.#tracked.get(share.sessionId);
      if (!t || skip.has(share.sessionId) || share.status === 'pinned') continue;
      t.allocatedA = share.amps;
      const command = this.#command(t, share, allocation.at);
      const current = t.unconfirmed || t.confirmedA === undefined ? undefined : t.confirmedA;
      // A charger without a confirmed limit may draw its maximum: its first limit is a decrease.
      if (current === undefined || command.amps < current) decreases.push(command);
      else if (command.amps - current >= (this.#options.minChangeA ?? 0.5) || (current === 0 && command.amps > 0)) increases.push(command);
    }
    return { decreases, increases };
  }

  async #sendAll(commands: readonly ProfileCommand[]): Promise<CommandOutcome[]> {
    const outcomes = await Promise.all(commands.map((command) => sendWithTimeout(this.#options.send, command, this.#options.timeoutMs ?? 10_000)));
    for (const outcome of outcomes) {
      const t = this.#tracked.get(outcome.command.sessionId);
      if (t) {
        if (outcome.ok) {
          t.confirmedA = outcome.command.amps;
          t.confirmedAt = this.#now();
        }
        t.unconfirmed = !outcome.ok;
      }
      this.emit(outcome.ok ? 'applied' : 'failed', outcome);
    }
    return outcomes;
  }

  async #dispatchOnce(): Promise<DispatchReport> {
    const outcomes: CommandOutcome[] = [];
    // Sessions that failed in this dispatch are held at their worst case and not re-sent until the retry.
    const failed = new Set<string>();
    // A charger not yet confirmed is retried now: counted as confirming, with its decrease sent first.
    for (const t of this.#tracked.values()) t.unconfirmed = false;
    let allocation = this.#allocate(failed);
    for (;;) {
      const { decreases } = this.#diff(allocation, failed);
      const results = await this.#sendAll(decreases);
      outcomes.push(...results);
      const newlyFailed = results.filter((r) => !r.ok).map((r) => r.command.sessionId);
      if (newlyFailed.length === 0) break;
      for (const id of newlyFailed) failed.add(id);
      allocation = this.#allocate(failed);
    }
    outcomes.push(...(await this.#sendAll(this.#diff(allocation, failed).increases)));
    this.#allocation = allocation;
    this.emit('allocation', allocation);
    if (allocation.overCommitted.length > 0) this.emit('overcommitted', allocation.overCommitted);
    const unconfirmed = [...this.#tracked.values()].filter((t) => t.unconfirmed).map((t) => t.session.id);
    const report: DispatchReport = { allocation, outcomes, unconfirmed };
    this.emit('dispatched', report);
    clearTimeout(this.#retryTimer);
    if (unconfirmed.length > 0 && !this.#closed) {
      this.#retryTimer = setTimeout(() => this.#schedule(0), this.#options.retryMs ?? 10_000);
      this.#retryTimer.unref();
    }
    return report;
  }
}
