import { randomUUID } from 'node:crypto';
import type { SqlExecutor, SqlValue } from './sqlDatabase.js';
import type { TransactionClosedBy, TransactionRecord } from './records.js';

interface TransactionRow {
  id: number;
  charger_id: string;
  ocpp_transaction_id: string;
  protocol: string;
  connector_id: number;
  id_tag: string | null;
  auth_status: string | null;
  remote_start_id: number | null;
  started_at: string;
  stopped_at: string | null;
  meter_start_wh: number | null;
  last_meter_wh: number | null;
  meter_stop_wh: number | null;
  stop_reason: string | null;
  charging_state: string | null;
  closed_by: TransactionClosedBy | null;
  updated_at: string;
}

/** Energy in Wh between the first and the last register reading known; never negative (meter resets). */
export function energyOf(start: number | null, last: number | null): number {
  if (start === null || last === null) return 0;
  return Math.max(0, Math.round((last - start) * 1000) / 1000);
}

function toRecord(row: TransactionRow): TransactionRecord {
  const end = row.meter_stop_wh ?? row.last_meter_wh;
  return {
    id: row.id,
    chargerId: row.charger_id,
    ocppTransactionId: row.ocpp_transaction_id,
    protocol: row.protocol,
    connectorId: row.connector_id,
    idTag: row.id_tag,
    authStatus: row.auth_status,
    remoteStartId: row.remote_start_id,
    startedAt: row.started_at,
    stoppedAt: row.stopped_at,
    active: row.stopped_at === null,
    meterStartWh: row.meter_start_wh,
    meterStopWh: row.meter_stop_wh,
    lastMeterWh: row.last_meter_wh,
    energyWh: energyOf(row.meter_start_wh, end),
    stopReason: row.stop_reason,
    chargingState: row.charging_state,
    closedBy: row.closed_by,
    updatedAt: row.updated_at,
  };
}

export interface NewTransaction {
  chargerId: string;
  protocol: string;
  connectorId: number;
  idTag: string | null;
  authStatus: string | null;
  remoteStartId: number | null;
  startedAt: string;
  meterStartWh: number | null;
  chargingState: string | null;
}

export interface TransactionQuery {
  chargerId?: string | undefined;
  active?: boolean | undefined;
  limit: number;
  offset: number;
}

export interface TransactionChanges {
  idTag?: string;
  authStatus?: string;
  /**
   * An energy register reading. The earliest one known is the start value, the newest the last value: the
   * order in which readings are stored does not matter (nodes interleave, a lost Started comes late).
   */
  reading?: { wh: number; at: string };
  chargingState?: string;
  remoteStartId?: number;
}

/** Charging sessions of both protocol versions in one model. */
export class TransactionRepository {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  async get(id: number): Promise<TransactionRecord | undefined> {
    const row = await this.#sql.get<TransactionRow>('SELECT * FROM transactions WHERE id = ?', [id]);
    return row && toRecord(row);
  }

  async findByOcppId(chargerId: string, ocppTransactionId: string): Promise<TransactionRecord | undefined> {
    const row = await this.#sql.get<TransactionRow>('SELECT * FROM transactions WHERE charger_id = ? AND ocpp_transaction_id = ?', [chargerId, ocppTransactionId]);
    return row && toRecord(row);
  }

  /** A 1.6 StartTransaction re-sent after a lost answer carries the same connector, start time and meter. */
  async findDuplicateStart(chargerId: string, connectorId: number, startedAt: string, meterStartWh: number): Promise<TransactionRecord | undefined> {
    const row = await this.#sql.get<TransactionRow>(
      `SELECT * FROM transactions WHERE charger_id = ? AND connector_id = ? AND started_at = ? AND meter_start_wh = ?
       ORDER BY id DESC LIMIT 1`,
      [chargerId, connectorId, startedAt, meterStartWh],
    );
    return row && toRecord(row);
  }

  /**
   * Open transactions the CSMS accepted this id tag for (the ConcurrentTx check). A transaction answered
   * ConcurrentTx/Invalid/Blocked never blocks the tag, or one refusal would lock it out for good.
   */
  async activeWithIdTag(idTag: string): Promise<TransactionRecord[]> {
    const rows = await this.#sql.all<TransactionRow>(
      `SELECT * FROM transactions WHERE id_tag = ? AND stopped_at IS NULL AND auth_status = 'Accepted'`,
      [idTag],
    );
    return rows.map(toRecord);
  }

  /** Open transactions of a charger, optionally only those on one connector (1.6) / EVSE (2.0.1). */
  async openOf(chargerId: string, connectorId?: number): Promise<TransactionRecord[]> {
    const rows =
      connectorId === undefined
        ? await this.#sql.all<TransactionRow>('SELECT * FROM transactions WHERE charger_id = ? AND stopped_at IS NULL ORDER BY id', [chargerId])
        : await this.#sql.all<TransactionRow>(
            'SELECT * FROM transactions WHERE charger_id = ? AND connector_id = ? AND stopped_at IS NULL ORDER BY id',
            [chargerId, connectorId],
          );
    return rows.map(toRecord);
  }

  async list(query: TransactionQuery): Promise<{ items: TransactionRecord[]; total: number }> {
    const where: string[] = [];
    const values: SqlValue[] = [];
    if (query.chargerId !== undefined) {
      where.push('charger_id = ?');
      values.push(query.chargerId);
    }
    if (query.active !== undefined) where.push(query.active ? 'stopped_at IS NULL' : 'stopped_at IS NOT NULL');
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const total = (await this.#sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM transactions ${clause}`, values))?.n ?? 0;
    const rows = await this.#sql.all<TransactionRow>(`SELECT * FROM transactions ${clause} ORDER BY id DESC LIMIT ? OFFSET ?`, [
      ...values,
      query.limit,
      query.offset,
    ]);
    return { items: rows.map(toRecord), total };
  }

  /**
   * Inserts a transaction. `ocppTransactionId` undefined means "the CSMS assigns it" (1.6): the row id
   * (AUTOINCREMENT / an identity column, unique across every node sharing the database) becomes the id the
   * charger will use. Call it inside a transaction, so nobody sees the placeholder id.
   */
  async insert(tx: NewTransaction, ocppTransactionId: string | undefined, now: string): Promise<TransactionRecord> {
    const readingAt = tx.meterStartWh === null ? null : tx.startedAt;
    const row = await this.#sql.get<{ id: number }>(
      `INSERT INTO transactions (charger_id, ocpp_transaction_id, protocol, connector_id, id_tag, auth_status,
         remote_start_id, started_at, meter_start_wh, meter_start_at, last_meter_wh, last_meter_at, charging_state, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
      [
        tx.chargerId,
        ocppTransactionId ?? `pending-${randomUUID()}`,
        tx.protocol,
        tx.connectorId,
        tx.idTag,
        tx.authStatus,
        tx.remoteStartId,
        tx.startedAt,
        tx.meterStartWh,
        readingAt,
        tx.meterStartWh,
        readingAt,
        tx.chargingState,
        now,
      ],
    );
    const id = (row as { id: number }).id;
    if (ocppTransactionId === undefined) await this.#sql.run('UPDATE transactions SET ocpp_transaction_id = ? WHERE id = ?', [String(id), id]);
    return (await this.get(id)) as TransactionRecord;
  }

  /** Applies `changes`; resolves to the updated record (undefined for an unknown id). */
  async update(id: number, changes: TransactionChanges, now: string): Promise<TransactionRecord | undefined> {
    const sets: string[] = [];
    const values: SqlValue[] = [];
    if (changes.idTag !== undefined) {
      sets.push('id_tag = ?');
      values.push(changes.idTag);
    }
    if (changes.authStatus !== undefined) {
      sets.push('auth_status = ?');
      values.push(changes.authStatus);
    }
    if (changes.reading !== undefined) {
      // SET expressions all see the row as it was, so each pair of columns tests the same stored timestamp.
      const { wh, at } = changes.reading;
      const earlier = '(meter_start_at IS NULL OR ? < meter_start_at)';
      const newer = '(last_meter_at IS NULL OR last_meter_at <= ?)';
      sets.push(
        `meter_start_wh = CASE WHEN ${earlier} THEN ? ELSE meter_start_wh END`,
        `meter_start_at = CASE WHEN ${earlier} THEN ? ELSE meter_start_at END`,
        `last_meter_wh = CASE WHEN ${newer} THEN ? ELSE last_meter_wh END`,
        `last_meter_at = CASE WHEN ${newer} THEN ? ELSE last_meter_at END`,
      );
      values.push(at, wh, at, at, at, wh, at, at);
    }
    if (changes.chargingState !== undefined) {
      sets.push('charging_state = ?');
      values.push(changes.chargingState);
    }
    if (changes.remoteStartId !== undefined) {
      sets.push('remote_start_id = ?');
      values.push(changes.remoteStartId);
    }
    sets.push('updated_at = ?');
    values.push(now);
    const row = await this.#sql.get<TransactionRow>(`UPDATE transactions SET ${sets.join(', ')} WHERE id = ? RETURNING *`, [...values, id]);
    return row && toRecord(row);
  }

  /**
   * Ends a transaction once; a repeated stop (retransmission) leaves the first record untouched. The one
   * exception: the charger's own stop report replaces a stop the CSMS or an operator recorded without it
   * (a queued StopTransaction arriving after a reboot knows the real end time and meter value).
   * `meterStopWh` null: the last known meter value. One conditional UPDATE: of two nodes stopping the same
   * transaction at once, exactly one gets the stopped record; the other gets undefined.
   */
  async stop(
    id: number,
    stoppedAt: string,
    meterStopWh: number | null,
    reason: string | null,
    closedBy: TransactionClosedBy,
    now: string,
  ): Promise<TransactionRecord | undefined> {
    const replaceable = closedBy === 'charger' ? "stopped_at IS NULL OR closed_by IS NULL OR closed_by <> 'charger'" : 'stopped_at IS NULL';
    // A stop reading is the newest one: a meter value of an earlier moment stored after it changes nothing.
    const row = await this.#sql.get<TransactionRow>(
      `UPDATE transactions SET stopped_at = ?, meter_stop_wh = COALESCE(?, last_meter_wh), stop_reason = ?,
         last_meter_wh = COALESCE(?, last_meter_wh), last_meter_at = COALESCE(?, last_meter_at), closed_by = ?, updated_at = ?
       WHERE id = ? AND (${replaceable}) RETURNING *`,
      [stoppedAt, meterStopWh, reason, meterStopWh, meterStopWh === null ? null : stoppedAt, closedBy, now, id],
    );
    return row && toRecord(row);
  }
}
