/** 2.0.1 chargingState of a transaction, as last reported upstream. */
export type ChargingState = 'Charging' | 'EVConnected' | 'SuspendedEV' | 'SuspendedEVSE' | 'Idle';

/** One transaction as the proxy sees it: the 1.6 integer id it handed the charger ⇄ the 2.0.1 id it told the backend. */
export interface TransactionRecord {
  /** The integer the proxy returned in StartTransaction.conf. */
  id16: number;
  /** The string id (≤ 36 characters) used in TransactionEvent. */
  id201: string;
  /** 1.6 connectorId = 2.0.1 evse id; undefined for a transaction first seen at StopTransaction. */
  evseId?: number;
  idTag?: string;
  remoteStartId?: number;
  /** 1.6 StartTransaction timestamp and meterStart: used to recognise a retried StartTransaction. */
  startedAt?: string;
  meterStart?: number;
  chargingState?: ChargingState;
  /** The backend answered the Started event with an idTokenInfo status other than Accepted. */
  deauthorized?: boolean;
  ended: boolean;
  /**
   * The TransactionEvent Ended the proxy sent for the charger's StopTransaction: a retried StopTransaction
   * (1.6 §4.10: the charger repeats it until answered) re-sends it with the same seqNo while the backend has
   * not accepted it (`confirmed`), and is answered from here once it has. Absent when no Ended was sent (a
   * transaction replaced by a new StartTransaction on its connector).
   */
  stop?: StopRecord;
}

/** What the proxy sent and heard for a transaction's TransactionEvent Ended. */
export interface StopRecord {
  /** 1.6 StopTransaction timestamp and meterStop (a retry repeats them). */
  timestamp: string;
  meterStop: number;
  seqNo: number;
  /** The backend answered the Ended event with a CALLRESULT. */
  confirmed: boolean;
  /** The 1.6 idTagInfo the charger was given, repeated to a retry. */
  idTagInfo?: { status: 'Accepted' | 'Blocked' | 'Expired' | 'Invalid' | 'ConcurrentTx'; expiryDate?: string; parentIdTag?: string };
}

/** A RequestStartTransaction waiting for the StartTransaction it will cause. */
export interface RemoteStartRecord {
  remoteStartId: number;
  idTag: string;
  /** undefined: any connector. */
  evseId?: number;
  /** Epoch ms after which the record no longer matches. */
  expiresAt: number;
}

/**
 * Per-charger state the translation engine needs between frames. Implementations must make
 * `increment` and `takeRemoteStart` atomic so that several proxy instances can share one store.
 */
export interface SessionStore {
  /**
   * Atomically increments the named counter of a charger and returns the new value (the first call returns 1).
   * With `atLeast`, the new value is never below it (the counter jumps up to `atLeast` when it is behind): the
   * engine seeds 1.6 transaction ids from the clock this way, so ids stay unique across restarts of a store
   * that forgets its counters.
   */
  increment(identity: string, counter: string, atLeast?: number): Promise<number>;
  saveTransaction(identity: string, record: TransactionRecord): Promise<void>;
  getTransactionBy16(identity: string, id16: number): Promise<TransactionRecord | undefined>;
  getTransactionBy201(identity: string, id201: string): Promise<TransactionRecord | undefined>;
  /** Every transaction the store still keeps for the charger (open ones and the most recent ended ones). */
  listTransactions(identity: string): Promise<TransactionRecord[]>;
  /** The open (not ended) transaction on an EVSE, if any. */
  getActiveTransaction(identity: string, evseId: number): Promise<TransactionRecord | undefined>;
  addRemoteStart(identity: string, record: RemoteStartRecord): Promise<void>;
  /**
   * Atomically removes and returns the first unexpired remote start for this idTag whose evseId is the
   * given one or unspecified.
   */
  takeRemoteStart(identity: string, evseId: number, idTag: string, now: number): Promise<RemoteStartRecord | undefined>;
  /** Removes a remote start (the charger rejected it). */
  removeRemoteStart(identity: string, remoteStartId: number): Promise<void>;
  /** Small named values per charger (the last GetLog / UpdateFirmware requestId). */
  setValue(identity: string, key: string, value: string): Promise<void>;
  getValue(identity: string, key: string): Promise<string | undefined>;
  /**
   * Remembers the 2.0.1 type of an idToken the backend named (1.6 idTags carry none). Implementations keep a
   * bounded number per charger and forget the least recently named first.
   */
  setIdTokenType(identity: string, idToken: string, type: string): Promise<void>;
  getIdTokenType(identity: string, idToken: string): Promise<string | undefined>;
  /** Forgets everything about a charger. */
  clear(identity: string): Promise<void>;
}
