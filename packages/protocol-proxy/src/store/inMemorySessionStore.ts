import type { RemoteStartRecord, SessionStore, TransactionRecord } from './sessionStore.js';

interface ChargerState {
  counters: Map<string, number>;
  byId201: Map<string, TransactionRecord>;
  id16To201: Map<number, string>;
  activeByEvse: Map<number, string>;
  remoteStarts: RemoteStartRecord[];
  values: Map<string, string>;
  /** idToken → 2.0.1 type, least recently named first (Map keeps insertion order). */
  idTokenTypes: Map<string, string>;
  /** ended transactions, oldest first, bounded by maxEndedTransactions */
  ended: string[];
}

export interface InMemorySessionStoreOptions {
  /**
   * Ended transactions kept per charger for late messages (MeterValues, a retried StopTransaction).
   * @default 100
   */
  maxEndedTransactions?: number;
  /**
   * idToken types remembered per charger (tokens the backend named); the least recently named is forgotten first.
   * @default 1000
   */
  maxIdTokens?: number;
}

/** The default store: one process, no persistence. Records are copied in and out so callers cannot alias them. */
export class InMemorySessionStore implements SessionStore {
  readonly #chargers = new Map<string, ChargerState>();
  readonly #maxEnded: number;
  readonly #maxIdTokens: number;

  constructor(options: InMemorySessionStoreOptions = {}) {
    this.#maxEnded = options.maxEndedTransactions ?? 100;
    this.#maxIdTokens = options.maxIdTokens ?? 1000;
  }

  #state(identity: string): ChargerState {
    let state = this.#chargers.get(identity);
    if (!state) {
      state = {
        counters: new Map(),
        byId201: new Map(),
        id16To201: new Map(),
        activeByEvse: new Map(),
        remoteStarts: [],
        values: new Map(),
        idTokenTypes: new Map(),
        ended: [],
      };
      this.#chargers.set(identity, state);
    }
    return state;
  }

  async increment(identity: string, counter: string, atLeast = 1): Promise<number> {
    const state = this.#state(identity);
    const next = Math.max((state.counters.get(counter) ?? 0) + 1, atLeast);
    state.counters.set(counter, next);
    return next;
  }

  async saveTransaction(identity: string, record: TransactionRecord): Promise<void> {
    const state = this.#state(identity);
    const copy = { ...record };
    const previous = state.byId201.get(copy.id201);
    state.byId201.set(copy.id201, copy);
    state.id16To201.set(copy.id16, copy.id201);
    if (copy.evseId !== undefined) {
      if (!copy.ended) state.activeByEvse.set(copy.evseId, copy.id201);
      else if (state.activeByEvse.get(copy.evseId) === copy.id201) state.activeByEvse.delete(copy.evseId);
    }
    if (copy.ended && !previous?.ended) {
      state.ended.push(copy.id201);
      while (state.ended.length > this.#maxEnded) {
        const old = state.ended.shift();
        if (old === undefined) break;
        const rec = state.byId201.get(old);
        state.byId201.delete(old);
        state.counters.delete(`seq:${old}`);
        if (rec && state.id16To201.get(rec.id16) === old) state.id16To201.delete(rec.id16);
      }
    }
  }

  async getTransactionBy16(identity: string, id16: number): Promise<TransactionRecord | undefined> {
    const state = this.#chargers.get(identity);
    const id201 = state?.id16To201.get(id16);
    return id201 === undefined ? undefined : this.getTransactionBy201(identity, id201);
  }

  async getTransactionBy201(identity: string, id201: string): Promise<TransactionRecord | undefined> {
    const rec = this.#chargers.get(identity)?.byId201.get(id201);
    return rec ? { ...rec } : undefined;
  }

  async listTransactions(identity: string): Promise<TransactionRecord[]> {
    return [...(this.#chargers.get(identity)?.byId201.values() ?? [])].map((rec) => ({ ...rec }));
  }

  async getActiveTransaction(identity: string, evseId: number): Promise<TransactionRecord | undefined> {
    const id201 = this.#chargers.get(identity)?.activeByEvse.get(evseId);
    return id201 === undefined ? undefined : this.getTransactionBy201(identity, id201);
  }

  async addRemoteStart(identity: string, record: RemoteStartRecord): Promise<void> {
    this.#state(identity).remoteStarts.push({ ...record });
  }

  async takeRemoteStart(identity: string, evseId: number, idTag: string, now: number): Promise<RemoteStartRecord | undefined> {
    const state = this.#chargers.get(identity);
    if (!state) return undefined;
    state.remoteStarts = state.remoteStarts.filter((r) => r.expiresAt > now);
    const index = state.remoteStarts.findIndex((r) => r.idTag === idTag && (r.evseId === undefined || r.evseId === evseId));
    if (index < 0) return undefined;
    const [found] = state.remoteStarts.splice(index, 1);
    return found;
  }

  async removeRemoteStart(identity: string, remoteStartId: number): Promise<void> {
    const state = this.#chargers.get(identity);
    if (state) state.remoteStarts = state.remoteStarts.filter((r) => r.remoteStartId !== remoteStartId);
  }

  async setValue(identity: string, key: string, value: string): Promise<void> {
    this.#state(identity).values.set(key, value);
  }

  async getValue(identity: string, key: string): Promise<string | undefined> {
    return this.#chargers.get(identity)?.values.get(key);
  }

  async setIdTokenType(identity: string, idToken: string, type: string): Promise<void> {
    const tokens = this.#state(identity).idTokenTypes;
    tokens.delete(idToken);
    tokens.set(idToken, type);
    for (const oldest of tokens.keys()) {
      if (tokens.size <= this.#maxIdTokens) break;
      tokens.delete(oldest);
    }
  }

  async getIdTokenType(identity: string, idToken: string): Promise<string | undefined> {
    return this.#chargers.get(identity)?.idTokenTypes.get(idToken);
  }

  async clear(identity: string): Promise<void> {
    this.#chargers.delete(identity);
  }
}
