import type { Database, Statement } from 'better-sqlite3';
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
  meterStartWh?: number;
  lastMeterWh?: number;
  chargingState?: string;
  remoteStartId?: number;
}

/** Charging sessions of both protocol versions in one model. */
export class TransactionRepository {
  readonly #db: Database;
  readonly #get: Statement<[number], TransactionRow>;
  readonly #byOcppId: Statement<[string, string], TransactionRow>;

  constructor(db: Database) {
    this.#db = db;
    this.#get = db.prepare('SELECT * FROM transactions WHERE id = ?');
    this.#byOcppId = db.prepare('SELECT * FROM transactions WHERE charger_id = ? AND ocpp_transaction_id = ?');
  }

  get(id: number): TransactionRecord | undefined {
    const row = this.#get.get(id);
    return row && toRecord(row);
  }

  findByOcppId(chargerId: string, ocppTransactionId: string): TransactionRecord | undefined {
    const row = this.#byOcppId.get(chargerId, ocppTransactionId);
    return row && toRecord(row);
  }

  /** A 1.6 StartTransaction re-sent after a lost answer carries the same connector, start time and meter. */
  findDuplicateStart(chargerId: string, connectorId: number, startedAt: string, meterStartWh: number): TransactionRecord | undefined {
    const row = this.#db
      .prepare<[string, number, string, number], TransactionRow>(
        `SELECT * FROM transactions WHERE charger_id = ? AND connector_id = ? AND started_at = ? AND meter_start_wh = ?
         ORDER BY id DESC LIMIT 1`,
      )
      .get(chargerId, connectorId, startedAt, meterStartWh);
    return row && toRecord(row);
  }

  /**
   * Open transactions the CSMS accepted this id tag for (the ConcurrentTx check). A transaction answered
   * ConcurrentTx/Invalid/Blocked never blocks the tag, or one refusal would lock it out for good.
   */
  activeWithIdTag(idTag: string): TransactionRecord[] {
    return this.#db
      .prepare<[string], TransactionRow>(
        `SELECT * FROM transactions WHERE id_tag = ? AND stopped_at IS NULL AND auth_status = 'Accepted'`,
      )
      .all(idTag)
      .map(toRecord);
  }

  /** Open transactions of a charger, optionally only those on one connector (1.6) / EVSE (2.0.1). */
  openOf(chargerId: string, connectorId?: number): TransactionRecord[] {
    const rows =
      connectorId === undefined
        ? this.#db
            .prepare<[string], TransactionRow>('SELECT * FROM transactions WHERE charger_id = ? AND stopped_at IS NULL ORDER BY id')
            .all(chargerId)
        : this.#db
            .prepare<[string, number], TransactionRow>(
              'SELECT * FROM transactions WHERE charger_id = ? AND connector_id = ? AND stopped_at IS NULL ORDER BY id',
            )
            .all(chargerId, connectorId);
    return rows.map(toRecord);
  }

  list(query: TransactionQuery): { items: TransactionRecord[]; total: number } {
    const where: string[] = [];
    const values: Array<string | number> = [];
    if (query.chargerId !== undefined) {
      where.push('charger_id = ?');
      values.push(query.chargerId);
    }
    if (query.active !== undefined) where.push(query.active ? 'stopped_at IS NULL' : 'stopped_at IS NOT NULL');
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const total = (this.#db.prepare(`SELECT COUNT(*) AS n FROM transactions ${clause}`).get(...values) as { n: number }).n;
    const items = this.#db
      .prepare<Array<string | number>, TransactionRow>(
        `SELECT * FROM transactions ${clause} ORDER BY id DESC LIMIT ? OFFSET ?`,
      )
      .all(...values, query.limit, query.offset)
      .map(toRecord);
    return { items, total };
  }

  /**
   * Inserts a transaction. `ocppTransactionId` undefined means "the CSMS assigns it" (1.6): the row id
   * becomes the id the charger will use.
   */
  insert(tx: NewTransaction, ocppTransactionId: string | undefined, now: string): TransactionRecord {
    const run = this.#db.transaction(() => {
      const result = this.#db
        .prepare(
          `INSERT INTO transactions (charger_id, ocpp_transaction_id, protocol, connector_id, id_tag, auth_status,
             remote_start_id, started_at, meter_start_wh, last_meter_wh, charging_state, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          tx.chargerId,
          ocppTransactionId ?? `pending-${now}-${Math.random()}`,
          tx.protocol,
          tx.connectorId,
          tx.idTag,
          tx.authStatus,
          tx.remoteStartId,
          tx.startedAt,
          tx.meterStartWh,
          tx.meterStartWh,
          tx.chargingState,
          now,
        );
      const id = Number(result.lastInsertRowid);
      if (ocppTransactionId === undefined) {
        this.#db.prepare('UPDATE transactions SET ocpp_transaction_id = ? WHERE id = ?').run(String(id), id);
      }
      return id;
    });
    const id = run.immediate();
    return toRecord(this.#get.get(id) as TransactionRow);
  }

  update(id: number, changes: TransactionChanges, now: string): void {
    const sets: string[] = [];
    const values: Array<string | number> = [];
    if (changes.idTag !== undefined) {
      sets.push('id_tag = ?');
      values.push(changes.idTag);
    }
    if (changes.authStatus !== undefined) {
      sets.push('auth_status = ?');
      values.push(changes.authStatus);
    }
    if (changes.meterStartWh !== undefined) {
      // Only the first reading counts as the start value.
      sets.push('meter_start_wh = COALESCE(meter_start_wh, ?)');
      values.push(changes.meterStartWh);
    }
    if (changes.lastMeterWh !== undefined) {
      sets.push('last_meter_wh = ?');
      values.push(changes.lastMeterWh);
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
    this.#db.prepare(`UPDATE transactions SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
  }

  /**
   * Ends a transaction once; a repeated stop (retransmission) leaves the first record untouched. The one
   * exception: the charger's own stop report replaces a stop the CSMS or an operator recorded without it
   * (a queued StopTransaction arriving after a reboot knows the real end time and meter value).
   * `meterStopWh` null: the last known meter value.
   */
  stop(
    id: number,
    stoppedAt: string,
    meterStopWh: number | null,
    reason: string | null,
    closedBy: TransactionClosedBy,
    now: string,
  ): boolean {
    const result = this.#db
      .prepare(
        `UPDATE transactions SET stopped_at = ?, meter_stop_wh = COALESCE(?, last_meter_wh), stop_reason = ?,
           last_meter_wh = COALESCE(?, last_meter_wh), closed_by = ?, updated_at = ?
         WHERE id = ? AND (stopped_at IS NULL OR (? = 'charger' AND closed_by IS NOT 'charger'))`,
      )
      .run(stoppedAt, meterStopWh, reason, meterStopWh, closedBy, now, id, closedBy);
    return result.changes === 1;
  }
}
