import type { Database, Statement } from 'better-sqlite3';
import type { ConnectorRecord } from './records.js';

interface ConnectorRow {
  charger_id: string;
  connector_id: number;
  status: string;
  error_code: string | null;
  info: string | null;
  status_at: string;
}

function toRecord(row: ConnectorRow): ConnectorRecord {
  return {
    chargerId: row.charger_id,
    connectorId: row.connector_id,
    status: row.status,
    errorCode: row.error_code,
    info: row.info,
    statusAt: row.status_at,
  };
}

/** Last reported status per connector (1.6 connectorId / 2.0.1 evseId). */
export class ConnectorRepository {
  readonly #upsert: Statement<[string, number, string, string | null, string | null, string]>;
  readonly #byCharger: Statement<[string], ConnectorRow>;
  readonly #all: Statement<[], ConnectorRow>;

  constructor(db: Database) {
    this.#upsert = db.prepare(
      `INSERT INTO connectors (charger_id, connector_id, status, error_code, info, status_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (charger_id, connector_id) DO UPDATE SET
         status = excluded.status, error_code = excluded.error_code, info = excluded.info, status_at = excluded.status_at
       WHERE excluded.status_at >= connectors.status_at`,
    );
    this.#byCharger = db.prepare('SELECT * FROM connectors WHERE charger_id = ? ORDER BY connector_id');
    this.#all = db.prepare('SELECT * FROM connectors ORDER BY charger_id, connector_id');
  }

  /**
   * Stores a status unless a newer one is already recorded: queued StatusNotifications replayed after a
   * reconnect must not overwrite the present state.
   */
  setStatus(record: ConnectorRecord): void {
    this.#upsert.run(record.chargerId, record.connectorId, record.status, record.errorCode, record.info, record.statusAt);
  }

  listByCharger(chargerId: string): ConnectorRecord[] {
    return this.#byCharger.all(chargerId).map(toRecord);
  }

  /** All connectors grouped by charger id. */
  listAll(): Map<string, ConnectorRecord[]> {
    const map = new Map<string, ConnectorRecord[]>();
    for (const row of this.#all.all()) {
      const list = map.get(row.charger_id) ?? [];
      list.push(toRecord(row));
      map.set(row.charger_id, list);
    }
    return map;
  }
}
