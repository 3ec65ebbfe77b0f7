import { EventEmitter } from 'node:events';

/** One OCPP CALL of one charger as the dashboard shows it: who sent it, what, and how it ended. */
export interface MessageLogEntry {
  /** Increases with every new entry (ids of the same charger are ordered). */
  seq: number;
  chargerId: string;
  /** When the CALL was sent or received. */
  at: string;
  /** `in`: the charger called the CSMS; `out`: the CSMS called the charger. */
  direction: 'in' | 'out';
  action: string;
  messageId: string;
  outcome: 'pending' | 'result' | 'error';
  /** From CALL to CALLRESULT/CALLERROR, when settled. */
  latencyMs?: number;
  /** The CALLERROR code (or GenericError for a timeout / closed connection). */
  errorCode?: string;
}

export interface MessageLogOptions {
  /** Entries kept per charger (oldest dropped); with maxChargers, at most 50,000 entries (~10 MB) a node. @default 50 */
  perCharger?: number;
  /** Chargers with a log; the least recently active one is forgotten beyond this. @default 1000 */
  maxChargers?: number;
  /** CALLs awaiting their answer, per charger (a charger never answering cannot grow it). @default 50 */
  maxPendingPerCharger?: number;
}

interface ChargerLog {
  entries: MessageLogEntry[];
  pending: Map<string, { entry: MessageLogEntry; startedAt: number }>;
}

/**
 * The recent OCPP traffic of each charger, in memory and bounded (see options). Emits `entry` with each
 * new or settled entry, for the event stream. Payloads are not kept: they may carry id tags and
 * configuration values, and the log is for seeing what happens, not for auditing.
 */
export class MessageLog extends EventEmitter<{ entry: [MessageLogEntry] }> {
  readonly #logs = new Map<string, ChargerLog>();
  readonly #perCharger: number;
  readonly #maxChargers: number;
  readonly #maxPending: number;
  #seq = 0;

  constructor(options: MessageLogOptions = {}) {
    super();
    this.#perCharger = options.perCharger ?? 50;
    this.#maxChargers = options.maxChargers ?? 1000;
    this.#maxPending = options.maxPendingPerCharger ?? 50;
  }

  /** A CALL was sent (`out`) or received (`in`). */
  call(chargerId: string, direction: 'in' | 'out', messageId: string, action: string): void {
    const log = this.#log(chargerId);
    const entry: MessageLogEntry = { seq: ++this.#seq, chargerId, at: new Date().toISOString(), direction, action, messageId, outcome: 'pending' };
    log.entries.push(entry);
    if (log.entries.length > this.#perCharger) log.entries.shift();
    const key = `${direction}:${messageId}`;
    log.pending.set(key, { entry, startedAt: performance.now() });
    if (log.pending.size > this.#maxPending) log.pending.delete(log.pending.keys().next().value as string);
    this.emit('entry', entry);
  }

  /** The CALL with this id was answered (or failed: `errorCode`). */
  settle(chargerId: string, direction: 'in' | 'out', messageId: string, errorCode?: string): void {
    const log = this.#logs.get(chargerId);
    const key = `${direction}:${messageId}`;
    const pending = log?.pending.get(key);
    if (log === undefined || pending === undefined) return;
    log.pending.delete(key);
    const { entry } = pending;
    entry.outcome = errorCode === undefined ? 'result' : 'error';
    entry.latencyMs = Math.round((performance.now() - pending.startedAt) * 10) / 10;
    if (errorCode !== undefined) entry.errorCode = errorCode;
    this.emit('entry', entry);
  }

  /** Newest last. */
  list(chargerId: string): MessageLogEntry[] {
    return [...(this.#logs.get(chargerId)?.entries ?? [])];
  }

  forget(chargerId: string): void {
    this.#logs.delete(chargerId);
  }

  #log(chargerId: string): ChargerLog {
    let log = this.#logs.get(chargerId);
    if (log !== undefined) {
      // Most recently active last, so the first key is the one to forget.
      this.#logs.delete(chargerId);
      this.#logs.set(chargerId, log);
      return log;
    }
    log = { entries: [], pending: new Map() };
    this.#logs.set(chargerId, log);
    if (this.#logs.size > this.#maxChargers) this.#logs.delete(this.#logs.keys().next().value as string);
    return log;
  }
}
