import type { Database, Statement } from 'better-sqlite3';
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
  readonly #db: Database;
  readonly #insert: Statement<
    [string, number, number | null, string, string, string | null, string | null, string | null, string | null, number | null, string | null]
  >;

  constructor(db: Database) {
    this.#db = db;
    this.#insert = db.prepare(
      `INSERT INTO meter_values (charger_id, connector_id, transaction_id, timestamp, measurand, phase, location, context,
         unit, value, raw_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  insertMany(chargerId: string, connectorId: number, transactionId: number | null, samples: readonly SampleInput[]): void {
    const run = this.#db.transaction(() => {
      for (const s of samples) {
        this.#insert.run(
          chargerId,
          connectorId,
          transactionId,
          s.timestamp,
          s.measurand,
          s.phase ?? null,
          s.location ?? null,
          s.context ?? null,
          s.unit ?? null,
          s.value,
          s.rawValue ?? null,
        );
      }
    });
    run();
  }

  listByTransaction(transactionId: number, limit = 1000): MeterValueRecord[] {
    return this.#db
      .prepare<[number, number], MeterValueRow>(
        'SELECT * FROM meter_values WHERE transaction_id = ? ORDER BY timestamp, id LIMIT ?',
      )
      .all(transactionId, limit)
      .map(toRecord);
  }
}
