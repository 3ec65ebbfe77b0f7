import type { SqlExecutor } from './sqlDatabase.js';
import type { IdTagRecord, IdTagStatus } from './records.js';

interface IdTagRow {
  id_tag: string;
  status: IdTagStatus;
  expiry_date: string | null;
  parent_id_tag: string | null;
  description: string | null;
  created_at: string;
}

function toRecord(row: IdTagRow): IdTagRecord {
  return {
    idTag: row.id_tag,
    status: row.status,
    expiryDate: row.expiry_date,
    parentIdTag: row.parent_id_tag,
    description: row.description,
    createdAt: row.created_at,
  };
}

/** The local authorization table that Authorize, StartTransaction and TransactionEvent are checked against. */
export class IdTagRepository {
  readonly #sql: SqlExecutor;

  constructor(sql: SqlExecutor) {
    this.#sql = sql;
  }

  /**
   * @param lock inside a transaction: hold the tag's row until it ends, so the ConcurrentTx check and an
   * operator's change of the tag (or a start with the same tag on another node) take turns.
   */
  async get(idTag: string, lock = false): Promise<IdTagRecord | undefined> {
    const row = await this.#sql.get<IdTagRow>(`SELECT * FROM id_tags WHERE id_tag = ?${lock ? this.#sql.lockSuffix : ''}`, [idTag]);
    return row && toRecord(row);
  }

  async list(): Promise<IdTagRecord[]> {
    return (await this.#sql.all<IdTagRow>('SELECT * FROM id_tags ORDER BY id_tag')).map(toRecord);
  }

  /** Inserts a tag unless one with that id exists; returns whether it did (one winner when nodes race). */
  async insert(tag: Omit<IdTagRecord, 'createdAt'>, now: string): Promise<boolean> {
    const changes = await this.#sql.run(
      `INSERT INTO id_tags (id_tag, status, expiry_date, parent_id_tag, description, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id_tag) DO NOTHING`,
      [tag.idTag, tag.status, tag.expiryDate, tag.parentIdTag, tag.description, now],
    );
    return changes === 1;
  }

  /**
   * Creates or replaces a tag; returns true when it was new. Insert first, update only if that found the
   * row: with two writers at once exactly one of them reports "created" (and a delete in between makes
   * it try the insert again).
   */
  async upsert(tag: Omit<IdTagRecord, 'createdAt'>, now: string): Promise<boolean> {
    for (;;) {
      if (await this.insert(tag, now)) return true;
      const updated = await this.#sql.run(
        'UPDATE id_tags SET status = ?, expiry_date = ?, parent_id_tag = ?, description = ? WHERE id_tag = ?',
        [tag.status, tag.expiryDate, tag.parentIdTag, tag.description, tag.idTag],
      );
      if (updated === 1) return false;
    }
  }

  async delete(idTag: string): Promise<boolean> {
    return (await this.#sql.run('DELETE FROM id_tags WHERE id_tag = ?', [idTag])) === 1;
  }

  async count(): Promise<number> {
    return (await this.#sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM id_tags'))?.n ?? 0;
  }
}
