import { EventEmitter } from 'node:events';
import type { SqliteStore } from '../store/sqliteStore.js';
import type { IdTagStatus, RegistrationStatus, SampleInput, TransactionRecord } from '../store/records.js';
import type { Logger } from '../logger.js';
import type { CsmsEvent } from './events.js';
import { energyRegisterWh } from './meterSamples.js';

/** What to do with a charger that is not in the chargers table. */
export type UnknownChargerPolicy = 'reject' | 'pending' | 'accept';

/**
 * Outcome of an id-tag check. `Unknown` is the 2.0.1 spelling for a tag not in the table; the 1.6
 * handlers answer it as `Invalid`. `ConcurrentTx`: the tag already has an active transaction.
 */
export type AuthorizationResult = {
  status: IdTagStatus | 'Unknown' | 'ConcurrentTx';
  expiryDate?: string;
  parentIdTag?: string;
};

export interface CsmsServiceOptions {
  store: SqliteStore;
  logger: Logger;
  unknownChargers: UnknownChargerPolicy;
  /** Heartbeat interval (s) sent with an Accepted BootNotification. @default 300 */
  heartbeatIntervalS?: number;
  /** Retry interval (s) sent with a Pending or Rejected BootNotification. @default 60 */
  bootRetryIntervalS?: number;
  now?: () => Date;
}

export interface TransactionEventInput {
  eventType: 'Started' | 'Updated' | 'Ended';
  ocppTransactionId: string;
  timestamp: string;
  connectorId?: number | undefined;
  idTag?: string | undefined;
  chargingState?: string | undefined;
  stoppedReason?: string | undefined;
  remoteStartId?: number | undefined;
  samples: SampleInput[];
}

/**
 * The one domain service both protocol versions feed. Handlers translate wire payloads into these
 * calls, so a 1.6 StartTransaction and a 2.0.1 TransactionEvent(Started) end up as the same row.
 */
export class CsmsService extends EventEmitter<{ event: [CsmsEvent] }> {
  readonly store: SqliteStore;
  readonly unknownChargers: UnknownChargerPolicy;
  readonly heartbeatIntervalS: number;
  readonly bootRetryIntervalS: number;
  readonly #logger: Logger;
  readonly #now: () => Date;

  constructor(options: CsmsServiceOptions) {
    super();
    this.store = options.store;
    this.unknownChargers = options.unknownChargers;
    this.heartbeatIntervalS = options.heartbeatIntervalS ?? 300;
    this.bootRetryIntervalS = options.bootRetryIntervalS ?? 60;
    this.#logger = options.logger;
    this.#now = options.now ?? (() => new Date());
  }

  now(): string {
    return this.#now().toISOString();
  }

  #emit(event: CsmsEvent): void {
    this.emit('event', event);
  }

  // ── Connections ────────────────────────────────────────────────────────────────────────────────

  /**
   * A charger finished its handshake on this node. An unknown charger is registered here under the
   * `accept` and `pending` policies so it shows up in the REST view at once.
   */
  chargerConnected(chargerId: string, protocol: string, nodeId: string, connectionId: string): void {
    const now = this.now();
    if (this.store.chargers.get(chargerId) === undefined && this.unknownChargers !== 'reject') {
      const status: RegistrationStatus = this.unknownChargers === 'accept' ? 'Accepted' : 'Pending';
      if (this.store.chargers.insert({ id: chargerId, passwordHash: null, registrationStatus: status }, now)) {
        this.#logger.info('registered unknown charger', { chargerId, registrationStatus: status });
      }
    }
    this.store.chargers.markConnected(chargerId, protocol, nodeId, connectionId, now);
    this.#emit({ type: 'charger.connected', chargerId, protocol, nodeId });
  }

  chargerDisconnected(chargerId: string, nodeId: string, connectionId: string, code: number): void {
    if (this.store.chargers.markDisconnected(chargerId, connectionId, this.now())) {
      this.#emit({ type: 'charger.disconnected', chargerId, nodeId, code });
    }
  }

  /** Whether the charger may send anything but BootNotification/Heartbeat (OCPP 1.6 §4.2, 2.0.1 B02/B03). */
  isAccepted(chargerId: string): boolean {
    return this.store.chargers.get(chargerId)?.registrationStatus === 'Accepted';
  }

  // ── Provisioning (B01–B03) ─────────────────────────────────────────────────────────────────────

  boot(
    chargerId: string,
    info: { vendor: string; model: string; serialNumber?: string | undefined; firmwareVersion?: string | undefined },
  ): { status: RegistrationStatus; currentTime: string; interval: number } {
    const now = this.now();
    const charger = this.store.chargers.get(chargerId);
    const status: RegistrationStatus = charger?.registrationStatus ?? 'Rejected';
    if (charger !== undefined) {
      this.store.chargers.recordBoot(
        chargerId,
        {
          vendor: info.vendor,
          model: info.model,
          serialNumber: info.serialNumber ?? null,
          firmwareVersion: info.firmwareVersion ?? null,
        },
        now,
      );
      this.#emit({ type: 'charger.updated', chargerId });
    } else {
      this.#logger.warn('BootNotification from unknown charger rejected', { chargerId });
    }
    return {
      status,
      currentTime: now,
      interval: status === 'Accepted' ? this.heartbeatIntervalS : this.bootRetryIntervalS,
    };
  }

  heartbeat(chargerId: string): { currentTime: string } {
    const now = this.now();
    this.store.chargers.recordHeartbeat(chargerId, now);
    this.#emit({ type: 'charger.updated', chargerId });
    return { currentTime: now };
  }

  connectorStatus(
    chargerId: string,
    connectorId: number,
    status: string,
    timestamp: string | undefined,
    errorCode?: string,
    info?: string,
  ): void {
    if (connectorId < 0) return; // schema-valid (no minimum) but no such connector; the store's CHECK would throw
    const connector = {
      chargerId,
      connectorId,
      status,
      errorCode: errorCode ?? null,
      info: info ?? null,
      statusAt: timestamp ?? this.now(),
    };
    this.store.connectors.setStatus(connector);
    this.#emit({ type: 'connector.status', connector });
  }

  // ── Authorization (1.6 Authorize, 2.0.1 C01) ───────────────────────────────────────────────────

  authorize(idTag: string): AuthorizationResult {
    const tag = this.store.idTags.get(idTag);
    if (tag === undefined) return { status: 'Unknown' };
    const result: AuthorizationResult = { status: tag.status };
    if (tag.expiryDate !== null) {
      result.expiryDate = tag.expiryDate;
      if (tag.status === 'Accepted' && Date.parse(tag.expiryDate) <= this.#now().getTime()) result.status = 'Expired';
    }
    if (tag.parentIdTag !== null) result.parentIdTag = tag.parentIdTag;
    return result;
  }

  /** authorize() plus the ConcurrentTx check for starting a transaction. */
  authorizeStart(idTag: string, exceptTransactionId?: number): AuthorizationResult {
    const result = this.authorize(idTag);
    if (result.status !== 'Accepted') return result;
    const others = this.store.transactions.activeWithIdTag(idTag).filter((t) => t.id !== exceptTransactionId);
    return others.length > 0 ? { ...result, status: 'ConcurrentTx' } : result;
  }

  // ── Transactions, 1.6 (§4.8 StartTransaction, §4.10 StopTransaction, §4.7 MeterValues) ─────────

  startTransaction16(
    chargerId: string,
    input: { connectorId: number; idTag: string; meterStartWh: number; timestamp: string; reservationId?: number | undefined },
  ): { transaction: TransactionRecord; authorization: AuthorizationResult } {
    const duplicate = this.store.transactions.findDuplicateStart(chargerId, input.connectorId, input.timestamp, input.meterStartWh);
    if (duplicate !== undefined) {
      // A retransmission: answer with the transaction already created, do not open a second one.
      return { transaction: duplicate, authorization: this.authorizeStart(input.idTag, duplicate.id) };
    }
    const authorization = this.authorizeStart(input.idTag);
    const transaction = this.store.transactions.insert(
      {
        chargerId,
        protocol: 'ocpp1.6',
        connectorId: input.connectorId,
        idTag: input.idTag,
        authStatus: authorization.status,
        remoteStartId: null,
        startedAt: input.timestamp,
        meterStartWh: input.meterStartWh,
        chargingState: null,
      },
      undefined,
      this.now(),
    );
    this.#emit({ type: 'transaction.started', transaction });
    return { transaction, authorization };
  }

  stopTransaction16(
    chargerId: string,
    input: { transactionId: number; idTag?: string | undefined; meterStopWh: number; timestamp: string; reason?: string | undefined },
    samples: SampleInput[],
  ): { authorization?: AuthorizationResult } {
    const transaction = this.store.transactions.findByOcppId(chargerId, String(input.transactionId));
    if (transaction === undefined) {
      // Answer anyway: a CALLERROR would make the charger retry a message we can never place (1.6 §4.10).
      this.#logger.warn('StopTransaction for unknown transaction', { chargerId, transactionId: input.transactionId });
    } else {
      if (samples.length > 0) this.store.meterValues.insertMany(chargerId, transaction.connectorId, transaction.id, samples);
      this.#stop(transaction, input.timestamp, input.meterStopWh, input.reason ?? 'Local');
    }
    return input.idTag === undefined ? {} : { authorization: this.authorize(input.idTag) };
  }

  meterValues(chargerId: string, connectorId: number, transactionId: number | undefined, samples: SampleInput[]): void {
    const transaction =
      transactionId === undefined ? undefined : this.store.transactions.findByOcppId(chargerId, String(transactionId));
    if (transactionId !== undefined && transaction === undefined) {
      this.#logger.warn('MeterValues for unknown transaction stored without a link', { chargerId, transactionId });
    }
    this.#recordSamples(chargerId, connectorId, transaction, samples);
  }

  // ── Transactions, 2.0.1 (E01–E15 TransactionEvent) ─────────────────────────────────────────────

  transactionEvent(chargerId: string, input: TransactionEventInput): { authorization?: AuthorizationResult } {
    let transaction = this.store.transactions.findByOcppId(chargerId, input.ocppTransactionId);
    let authorization: AuthorizationResult | undefined;
    if (transaction === undefined) {
      // Started, or an Updated/Ended whose Started was lost while offline: the transaction begins here.
      authorization = input.idTag === undefined ? undefined : this.authorizeStart(input.idTag);
      transaction = this.store.transactions.insert(
        {
          chargerId,
          protocol: 'ocpp2.0.1',
          connectorId: input.connectorId ?? 0,
          idTag: input.idTag ?? null,
          authStatus: authorization?.status ?? null,
          remoteStartId: input.remoteStartId ?? null,
          startedAt: input.timestamp,
          meterStartWh: energyRegisterWh(input.samples, 'Transaction.Begin') ?? null,
          chargingState: input.chargingState ?? null,
        },
        input.ocppTransactionId,
        this.now(),
      );
      this.#emit({ type: 'transaction.started', transaction });
    } else {
      if (input.idTag !== undefined) {
        authorization =
          input.idTag === transaction.idTag ? this.authorize(input.idTag) : this.authorizeStart(input.idTag, transaction.id);
      }
      const changes: Parameters<SqliteStore['transactions']['update']>[1] = {};
      if (input.idTag !== undefined && authorization !== undefined) {
        changes.idTag = input.idTag;
        changes.authStatus = authorization.status;
      }
      if (input.chargingState !== undefined) changes.chargingState = input.chargingState;
      if (input.remoteStartId !== undefined) changes.remoteStartId = input.remoteStartId;
      if (Object.keys(changes).length > 0) this.store.transactions.update(transaction.id, changes, this.now());
    }
    this.#recordSamples(chargerId, transaction.connectorId, transaction, input.samples, input.eventType !== 'Ended');
    if (input.eventType === 'Ended') {
      const fresh = this.store.transactions.get(transaction.id) as TransactionRecord;
      this.#stop(fresh, input.timestamp, energyRegisterWh(input.samples, 'Transaction.End') ?? null, input.stoppedReason ?? 'Local');
    }
    return authorization === undefined ? {} : { authorization };
  }

  // ── Shared ─────────────────────────────────────────────────────────────────────────────────────

  #recordSamples(
    chargerId: string,
    connectorId: number,
    transaction: TransactionRecord | undefined,
    samples: SampleInput[],
    announce = true,
  ): void {
    if (samples.length === 0) return;
    this.store.meterValues.insertMany(chargerId, connectorId, transaction?.id ?? null, samples);
    if (transaction === undefined) return;
    const register = energyRegisterWh(samples);
    if (register === undefined) return;
    this.store.transactions.update(transaction.id, { meterStartWh: register, lastMeterWh: register }, this.now());
    if (announce) {
      this.#emit({ type: 'transaction.updated', transaction: this.store.transactions.get(transaction.id) as TransactionRecord });
    }
  }

  #stop(transaction: TransactionRecord, stoppedAt: string, meterStopWh: number | null, reason: string): void {
    if (this.store.transactions.stop(transaction.id, stoppedAt, meterStopWh, reason, this.now())) {
      this.#emit({ type: 'transaction.stopped', transaction: this.store.transactions.get(transaction.id) as TransactionRecord });
    }
  }
}
