import type { Outcome, ProtocolDriver, SimulatorHost, StopReason } from './drivers/driver.js';
import { idleStatus, type ConnectorState } from './model/connector.js';

/** What the connector actions need of the simulator; the connection stays the simulator's business. */
export interface ConnectorActionsContext {
  /** The simulator as its protocol driver sees it. */
  readonly host: SimulatorHost;
  readonly driver: ProtocolDriver;
  /** Simulated seconds per `meter` step; the configured sample interval when undefined. */
  readonly meterStepS: number | undefined;
  /** Sends the connector's status, or keeps it until back online. */
  sendStatus(id: number): Promise<Outcome>;
  /** Lets `seconds` of simulated time pass on one connector. */
  elapse(id: number, seconds: number): void;
}

/**
 * What happens at one connector — someone plugs in, taps a tag, the hardware faults — and the transaction
 * and status messages that follow, whether a person, a script or a CSMS command caused it.
 */
export class ConnectorActions {
  readonly #pendingRemoteStart = new Map<number, { tag: string; remoteStartId?: number }>();
  readonly #host: SimulatorHost;
  readonly #driver: ProtocolDriver;
  readonly #ctx: ConnectorActionsContext;

  constructor(ctx: ConnectorActionsContext) {
    this.#ctx = ctx;
    this.#host = ctx.host;
    this.#driver = ctx.driver;
  }

  async plug(id: number): Promise<Outcome> {
    const c = this.#host.connector(id);
    if (!c) return noConnector(id);
    if (c.plugged) return { ok: false, detail: `connector ${id} is already plugged in` };
    if (c.status === 'Faulted' || c.inoperative) return { ok: false, detail: `connector ${id} is ${c.status}` };
    this.#host.update(id, { plugged: true, status: 'Preparing' });
    const status = await this.#ctx.sendStatus(id);
    if (!status.ok) return status;
    const remote = this.#pendingRemoteStart.get(id);
    if (remote) {
      this.#pendingRemoteStart.delete(id);
      return this.start(id, remote.tag, remote);
    }
    return { ok: true, detail: `connector ${id} plugged in` };
  }

  async unplug(id: number): Promise<Outcome> {
    const c = this.#host.connector(id);
    if (!c) return noConnector(id);
    if (!c.plugged) return { ok: false, detail: `connector ${id} is not plugged in` };
    if (c.transactionId !== undefined) {
      const stopped = await this.stop(id, 'EVDisconnected');
      if (!stopped.ok) return stopped;
    }
    const now = this.#host.update(id, { plugged: false, authorizedTag: undefined });
    this.#host.update(id, { status: idleStatus(now) });
    return this.#ctx.sendStatus(id);
  }

  /** Taps an RFID tag: authorizes it for the connector, or stops the running transaction it started. */
  async tap(id: number, tag: string): Promise<Outcome> {
    const c = this.#host.connector(id);
    if (!c) return noConnector(id);
    if (c.transactionId !== undefined && c.authorizedTag === tag) return this.stop(id, 'Local');
    const auth = await this.#driver.authorize(this.#host, tag);
    if (auth.ok) this.#host.update(id, { authorizedTag: tag });
    return auth;
  }

  async start(id: number, tag?: string, remote?: { remoteStartId?: number }): Promise<Outcome> {
    const c = this.#host.connector(id);
    if (!c) return noConnector(id);
    if (c.transactionId !== undefined) return { ok: false, detail: `connector ${id} already has transaction ${c.transactionId}` };
    const idTag = tag ?? c.authorizedTag;
    if (!idTag) return { ok: false, detail: `connector ${id}: no authorized tag (tap one first)` };
    if (c.status === 'Faulted' || c.inoperative) return { ok: false, detail: `connector ${id} is ${c.status}` };
    if (!c.plugged) {
      if (remote) {
        this.#pendingRemoteStart.set(id, { tag: idTag, ...remote });
        this.#host.update(id, { authorizedTag: idTag });
        this.#host.info(`connector ${id}: remote start waits for the cable`);
        return { ok: true, detail: 'waiting for the cable' };
      }
      return { ok: false, detail: `connector ${id} is not plugged in` };
    }
    this.#host.update(id, { authorizedTag: idTag, meterStartWh: c.energyWh, seqNo: 0, remoteStartId: remote?.remoteStartId });
    const started = await this.#driver.startTransaction(this.#host, this.#host.connector(id) as ConnectorState, idTag, remote);
    if (!started.ok) return started;
    this.#host.update(id, { status: 'Charging' });
    const status = await this.#ctx.sendStatus(id);
    return status.ok ? started : status;
  }

  async stop(id: number, reason: StopReason = 'Local'): Promise<Outcome> {
    const c = this.#host.connector(id);
    if (!c) return noConnector(id);
    if (c.transactionId === undefined) return { ok: false, detail: `connector ${id} has no transaction` };
    const stopped = await this.#driver.stopTransaction(this.#host, c, reason);
    const after = this.#host.update(id, { transactionId: undefined, authorizedTag: undefined, remoteStartId: undefined });
    this.#host.update(id, { status: after.status === 'Faulted' ? 'Faulted' : after.plugged ? 'Finishing' : idleStatus(after) });
    const status = await this.#ctx.sendStatus(id);
    if (c.inoperative) await this.setAvailability(id, false);
    return stopped.ok ? (status.ok ? stopped : status) : stopped;
  }

  /** Advances the simulated clock by the sample interval (or `seconds`) and sends MeterValues. */
  async meter(id: number, seconds?: number): Promise<Outcome> {
    const c = this.#host.connector(id);
    if (!c) return noConnector(id);
    const step = seconds ?? this.#ctx.meterStepS ?? Number(this.#host.config.get(this.#driver.sampleIntervalKey)?.value ?? 60);
    const wasCharging = c.status === 'Charging';
    this.#ctx.elapse(id, step);
    const now = this.#host.connector(id) as ConnectorState;
    const sent = await this.#driver.meterValues(this.#host, now);
    if (sent.ok && wasCharging && now.status !== 'Charging') await this.#ctx.sendStatus(id);
    return sent;
  }

  async fault(id: number): Promise<Outcome> {
    const c = this.#host.connector(id);
    if (!c) return noConnector(id);
    if (c.status === 'Faulted') return { ok: false, detail: `connector ${id} is already faulted` };
    if (c.transactionId !== undefined) {
      this.#host.update(id, { status: 'Faulted' });
      const stopped = await this.stop(id, 'EmergencyStop');
      if (!stopped.ok) return stopped;
    }
    this.#host.update(id, { status: 'Faulted' });
    return this.#ctx.sendStatus(id);
  }

  async clearFault(id: number): Promise<Outcome> {
    const c = this.#host.connector(id);
    if (!c) return noConnector(id);
    if (c.status !== 'Faulted') return { ok: false, detail: `connector ${id} is not faulted` };
    this.#host.update(id, { status: c.inoperative ? 'Unavailable' : c.plugged ? 'Preparing' : 'Available' });
    return this.#ctx.sendStatus(id);
  }

  async setAvailability(id: number, operative: boolean): Promise<Outcome> {
    const c = this.#host.connector(id);
    if (!c) return noConnector(id);
    const base = this.#host.update(id, { inoperative: !operative });
    if (base.transactionId !== undefined) return { ok: true, detail: `connector ${id}: availability change scheduled after the transaction` };
    if (base.status !== 'Faulted') this.#host.update(id, { status: operative ? (base.plugged ? 'Preparing' : 'Available') : 'Unavailable' });
    return this.#ctx.sendStatus(id);
  }

  async unlock(id: number): Promise<Outcome> {
    const c = this.#host.connector(id);
    if (!c) return noConnector(id);
    if (c.transactionId !== undefined) await this.stop(id, 'UnlockCommand');
    if (this.#host.connector(id)?.plugged) return this.unplug(id);
    return { ok: true, detail: `connector ${id} unlocked` };
  }
}

export function noConnector(id: number): Outcome {
  return { ok: false, detail: `no connector ${id}` };
}
