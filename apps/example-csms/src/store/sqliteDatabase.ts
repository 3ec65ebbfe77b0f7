import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database, Statement } from 'better-sqlite3';
import { MIGRATIONS } from './migrations.js';
import type { SqlDatabase, SqlExecutor, SqlValue } from './sqlDatabase.js';

/** Prepared statements kept per connection (the repositories use a fixed set of SQL texts). */
const STATEMENT_CACHE_LIMIT = 500;

/**
 * better-sqlite3 behind the async {@link SqlDatabase} surface. The driver is synchronous, so a statement
 * runs at once; only a transaction spans awaits. While one is open every other statement of this
 * connection waits for it, so nothing outside the transaction slips into it (or is rolled back with it).
 */
export class SqliteDatabase implements SqlDatabase {
  readonly dialect = 'sqlite';
  readonly lockSuffix = '';
  readonly db: Database;
  /** Schema version before and after opening (from 0 on a fresh file). */
  readonly migration: { from: number; to: number };
  readonly #statements = new Map<string, Statement<SqlValue[], unknown>>();
  /** Settles when the open transaction ends; undefined when none is open. */
  #busy: Promise<void> | undefined;

  /** @param file path of the database file (its directory is created) or `:memory:`. */
  constructor(readonly file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new BetterSqlite3(file);
    try {
      // WAL lets several app instances on one host share the file (cluster mode) and keeps readers unblocked.
      if (file !== ':memory:') this.db.pragma('journal_mode = WAL');
      this.db.pragma('foreign_keys = ON');
      this.db.pragma('busy_timeout = 5000');
      this.db.pragma('synchronous = NORMAL');
      this.migration = migrateSqlite(this.db);
    } catch (err) {
      this.db.close();
      throw err;
    }
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  async all<R>(sql: string, values: readonly SqlValue[] = []): Promise<R[]> {
    await this.#idle();
    return this.#prepare(sql).all(...values) as R[];
  }

  async get<R>(sql: string, values: readonly SqlValue[] = []): Promise<R | undefined> {
    await this.#idle();
    return this.#prepare(sql).get(...values) as R | undefined;
  }

  async run(sql: string, values: readonly SqlValue[] = []): Promise<number> {
    await this.#idle();
    return this.#prepare(sql).run(...values).changes;
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    await this.#idle();
    let release!: () => void;
    this.#busy = new Promise<void>((resolve) => (release = resolve));
    const tx: SqlExecutor = {
      dialect: this.dialect,
      lockSuffix: this.lockSuffix,
      all: async <R>(sql: string, values: readonly SqlValue[] = []) => this.#prepare(sql).all(...values) as R[],
      get: async <R>(sql: string, values: readonly SqlValue[] = []) => this.#prepare(sql).get(...values) as R | undefined,
      run: async (sql, values = []) => this.#prepare(sql).run(...values).changes,
    };
    try {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(tx);
        this.db.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw err;
      }
    } finally {
      this.#busy = undefined;
      release();
    }
  }

  /** Checkpoints the WAL into the main file and closes; safe to call twice. */
  async close(): Promise<void> {
    await this.#idle();
    if (!this.db.open) return;
    if (this.file !== ':memory:') this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }

  async #idle(): Promise<void> {
    // Several waiters wake together; the first to run may open the next transaction, so check again.
    while (this.#busy !== undefined) await this.#busy;
  }

  #prepare(sql: string): Statement<SqlValue[], unknown> {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare<SqlValue[], unknown>(sql);
      if (this.#statements.size >= STATEMENT_CACHE_LIMIT) this.#statements.clear();
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}

/**
 * Brings the file to the newest schema version, one IMMEDIATE transaction per step. `PRAGMA user_version`
 * is the version, re-read inside each transaction, so two instances opening a fresh shared file at once
 * (cluster mode on one host) do not both run a step.
 */
function migrateSqlite(db: Database): { from: number; to: number } {
  // `from` is the version the first step saw under the lock: an instance that waited for another one's
  // migration reports the schema as it found it, current.
  let from: number | undefined;
  const step = db.transaction((): boolean => {
    const version = db.pragma('user_version', { simple: true }) as number;
    from ??= version;
    if (version > MIGRATIONS.length) {
      throw new Error(`database schema version ${version} is newer than this app knows (${MIGRATIONS.length}); refusing to downgrade`);
    }
    if (version === MIGRATIONS.length) return false;
    db.exec((MIGRATIONS[version] as { sqlite: string }).sqlite);
    db.pragma(`user_version = ${version + 1}`);
    return true;
  });
  while (step.immediate()) {
    // one step per transaction
  }
  return { from: from ?? 0, to: MIGRATIONS.length };
}
