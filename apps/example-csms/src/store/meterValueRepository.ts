import type { SqlExecutor } from './sqlDatabase.js';
import type { MeterValueRecord, SampleInput } from './records.js';

interface MeterValueRow {
  id: number;
  charger_id: string;
  connector_id: number;
  transaction_id: number | null;
  timestamp: string;
  measurand: string;
  phase: string | null;
  location: string | null;
  context: string | null;
  unit: string | null;
  value: number | null;
  raw_value: string | null;
}

function toRecord(row: MeterValueRow): MeterValueRecord {
  return {
    id: row.id,
    chargerId: row.charger_id,
    connectorId: row.connector_id,
    transactionId: row.transaction_id,
    timestamp: row.timestamp,
    measurand: row.measurand,
    phase: row.phase,
    location: row.location,
    context: row.context,
    unit: row.unit,
    value: row.value,
    rawValue: row.raw_value,
  };
}

/** Sampled values, linked to a transaction when the charger says which one. */
export class MeterValueRepository {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  /**
   * Stores samples; one already stored (the same reading re-sent, possibly to another node) is skipped.
   * Call it inside a transaction so a batch is stored whole or not at all.
   * @returns how many were new.
   */
  async insertMany(chargerId: string, connectorId: number, transactionId: number | null, samples: readonly SampleInput[]): Promise<number> {
    let inserted = 0;
    for (const s of samples) {
      inserted += await this.#sql.run(
        `INSERT INTO meter_values (charger_id, connector_id, transaction_id, timestamp, measurand, phase, location, context,
           unit, value, raw_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        [chargerId, connectorId, transactionId, s.timestamp, s.measurand, s.phase ?? null, s.location ?? null, s.context ?? null, s.unit ?? null, s.value, s.rawValue ?? null],
      );
    }
    return inserted;
  }

  async listByTransaction(transactionId: number, limit = 1000): Promise<MeterValueRecord[]> {
    const rows = await this.#sql.all<MeterValueRow>('SELECT * FROM meter_values WHERE transaction_id = ? ORDER BY timestamp, id LIMIT ?', [transactionId, limit]);
    return rows.map(toRecord);
  }
}
