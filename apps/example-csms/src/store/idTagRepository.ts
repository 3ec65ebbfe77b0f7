import type { Database, Statement } from 'better-sqlite3';
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
  readonly #db: Database;
  readonly #get: Statement<[string], IdTagRow>;

  constructor(db: Database) {
    this.#db = db;
    this.#get = db.prepare('SELECT * FROM id_tags WHERE id_tag = ?');
  }

  get(idTag: string): IdTagRecord | undefined {
    const row = this.#get.get(idTag);
    return row && toRecord(row);
  }

  list(): IdTagRecord[] {
    return this.#db.prepare<[], IdTagRow>('SELECT * FROM id_tags ORDER BY id_tag').all().map(toRecord);
  }

  /** Creates or replaces a tag; returns true when it was new. */
  upsert(tag: Omit<IdTagRecord, 'createdAt'>, now: string): boolean {
    const existed = this.#get.get(tag.idTag) !== undefined;
    this.#db
      .prepare(
        `INSERT INTO id_tags (id_tag, status, expiry_date, parent_id_tag, description, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (id_tag) DO UPDATE SET status = excluded.status, expiry_date = excluded.expiry_date,
           parent_id_tag = excluded.parent_id_tag, description = excluded.description`,
      )
      .run(tag.idTag, tag.status, tag.expiryDate, tag.parentIdTag, tag.description, now);
    return !existed;
  }

  delete(idTag: string): boolean {
    return this.#db.prepare('DELETE FROM id_tags WHERE id_tag = ?').run(idTag).changes === 1;
  }

  count(): number {
    return (this.#db.prepare('SELECT COUNT(*) AS n FROM id_tags').get() as { n: number }).n;
  }
}
