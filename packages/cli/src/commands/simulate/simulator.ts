import { EventEmitter } from 'node:events';
import { OCPPClient, type OCPPClientOptions } from '@chargewire/client';
import type { TlsFiles } from '../../net/tlsFiles.js';
import { describeNetworkError } from '../../net/rawConnection.js';
import { toWireErrorCode } from '@chargewire/rpc-core';
import { ConnectorActions, noConnector } from './connectorActions.js';
import type { CallOutcome, Outcome, ProtocolDriver, SimulatorHost, StopReason } from './drivers/driver.js';
import { ocpp16Driver } from './drivers/ocpp16.js';
import { ocpp201Driver } from './drivers/ocpp201.js';
import { watchFrames, type LogLine } from './messageLog.js';
import { ocpp16Configuration, ocpp201Variables, type ConfigEntry } from './model/configuration.js';
import { advance, newConnector, type ConnectorState } from './model/connector.js';

/** Options of {@link Simulator}. */
export interface SimulatorOptions {
  /** Base URL, e.g. `ws://host:9000/ocpp` (the identity is appended). */
  endpoint: string;
  identity: string;
  protocol: 'ocpp1.6' | 'ocpp2.0.1';
  /** Basic-auth password (security profile 1/2). */
  password?: string;
  /** CA, client certificate and key for wss:// (security profiles 2/3). */
  tls?: TlsFiles;
  /** @default 1 */
  connectors?: number;
  /** Send heartbeats and periodic meter values on timers (interactive and fleet modes). @default false */
  timers?: boolean;
  /** Simulated seconds per `meter` step. @default the sample interval */
  meterStepS?: number;
  /** @default 30000 */
  callTimeoutMs?: number;
  /** Log lines kept. @default 500 */
  logLimit?: number;
  /** permessage-deflate offer (see OCPPClientOptions). @default true */
  perMessageDeflate?: OCPPClientOptions['perMessageDeflate'];
}

export type { LogLine } from './messageLog.js';

export type ConnectionState = 'disconnected' | 'connecting' | 'online' | 'offline';

/** Queued while offline: sent in order once back online (transaction messages must not be lost). */
interface QueuedCall {
  action: string;
  payload: Record<string, unknown>;
}

/**
 * A simulated charge point: the electrical model of its connectors, the OCPP messages of one version and
 * the answers to CSMS commands. Emits 'change' whenever anything visible changes.
 */
export class Simulator extends EventEmitter<{ change: []; log: [LogLine] }> implements SimulatorHost {
  readonly identity: string;
  readonly protocol: 'ocpp1.6' | 'ocpp2.0.1';
  readonly config: Map<string, ConfigEntry>;
  readonly log: LogLine[] = [];
  connectors: ConnectorState[];
  state: ConnectionState = 'disconnected';
  booted = false;
  /** Counters for fleet summaries. */
  stats = { sent: 0, received: 0, failures: 0 };
  readonly ops: SimulatorHost['ops'];
  readonly #client: OCPPClient;
  readonly #driver: ProtocolDriver;
  readonly #offlineQueue: QueuedCall[] = [];
  readonly #tasks = new Set<Promise<unknown>>();
  #heartbeatTimer: NodeJS.Timeout | undefined;
  #meterTimer: NodeJS.Timeout | undefined;
  readonly #actions: ConnectorActions;
  readonly #options: SimulatorOptions;

  constructor(options: SimulatorOptions) {
    super();
    this.#options = options;
    this.identity = options.identity;
    this.protocol = options.protocol;
    const count = options.connectors ?? 1;
    this.connectors = Array.from({ length: count }, (_, i) => newConnector(i + 1));
    this.#driver = options.protocol === 'ocpp1.6' ? ocpp16Driver : ocpp201Driver;
    this.config = options.protocol === 'ocpp1.6' ? ocpp16Configuration(count) : ocpp201Variables(count);
    this.#client = new OCPPClient({
      endpoint: options.endpoint,
      identity: options.identity,
      protocols: [options.protocol],
      reconnect: true,
      callTimeoutMs: options.callTimeoutMs ?? 30_000,
      ...(options.password !== undefined ? { password: options.password } : {}),
      ...(options.tls ? { tls: options.tls } : {}),
      ...(options.perMessageDeflate !== undefined ? { perMessageDeflate: options.perMessageDeflate } : {}),
    });
    this.#wireLogging();
    this.#actions = new ConnectorActions({
      host: this,
      driver: this.#driver,
      meterStepS: options.meterStepS,
      sendStatus: (id) => this.sendStatus(id),
      elapse: (id, seconds) => this.#elapse(id, seconds),
    });
    this.ops = {
      start: (id, tag, remote) => this.start(id, tag, remote),
      stop: (id, reason) => this.stop(id, reason),
      status: (id) => this.sendStatus(id),
      meter: (id) => this.meter(id, 0),
      boot: () => this.boot(),
      heartbeat: () => this.heartbeat(),
      reset: (hard) => this.reset(hard),
      setAvailability: (id, operative) => this.setAvailability(id, operative),
      setLimit: (id, limitA) => void this.update(id, { limitA }),
      unlock: (id) => this.unlock(id),
      authorize: (tag) => this.#driver.authorize(this, tag),
      configChanged: (key) => this.#configChanged(key),
    };
    this.#driver.install(this);
  }

  // ---- SimulatorHost -------------------------------------------------------------------------------

  connector(id: number): ConnectorState | undefined {
    return this.connectors.find((c) => c.id === id);
  }

  update(id: number, patch: Partial<ConnectorState>): ConnectorState {
    const index = this.connectors.findIndex((c) => c.id === id);
    if (index < 0) throw new RangeError(`no connector ${id}`);
    const next = advance({ ...(this.connectors[index] as ConnectorState), ...patch }, 0);
    this.connectors = this.connectors.map((c, i) => (i === index ? next : c));
    this.#changed();
    return next;
  }

  async call(action: string, payload: Record<string, unknown>, queueOffline = false): Promise<CallOutcome> {
    if (this.state !== 'online') {
      if (queueOffline) {
        this.#offlineQueue.push({ action, payload });
        this.info(`${action} queued until back online`);
        return { ok: true, result: {}, queued: true };
      }
      return { ok: false, error: `not connected (${this.state})` };
    }
    try {
      const result = (await this.#client.callRaw(action, payload)) as Record<string, unknown>;
      return { ok: true, result };
    } catch (err) {
      this.stats.failures++;
      const e = err as { code?: string; description?: string; message?: string };
      return { ok: false, error: e.code ? `${toWireErrorCode(this.protocol, e.code as never)}: ${e.description ?? ''}`.trimEnd() : (e.message ?? String(err)) };
    }
  }

  handle(action: string, handler: (params: Record<string, unknown>) => unknown): void {
    (this.#client.handle as (p: string, a: string, h: (ctx: { params: unknown }) => unknown) => void)(this.protocol, action, ({ params }) =>
      handler(params as Record<string, unknown>),
    );
  }

  later(task: () => Promise<unknown>): void {
    const run = new Promise<void>((resolve) => setImmediate(resolve)).then(task).catch((err: unknown) => this.error(String(err)));
    this.#tasks.add(run);
    void run.finally(() => this.#tasks.delete(run));
  }

  info(text: string): void {
    this.#push({ at: new Date(), kind: 'info', text });
  }

  error(text: string): void {
    this.#push({ at: new Date(), kind: 'error', text });
  }

  /** Resolves once the follow-up work of CSMS commands (remote start, trigger, reset) is done. */
  async idle(): Promise<void> {
    while (this.#tasks.size > 0) await Promise.allSettled([...this.#tasks]);
  }

  // ---- connection ----------------------------------------------------------------------------------

  /** Opens the connection; the outcome explains a refused upgrade or an unreachable endpoint. */
  async connect(): Promise<Outcome> {
    this.#setState('connecting');
    try {
      const protocol = await this.#client.connect();
      this.#setState('online');
      return { ok: true, detail: `connected (${protocol})` };
    } catch (err) {
      this.#setState('disconnected');
      const detail = connectFailure(`${this.#options.endpoint.replace(/\/$/, '')}/${encodeURIComponent(this.identity)}`, err);
      this.error(detail);
      return { ok: false, detail };
    }
  }

  /** Simulates losing the network: transaction messages are queued until `online()`. */
  async offline(): Promise<Outcome> {
    if (this.state !== 'online') return { ok: false, detail: `not online (${this.state})` };
    this.#setState('offline');
    this.#stopTimers();
    await this.#client.close({ code: 1001, reason: 'simulated network loss' });
    this.#setState('offline');
    this.info('offline (simulated network loss)');
    return { ok: true, detail: 'offline' };
  }

  /** Reconnects after `offline()` and sends what was queued. No BootNotification (DESIGN rule 10). */
  async online(): Promise<Outcome> {
    if (this.state !== 'offline') return { ok: false, detail: `not offline (${this.state})` };
    const connected = await this.connect();
    if (!connected.ok) {
      this.#setState('offline');
      return connected;
    }
    const queued = this.#offlineQueue.splice(0);
    for (const { action, payload } of queued) {
      const outcome = await this.call(action, payload);
      if (!outcome.ok) return { ok: false, detail: `queued ${action} failed: ${outcome.error}` };
    }
    for (const c of this.connectors) await this.sendStatus(c.id);
    this.#startTimers();
    return { ok: true, detail: `back online, ${queued.length} queued message(s) sent` };
  }

  /** Closes the connection for good. */
  async close(): Promise<void> {
    this.#stopTimers();
    await this.idle();
    this.#setState('disconnected');
    await this.#client.close({ awaitPending: true });
  }

  // ---- operations ----------------------------------------------------------------------------------

  async boot(): Promise<Outcome> {
    const outcome = await this.#driver.boot(this);
    if (!outcome.ok) return outcome;
    this.booted = true;
    if (outcome.intervalS && outcome.intervalS > 0) {
      const entry = this.config.get(this.#driver.heartbeatKey);
      if (entry) entry.value = String(outcome.intervalS);
    }
    for (const c of this.connectors) {
      const status = await this.sendStatus(c.id);
      if (!status.ok) return status;
    }
    this.#startTimers();
    return outcome;
  }

  heartbeat(): Promise<Outcome> {
    return this.#driver.heartbeat(this);
  }

  plug(id: number): Promise<Outcome> {
    return this.#actions.plug(id);
  }

  unplug(id: number): Promise<Outcome> {
    return this.#actions.unplug(id);
  }

  /** Taps an RFID tag: authorizes it for the connector, or stops the running transaction it started. */
  tap(id: number, tag: string): Promise<Outcome> {
    return this.#actions.tap(id, tag);
  }

  start(id: number, tag?: string, remote?: { remoteStartId?: number }): Promise<Outcome> {
    return this.#actions.start(id, tag, remote);
  }

  stop(id: number, reason: StopReason = 'Local'): Promise<Outcome> {
    return this.#actions.stop(id, reason);
  }

  /** Advances the simulated clock by the sample interval (or `seconds`) and sends MeterValues. */
  meter(id: number, seconds?: number): Promise<Outcome> {
    return this.#actions.meter(id, seconds);
  }

  fault(id: number): Promise<Outcome> {
    return this.#actions.fault(id);
  }

  clearFault(id: number): Promise<Outcome> {
    return this.#actions.clearFault(id);
  }

  setAvailability(id: number, operative: boolean): Promise<Outcome> {
    return this.#actions.setAvailability(id, operative);
  }

  unlock(id: number): Promise<Outcome> {
    return this.#actions.unlock(id);
  }

  async reset(hard: boolean): Promise<Outcome> {
    for (const c of this.connectors) if (c.transactionId !== undefined) await this.stop(c.id, hard ? 'HardReset' : 'SoftReset');
    this.info(`${hard ? 'hard' : 'soft'} reset: rebooting`);
    this.#stopTimers();
    this.#setState('disconnected');
    this.booted = false;
    await this.#client.close({ code: 1012, reason: 'reset' });
    const connected = await this.connect();
    return connected.ok ? this.boot() : connected;
  }

  async sendStatus(id: number): Promise<Outcome> {
    const c = this.connector(id);
    if (!c) return noConnector(id);
    if (this.state !== 'online') return { ok: true, detail: 'status kept until back online' };
    return this.#driver.status(this, c);
  }

  // ---- internals -----------------------------------------------------------------------------------

  #configChanged(key: string): void {
    if (key === this.#driver.heartbeatKey || key === this.#driver.sampleIntervalKey) this.#startTimers();
  }

  #startTimers(): void {
    this.#stopTimers();
    if (!this.#options.timers) return;
    const heartbeatS = Number(this.config.get(this.#driver.heartbeatKey)?.value ?? 0);
    if (heartbeatS > 0) this.#heartbeatTimer = setInterval(() => void this.heartbeat(), heartbeatS * 1000);
    const sampleS = Number(this.config.get(this.#driver.sampleIntervalKey)?.value ?? 0);
    if (sampleS > 0) {
      this.#meterTimer = setInterval(() => {
        for (const c of this.connectors) if (c.transactionId !== undefined) void this.meter(c.id, sampleS);
      }, sampleS * 1000);
    }
  }

  #stopTimers(): void {
    clearInterval(this.#heartbeatTimer);
    clearInterval(this.#meterTimer);
  }

  #elapse(id: number, seconds: number): void {
    this.connectors = this.connectors.map((c) => (c.id === id ? advance(c, seconds) : c));
    this.#changed();
  }

  #setState(state: ConnectionState): void {
    this.state = state;
    this.#changed();
  }

  #changed(): void {
    this.emit('change');
  }

  #push(line: LogLine): void {
    this.log.push(line);
    this.emit('log', line);
    const limit = this.#options.logLimit ?? 500;
    if (this.log.length > limit) this.log.splice(0, this.log.length - limit);
    this.#changed();
  }

  #wireLogging(): void {
    watchFrames(this.#client.endpoint, this.protocol, (direction, text) => {
      if (direction === 'out') this.stats.sent++;
      else this.stats.received++;
      this.#push({ at: new Date(), kind: direction, text });
    });
    this.#client.on('disconnect', ({ code, reason }) => {
      if (this.state === 'online') {
        this.#setState('connecting');
        this.error(`connection lost (${code}${reason ? ` ${reason}` : ''}); reconnecting`);
      }
    });
    this.#client.on('open', () => {
      if (this.state === 'connecting' && this.booted) {
        this.#setState('online');
        this.info('reconnected');
      }
    });
    this.#client.on('error', (err) => this.error(err.message));
  }
}

/** One line for a failed connect: the refused upgrade's status or the network error. */
function connectFailure(url: string, err: unknown): string {
  const e = err as { status?: number; message?: string; cause?: NodeJS.ErrnoException };
  if (e.status && e.status !== 101) return `upgrade refused by ${url}: HTTP ${e.status}`;
  if (e.cause?.code) return describeNetworkError(url, e.cause).message;
  return `cannot connect to ${url}: ${e.message ?? String(err)}`;
}
