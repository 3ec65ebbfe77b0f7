import { EventEmitter } from 'node:events';
import type { SqliteStore } from '../store/sqliteStore.js';
import type { IdTagStatus, RegistrationStatus, SampleInput, TransactionClosedBy, TransactionRecord } from '../store/records.js';
import type { Logger } from '../logger.js';
import type { CsmsEvent } from './events.js';
import { energyRegisterWh } from './meterSamples.js';
import { STOP_REASONS } from './stopReasons.js';

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
    /** false for a BootNotification that is no reboot (2.0.1 reason `Triggered`, answered to TriggerMessage). */
    rebooted = true,
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
      // A charger that booted has no transaction running any more: whatever it did not stop (a hard reset
      // or power loss without StopTransaction) ends here, at the last meter value known. A queued
      // StopTransaction sent after the boot still replaces this with the charger's own numbers.
      if (rebooted) this.#closeOpen(this.store.transactions.openOf(chargerId), now, STOP_REASONS.rebooted);
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
    if (status === 'Available' && connectorId > 0) this.#connectorAvailable(chargerId, connectorId, connector.statusAt);
  }

  /**
   * A connector reported Available has no transaction (1.6 §4.9: "available for a new user"). Closes what
   * is still open there and started before the report. For 2.0.1 a transaction may start before the cable
   * is plugged in (TxStartPoint Authorized), so only a transaction that had an EV connected (its last
   * chargingState says so) is closed: Available then means the cable was unplugged (TxStopPoint).
   */
  #connectorAvailable(chargerId: string, connectorId: number, statusAt: string): void {
    const at = Date.parse(statusAt);
    const open = this.store.transactions
      .openOf(chargerId, connectorId)
      .filter((t) => Date.parse(t.startedAt) <= at)
      .filter((t) => t.protocol !== 'ocpp2.0.1' || (t.chargingState !== null && t.chargingState !== 'Idle'));
    this.#closeOpen(open, statusAt, STOP_REASONS.connectorAvailable);
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
      // A retransmission: answer with the transaction already created, do not open a second one; a start
      // refused the first time stays refused.
      const authorization: AuthorizationResult =
        duplicate.authStatus === 'Accepted' || duplicate.authStatus === null
          ? this.authorizeStart(input.idTag, duplicate.id)
          : { ...this.authorize(input.idTag), status: duplicate.authStatus as AuthorizationResult['status'] };
      return { transaction: duplicate, authorization };
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
    this.#supersede(transaction);
    // A refused start is never announced as started (site charging would give it a share): only its stop.
    if (authorization.status === 'Accepted') this.#emit({ type: 'transaction.started', transaction });
    else {
      // Refused (ConcurrentTx, Invalid, Blocked, Expired): never active. The charger should stop it with
      // reason DeAuthorized (1.6 §4.8, configuration key StopTransactionOnInvalidId); many do not. If it does, its
      // StopTransaction replaces this record's end with the real one.
      // The reason names what the charger was told (1.6 has no `Unknown`: it hears `Invalid`).
      const answered = authorization.status === 'Unknown' ? 'Invalid' : authorization.status;
      this.#stop(transaction, input.timestamp, input.meterStartWh, STOP_REASONS.refused(answered), 'csms');
    }
    return { transaction: this.store.transactions.get(transaction.id) as TransactionRecord, authorization };
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
      this.#stop(transaction, input.timestamp, input.meterStopWh, input.reason ?? 'Local', 'charger');
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
    // After a remote start the events need not carry the idToken; the CSMS knows it from the remoteStartId
    // it sent in RequestStartTransaction (2.0.1 F01.FR.xx, E02), so the ConcurrentTx check sees it.
    const idTag =
      input.idTag ??
      (input.remoteStartId === undefined ? undefined : this.store.remoteStarts.idTagOf(chargerId, input.remoteStartId));
    if (transaction === undefined) {
      // Started, or an Updated/Ended whose Started was lost while offline: the transaction begins here.
      authorization = idTag === undefined ? undefined : this.authorizeStart(idTag);
      transaction = this.store.transactions.insert(
        {
          chargerId,
          protocol: 'ocpp2.0.1',
          connectorId: input.connectorId ?? 0,
          idTag: idTag ?? null,
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
      if (input.connectorId !== undefined) this.#supersede(transaction);
    } else {
      // A token the event names (or newly bound through remoteStartId) is checked again, this transaction
      // excluded; a repeated remoteStartId that binds the same token changes nothing.
      if (idTag !== undefined && (input.idTag !== undefined || idTag !== transaction.idTag)) {
        authorization = this.authorizeStart(idTag, transaction.id);
      }
      const changes: Parameters<SqliteStore['transactions']['update']>[1] = {};
      if (idTag !== undefined && authorization !== undefined) {
        changes.idTag = idTag;
        changes.authStatus = authorization.status;
      }
      if (input.chargingState !== undefined) changes.chargingState = input.chargingState;
      if (input.remoteStartId !== undefined) changes.remoteStartId = input.remoteStartId;
      if (Object.keys(changes).length > 0) this.store.transactions.update(transaction.id, changes, this.now());
    }
    this.#recordSamples(chargerId, transaction.connectorId, transaction, input.samples, input.eventType !== 'Ended');
    if (input.eventType === 'Ended') {
      const fresh = this.store.transactions.get(transaction.id) as TransactionRecord;
      this.#stop(fresh, input.timestamp, energyRegisterWh(input.samples, 'Transaction.End') ?? null, input.stoppedReason ?? 'Local', 'charger');
    }
    // idTokenInfo answers an idToken the request carried (E01/E05), not one the CSMS bound itself.
    return authorization === undefined || input.idTag === undefined ? {} : { authorization };
  }

  /** The id token of a 2.0.1 remote start, bound before the request is sent (the answer may come late). */
  rememberRemoteStart(chargerId: string, remoteStartId: number, idTag: string): void {
    this.store.remoteStarts.record(chargerId, remoteStartId, idTag, this.#now());
  }

  // ── Operators ──────────────────────────────────────────────────────────────────────────────────

  /**
   * Closes an open transaction by hand (a charger that will never report its end), at the last meter value
   * known. Returns undefined for an unknown id, and the record with `closed: false` when it had already ended.
   */
  forceClose(id: number, reason: string, operator: string): { transaction: TransactionRecord; closed: boolean } | undefined {
    const transaction = this.store.transactions.get(id);
    if (transaction === undefined) return undefined;
    const closed = transaction.active && this.#stop(transaction, this.now(), null, reason, 'operator');
    if (closed) this.#logger.info('transaction force-closed by an operator', { transactionId: id, chargerId: transaction.chargerId, operator, reason });
    return { transaction: this.store.transactions.get(id) as TransactionRecord, closed };
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

  #stop(transaction: TransactionRecord, stoppedAt: string, meterStopWh: number | null, reason: string, closedBy: TransactionClosedBy): boolean {
    if (this.store.transactions.stop(transaction.id, stoppedAt, meterStopWh, reason, closedBy, this.now())) {
      this.#emit({ type: 'transaction.stopped', transaction: this.store.transactions.get(transaction.id) as TransactionRecord });
      return true;
    }
    return false;
  }

  /** Ends transactions the charger never reported ended, at their last known meter value. */
  #closeOpen(open: TransactionRecord[], stoppedAt: string, reason: string): void {
    for (const transaction of open) {
      if (this.#stop(transaction, stoppedAt, null, reason, 'csms')) {
        this.#logger.info('closed a transaction the charger left open', { chargerId: transaction.chargerId, transactionId: transaction.id, reason });
      }
    }
  }

  /** A connector runs one transaction at a time: a new one there ends any older one still open. */
  #supersede(latest: TransactionRecord): void {
    const older = this.store.transactions.openOf(latest.chargerId, latest.connectorId).filter((t) => t.id < latest.id);
    this.#closeOpen(older, latest.startedAt, STOP_REASONS.superseded(latest.id));
  }
}
