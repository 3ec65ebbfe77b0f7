import type { SqlExecutor } from './sqlDatabase.js';

/** How long a remote start's id token stays bound to its remoteStartId (24 h). */
export const REMOTE_START_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * The id token of each 2.0.1 RequestStartTransaction, by charger and remoteStartId. A station's
 * TransactionEvents after a remote start carry `transactionInfo.remoteStartId` but need not carry the
 * idToken (2.0.1 F01/E02), so this is how the CSMS knows whose transaction it is. Rows older than
 * {@link REMOTE_START_TTL_MS} are deleted on every insert, so the table stays bounded.
 */
export class RemoteStartRepository {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  async record(chargerId: string, remoteStartId: number, idTag: string, now: Date): Promise<void> {
    await this.#sql.run('DELETE FROM remote_starts WHERE created_at < ?', [new Date(now.getTime() - REMOTE_START_TTL_MS).toISOString()]);
    await this.#sql.run(
      `INSERT INTO remote_starts (charger_id, remote_start_id, id_tag, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (charger_id, remote_start_id) DO UPDATE SET id_tag = excluded.id_tag, created_at = excluded.created_at`,
      [chargerId, remoteStartId, idTag, now.toISOString()],
    );
  }

  async idTagOf(chargerId: string, remoteStartId: number): Promise<string | undefined> {
    const row = await this.#sql.get<{ id_tag: string }>('SELECT id_tag FROM remote_starts WHERE charger_id = ? AND remote_start_id = ?', [chargerId, remoteStartId]);
    return row?.id_tag;
  }

  async count(): Promise<number> {
    return (await this.#sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM remote_starts'))?.n ?? 0;
  }
}
