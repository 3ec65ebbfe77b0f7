import { EventEmitter } from 'node:events';
import type { Repositories, Store } from '../store/store.js';
import type { IdTagStatus, RegistrationStatus, SampleInput, TransactionClosedBy, TransactionRecord } from '../store/records.js';
import type { TransactionChanges } from '../store/transactionRepository.js';
import type { Logger } from '../logger.js';
import type { CsmsEvent } from './events.js';
import { energyRegisterReading, energyRegisterWh } from './meterSamples.js';
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
  store: Store;
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
/**
 * One unit of work on one charger's data: the repositories inside a database transaction that holds the
 * charger's row lock, and the events to publish once it committed (never for work that rolled back).
 */
interface Work {
  tx: Repositories;
  events: CsmsEvent[];
}

/**
 * Checks a charger's registration status inside the work on its messages, under the same row lock (throws to
 * refuse the message; nothing of the work is kept). Reading the status there instead of before the work
 * costs no extra statement and no extra turn at the database's write lock.
 */
export type RegistrationGuard = (status: RegistrationStatus | undefined) => void;

/**
 * The one domain service both protocol versions feed. Handlers translate wire payloads into these
 * calls, so a 1.6 StartTransaction and a 2.0.1 TransactionEvent(Started) end up as the same row.
 *
 * Several nodes may share the database, and a charger that reconnected to another node may have messages
 * still in flight on the old one. Everything that reads a transaction before writing it runs as one
 * {@link Work}: a database transaction holding the charger's row lock (and the id tag's, for the
 * ConcurrentTx check), so the nodes take turns and nothing is lost or applied twice.
 */
export class CsmsService extends EventEmitter<{ event: [CsmsEvent] }> {
  readonly store: Store;
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

  /** Runs `fn` as one unit of work on `chargerId` (see the class comment); its events follow the commit. */
  async #work<T>(chargerId: string, fn: (work: Work) => Promise<T>, guard?: RegistrationGuard): Promise<T> {
    const events: CsmsEvent[] = [];
    const result = await this.store.transaction(async (tx) => {
      events.length = 0; // a retried transaction starts over
      const status = await tx.chargers.lock(chargerId);
      guard?.(status);
      return fn({ tx, events });
    });
    for (const event of events) this.#emit(event);
    return result;
  }

  // ── Connections ────────────────────────────────────────────────────────────────────────────────

  /**
   * A charger finished its handshake on this node. An unknown charger is registered here under the
   * `accept` and `pending` policies so it shows up in the REST view at once.
   */
  async chargerConnected(chargerId: string, protocol: string, nodeId: string, connectionId: string): Promise<void> {
    const now = this.now();
    if (this.unknownChargers !== 'reject') {
      const status: RegistrationStatus = this.unknownChargers === 'accept' ? 'Accepted' : 'Pending';
      // Insert-if-absent is one statement: two nodes seeing the same new charger register it once.
      if (await this.store.chargers.insert({ id: chargerId, passwordHash: null, registrationStatus: status }, now)) {
        this.#logger.info('registered unknown charger', { chargerId, registrationStatus: status });
      }
    }
    await this.store.chargers.markConnected(chargerId, protocol, nodeId, connectionId, now);
    this.#emit({ type: 'charger.connected', chargerId, protocol, nodeId });
  }

  async chargerDisconnected(chargerId: string, nodeId: string, connectionId: string, code: number): Promise<void> {
    if (await this.store.chargers.markDisconnected(chargerId, connectionId, this.now())) {
      this.#emit({ type: 'charger.disconnected', chargerId, nodeId, code });
    }
  }

  /** Whether the charger may send anything but BootNotification/Heartbeat (OCPP 1.6 §4.2, 2.0.1 B02/B03). */
  async isAccepted(chargerId: string): Promise<boolean> {
    return (await this.store.chargers.get(chargerId))?.registrationStatus === 'Accepted';
  }

  // ── Provisioning (B01–B03) ─────────────────────────────────────────────────────────────────────

  async boot(
    chargerId: string,
    info: { vendor: string; model: string; serialNumber?: string | undefined; firmwareVersion?: string | undefined },
    /** false for a BootNotification that is no reboot (2.0.1 reason `Triggered`, answered to TriggerMessage). */
    rebooted = true,
  ): Promise<{ status: RegistrationStatus; currentTime: string; interval: number }> {
    const now = this.now();
    const status = await this.#work(chargerId, async (work) => {
      const charger = await work.tx.chargers.get(chargerId);
      if (charger === undefined) return undefined;
      await work.tx.chargers.recordBoot(
        chargerId,
        {
          vendor: info.vendor,
          model: info.model,
          serialNumber: info.serialNumber ?? null,
          firmwareVersion: info.firmwareVersion ?? null,
        },
        now,
      );
      work.events.push({ type: 'charger.updated', chargerId });
      // A charger that booted has no transaction running any more: whatever it did not stop (a hard reset
      // or power loss without StopTransaction) ends here, at the last meter value known. A queued
      // StopTransaction sent after the boot still replaces this with the charger's own numbers.
      if (rebooted) await this.#closeOpen(work, await work.tx.transactions.openOf(chargerId), now, STOP_REASONS.rebooted);
      return charger.registrationStatus;
    });
    if (status === undefined) this.#logger.warn('BootNotification from unknown charger rejected', { chargerId });
    const answered = status ?? 'Rejected';
    return {
      status: answered,
      currentTime: now,
      interval: answered === 'Accepted' ? this.heartbeatIntervalS : this.bootRetryIntervalS,
    };
  }

  async heartbeat(chargerId: string): Promise<{ currentTime: string }> {
    const now = this.now();
    await this.store.chargers.recordHeartbeat(chargerId, now);
    this.#emit({ type: 'charger.updated', chargerId });
    return { currentTime: now };
  }

  async connectorStatus(
    chargerId: string,
    connectorId: number,
    status: string,
    timestamp: string | undefined,
    errorCode?: string,
    info?: string,
    guard?: RegistrationGuard,
  ): Promise<void> {
    const connector = {
      chargerId,
      connectorId,
      status,
      errorCode: errorCode ?? null,
      info: info ?? null,
      statusAt: timestamp ?? this.now(),
    };
    await this.#work(chargerId, async (work) => {
      if (connectorId < 0) return; // schema-valid (no minimum) but no such connector; the store's CHECK would throw
      await work.tx.connectors.setStatus(connector);
      work.events.push({ type: 'connector.status', connector });
      if (status === 'Available' && connectorId > 0) await this.#connectorAvailable(work, chargerId, connectorId, connector.statusAt);
    }, guard);
  }

  /**
   * A connector reported Available has no transaction (1.6 §4.9: "available for a new user"). Closes what
   * is still open there and started before the report. For 2.0.1 a transaction may start before the cable
   * is plugged in (TxStartPoint Authorized), so only a transaction that had an EV connected (its last
   * chargingState says so) is closed: Available then means the cable was unplugged (TxStopPoint).
   */
  async #connectorAvailable(work: Work, chargerId: string, connectorId: number, statusAt: string): Promise<void> {
    const at = Date.parse(statusAt);
    const open = (await work.tx.transactions.openOf(chargerId, connectorId))
      .filter((t) => Date.parse(t.startedAt) <= at)
      .filter((t) => t.protocol !== 'ocpp2.0.1' || (t.chargingState !== null && t.chargingState !== 'Idle'));
    await this.#closeOpen(work, open, statusAt, STOP_REASONS.connectorAvailable);
  }

  // ── Authorization (1.6 Authorize, 2.0.1 C01) ───────────────────────────────────────────────────

  async authorize(idTag: string): Promise<AuthorizationResult> {
    return this.#authorizeWith(this.store, idTag, false);
  }

  async #authorizeWith(repos: Repositories, idTag: string, lock: boolean): Promise<AuthorizationResult> {
    const tag = await repos.idTags.get(idTag, lock);
    if (tag === undefined) return { status: 'Unknown' };
    const result: AuthorizationResult = { status: tag.status };
    if (tag.expiryDate !== null) {
      result.expiryDate = tag.expiryDate;
      if (tag.status === 'Accepted' && Date.parse(tag.expiryDate) <= this.#now().getTime()) result.status = 'Expired';
    }
    if (tag.parentIdTag !== null) result.parentIdTag = tag.parentIdTag;
    return result;
  }

  /**
   * authorize() plus the ConcurrentTx check for starting a transaction. The tag's row stays locked until
   * the work commits, so a start of the same tag on another charger (or node) waits and then sees this one.
   */
  async #authorizeStart(work: Work, idTag: string, exceptTransactionId?: number): Promise<AuthorizationResult> {
    const result = await this.#authorizeWith(work.tx, idTag, true);
    if (result.status !== 'Accepted') return result;
    const others = (await work.tx.transactions.activeWithIdTag(idTag)).filter((t) => t.id !== exceptTransactionId);
    return others.length > 0 ? { ...result, status: 'ConcurrentTx' } : result;
  }

  // ── Transactions, 1.6 (§4.8 StartTransaction, §4.10 StopTransaction, §4.7 MeterValues) ─────────

  startTransaction16(
    chargerId: string,
    input: { connectorId: number; idTag: string; meterStartWh: number; timestamp: string; reservationId?: number | undefined },
    guard?: RegistrationGuard,
  ): Promise<{ transaction: TransactionRecord; authorization: AuthorizationResult }> {
    return this.#work(chargerId, async (work) => {
      const { tx } = work;
      const duplicate = await tx.transactions.findDuplicateStart(chargerId, input.connectorId, input.timestamp, input.meterStartWh);
      if (duplicate !== undefined) {
        // A retransmission: answer with the transaction already created, do not open a second one; a start
        // refused the first time stays refused.
        const authorization: AuthorizationResult =
          duplicate.authStatus === 'Accepted' || duplicate.authStatus === null
            ? await this.#authorizeStart(work, input.idTag, duplicate.id)
            : { ...(await this.#authorizeWith(tx, input.idTag, false)), status: duplicate.authStatus as AuthorizationResult['status'] };
        return { transaction: duplicate, authorization };
      }
      const authorization = await this.#authorizeStart(work, input.idTag);
      const transaction = await tx.transactions.insert(
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
      await this.#supersede(work, transaction);
      // A refused start is never announced as started (site charging would give it a share): only its stop.
      if (authorization.status === 'Accepted') work.events.push({ type: 'transaction.started', transaction });
      else {
        // Refused (ConcurrentTx, Invalid, Blocked, Expired): never active. The charger should stop it with
        // reason DeAuthorized (1.6 §4.8, configuration key StopTransactionOnInvalidId); many do not. If it does, its
        // StopTransaction replaces this record's end with the real one.
        // The reason names what the charger was told (1.6 has no `Unknown`: it hears `Invalid`).
        const answered = authorization.status === 'Unknown' ? 'Invalid' : authorization.status;
        await this.#stop(work, transaction, input.timestamp, input.meterStartWh, STOP_REASONS.refused(answered), 'csms');
      }
      return { transaction: (await tx.transactions.get(transaction.id)) as TransactionRecord, authorization };
    }, guard);
  }

  async stopTransaction16(
    chargerId: string,
    input: { transactionId: number; idTag?: string | undefined; meterStopWh: number; timestamp: string; reason?: string | undefined },
    samples: SampleInput[],
    guard?: RegistrationGuard,
  ): Promise<{ authorization?: AuthorizationResult }> {
    await this.#work(chargerId, async (work) => {
      const transaction = await work.tx.transactions.findByOcppId(chargerId, String(input.transactionId));
      if (transaction === undefined) {
        // Answer anyway: a CALLERROR would make the charger retry a message we can never place (1.6 §4.10).
        this.#logger.warn('StopTransaction for unknown transaction', { chargerId, transactionId: input.transactionId });
        return;
      }
      if (samples.length > 0) await work.tx.meterValues.insertMany(chargerId, transaction.connectorId, transaction.id, samples);
      await this.#stop(work, transaction, input.timestamp, input.meterStopWh, input.reason ?? 'Local', 'charger');
    }, guard);
    return input.idTag === undefined ? {} : { authorization: await this.authorize(input.idTag) };
  }

  async meterValues(
    chargerId: string,
    connectorId: number,
    transactionId: number | undefined,
    samples: SampleInput[],
    guard?: RegistrationGuard,
  ): Promise<void> {
    await this.#work(chargerId, async (work) => {
      const transaction = transactionId === undefined ? undefined : await work.tx.transactions.findByOcppId(chargerId, String(transactionId));
      if (transactionId !== undefined && transaction === undefined) {
        this.#logger.warn('MeterValues for unknown transaction stored without a link', { chargerId, transactionId });
      }
      await this.#recordSamples(work, chargerId, connectorId, transaction, samples);
    }, guard);
  }

  // ── Transactions, 2.0.1 (E01–E15 TransactionEvent) ─────────────────────────────────────────────

  transactionEvent(chargerId: string, input: TransactionEventInput, guard?: RegistrationGuard): Promise<{ authorization?: AuthorizationResult }> {
    return this.#work(chargerId, async (work) => {
      const { tx } = work;
      let transaction = await tx.transactions.findByOcppId(chargerId, input.ocppTransactionId);
      let authorization: AuthorizationResult | undefined;
      // After a remote start the events need not carry the idToken; the CSMS knows it from the remoteStartId
      // it sent in RequestStartTransaction (2.0.1 F01.FR.xx, E02), so the ConcurrentTx check sees it.
      const idTag =
        input.idTag ?? (input.remoteStartId === undefined ? undefined : await tx.remoteStarts.idTagOf(chargerId, input.remoteStartId));
      if (transaction === undefined) {
        // Started, or an Updated/Ended whose Started was lost while offline: the transaction begins here.
        authorization = idTag === undefined ? undefined : await this.#authorizeStart(work, idTag);
        transaction = await tx.transactions.insert(
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
        work.events.push({ type: 'transaction.started', transaction });
        if (input.connectorId !== undefined) await this.#supersede(work, transaction);
      } else {
        // A token the event names (or newly bound through remoteStartId) is checked again, this transaction
        // excluded; a repeated remoteStartId that binds the same token changes nothing.
        if (idTag !== undefined && (input.idTag !== undefined || idTag !== transaction.idTag)) {
          authorization = await this.#authorizeStart(work, idTag, transaction.id);
        }
        const changes: TransactionChanges = {};
        if (idTag !== undefined && authorization !== undefined) {
          changes.idTag = idTag;
          changes.authStatus = authorization.status;
        }
        if (input.chargingState !== undefined) changes.chargingState = input.chargingState;
        if (input.remoteStartId !== undefined) changes.remoteStartId = input.remoteStartId;
        if (Object.keys(changes).length > 0) await tx.transactions.update(transaction.id, changes, this.now());
      }
      await this.#recordSamples(work, chargerId, transaction.connectorId, transaction, input.samples, input.eventType !== 'Ended');
      if (input.eventType === 'Ended') {
        const fresh = (await tx.transactions.get(transaction.id)) as TransactionRecord;
        await this.#stop(work, fresh, input.timestamp, energyRegisterWh(input.samples, 'Transaction.End') ?? null, input.stoppedReason ?? 'Local', 'charger');
      }
      // idTokenInfo answers an idToken the request carried (E01/E05), not one the CSMS bound itself.
      return authorization === undefined || input.idTag === undefined ? {} : { authorization };
    }, guard);
  }

  /** The id token of a 2.0.1 remote start, bound before the request is sent (the answer may come late). */
  async rememberRemoteStart(chargerId: string, remoteStartId: number, idTag: string): Promise<void> {
    await this.store.remoteStarts.record(chargerId, remoteStartId, idTag, this.#now());
  }

  // ── Operators ──────────────────────────────────────────────────────────────────────────────────

  /**
   * Closes an open transaction by hand (a charger that will never report its end), at the last meter value
   * known. Returns undefined for an unknown id, and the record with `closed: false` when it had already ended.
   */
  async forceClose(id: number, reason: string, operator: string): Promise<{ transaction: TransactionRecord; closed: boolean } | undefined> {
    const known = await this.store.transactions.get(id);
    if (known === undefined) return undefined;
    const outcome = await this.#work(known.chargerId, async (work) => {
      const transaction = (await work.tx.transactions.get(id)) as TransactionRecord;
      const closed = transaction.active && (await this.#stop(work, transaction, this.now(), null, reason, 'operator'));
      return { transaction: (await work.tx.transactions.get(id)) as TransactionRecord, closed };
    });
    if (outcome.closed) this.#logger.info('transaction force-closed by an operator', { transactionId: id, chargerId: known.chargerId, operator, reason });
    return outcome;
  }

  // ── Shared ─────────────────────────────────────────────────────────────────────────────────────

  async #recordSamples(
    work: Work,
    chargerId: string,
    connectorId: number,
    transaction: TransactionRecord | undefined,
    samples: SampleInput[],
    announce = true,
  ): Promise<void> {
    if (samples.length === 0) return;
    await work.tx.meterValues.insertMany(chargerId, connectorId, transaction?.id ?? null, samples);
    if (transaction === undefined) return;
    const reading = energyRegisterReading(samples);
    if (reading === undefined || reading.value === null) return;
    const updated = await work.tx.transactions.update(transaction.id, { reading: { wh: reading.value, at: reading.timestamp } }, this.now());
    if (announce && updated !== undefined) work.events.push({ type: 'transaction.updated', transaction: updated });
  }

  async #stop(
    work: Work,
    transaction: TransactionRecord,
    stoppedAt: string,
    meterStopWh: number | null,
    reason: string,
    closedBy: TransactionClosedBy,
  ): Promise<boolean> {
    const stopped = await work.tx.transactions.stop(transaction.id, stoppedAt, meterStopWh, reason, closedBy, this.now());
    if (stopped === undefined) return false;
    work.events.push({ type: 'transaction.stopped', transaction: stopped });
    return true;
  }

  /** Ends transactions the charger never reported ended, at their last known meter value. */
  async #closeOpen(work: Work, open: TransactionRecord[], stoppedAt: string, reason: string): Promise<void> {
    for (const transaction of open) {
      if (await this.#stop(work, transaction, stoppedAt, null, reason, 'csms')) {
        this.#logger.info('closed a transaction the charger left open', { chargerId: transaction.chargerId, transactionId: transaction.id, reason });
      }
    }
  }

  /** A connector runs one transaction at a time: a new one there ends any older one still open. */
  async #supersede(work: Work, latest: TransactionRecord): Promise<void> {
    const older = (await work.tx.transactions.openOf(latest.chargerId, latest.connectorId)).filter((t) => t.id < latest.id);
    await this.#closeOpen(work, older, latest.startedAt, STOP_REASONS.superseded(latest.id));
  }
}
