import type { SqlExecutor } from './sqlDatabase.js';
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
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  /**
   * Stores a status unless a newer one is already recorded: queued StatusNotifications replayed after a
   * reconnect must not overwrite the present state. One statement, so two nodes writing at once cannot
   * leave the older status behind.
   */
  async setStatus(record: ConnectorRecord): Promise<void> {
    await this.#sql.run(
      `INSERT INTO connectors (charger_id, connector_id, status, error_code, info, status_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (charger_id, connector_id) DO UPDATE SET
         status = excluded.status, error_code = excluded.error_code, info = excluded.info, status_at = excluded.status_at
       WHERE excluded.status_at >= connectors.status_at`,
      [record.chargerId, record.connectorId, record.status, record.errorCode, record.info, record.statusAt],
    );
  }

  async listByCharger(chargerId: string): Promise<ConnectorRecord[]> {
    return (await this.#sql.all<ConnectorRow>('SELECT * FROM connectors WHERE charger_id = ? ORDER BY connector_id', [chargerId])).map(toRecord);
  }

  /** All connectors grouped by charger id. */
  async listAll(): Promise<Map<string, ConnectorRecord[]>> {
    const map = new Map<string, ConnectorRecord[]>();
    for (const row of await this.#sql.all<ConnectorRow>('SELECT * FROM connectors ORDER BY charger_id, connector_id')) {
      const list = map.get(row.charger_id) ?? [];
      list.push(toRecord(row));
      map.set(row.charger_id, list);
    }
    return map;
  }
}
