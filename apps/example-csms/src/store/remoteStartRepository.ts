import type { Database } from 'better-sqlite3';

/** How long a remote start's id token stays bound to its remoteStartId (24 h). */
export const REMOTE_START_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * The id token of each 2.0.1 RequestStartTransaction, by charger and remoteStartId. A station's
 * TransactionEvents after a remote start carry `transactionInfo.remoteStartId` but need not carry the
 * idToken (2.0.1 F01/E02), so this is how the CSMS knows whose transaction it is. Rows older than
 * {@link REMOTE_START_TTL_MS} are deleted on every insert, so the table stays bounded.
 */
export class RemoteStartRepository {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  record(chargerId: string, remoteStartId: number, idTag: string, now: Date): void {
    this.#db.prepare('DELETE FROM remote_starts WHERE created_at < ?').run(new Date(now.getTime() - REMOTE_START_TTL_MS).toISOString());
    this.#db
      .prepare('INSERT OR REPLACE INTO remote_starts (charger_id, remote_start_id, id_tag, created_at) VALUES (?, ?, ?, ?)')
      .run(chargerId, remoteStartId, idTag, now.toISOString());
  }

  idTagOf(chargerId: string, remoteStartId: number): string | undefined {
    const row = this.#db
      .prepare<[string, number], { id_tag: string }>('SELECT id_tag FROM remote_starts WHERE charger_id = ? AND remote_start_id = ?')
      .get(chargerId, remoteStartId);
    return row?.id_tag;
  }
}
