import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database, Statement } from 'better-sqlite3';
import { MIGRATIONS } from './migrations.js';
import type { SqlDatabase, SqlExecutor, SqlValue } from './sqlDatabase.js';

/** Prepared statements kept per connection (the repositories use a fixed set of SQL texts). */
const STATEMENT_CACHE_LIMIT = 500;
/** Most transactions one group commit runs, so a long queue still commits (and answers) in steps. */
const GROUP_COMMIT_LIMIT = 256;

/** How long a transaction waits for another process's write lock before it fails with SQLITE_BUSY. */
const BUSY_WAIT_MS = 5_000;

const isBusy = (err: unknown): boolean => err instanceof Error && 'code' in err && err.code === 'SQLITE_BUSY';

interface QueuedTransaction {
  fn: (tx: SqlExecutor) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Who holds a file's write transaction in this process; shared by every connection to that file. */
interface FileGate {
  /** Settles when the open transaction ends; undefined when none is open. */
  busy: Promise<void> | undefined;
  connections: number;
}

/**
 * Connections of one process to one file take turns here before they ask SQLite for the write lock: a
 * lock held by a connection of THIS process is released only by code on this event loop, so waiting for
 * it in SQLite (polling on timers) would only spin.
 */
const gates = new Map<string, FileGate>();

/**
 * better-sqlite3 behind the async {@link SqlDatabase} surface. The driver is synchronous, so a statement
 * runs at once; only a transaction spans awaits. While transactions are open every other statement of
 * this connection queues behind them, so nothing outside a transaction slips into it (or is rolled back
 * with it).
 */
export class SqliteDatabase implements SqlDatabase {
  readonly dialect = 'sqlite';
  readonly lockSuffix = '';
  readonly db: Database;
  /** Schema version before and after opening (from 0 on a fresh file). */
  readonly migration: { from: number; to: number };
  readonly #statements = new Map<string, Statement<SqlValue[], unknown>>();
  readonly #gateKey: string;
  readonly #gate: FileGate;
  readonly #begin: Statement;
  readonly #commit: Statement;
  readonly #savepoint: Statement;
  readonly #releaseSavepoint: Statement;
  readonly #rollbackToSavepoint: Statement;
  /** Transactions waiting for this connection's next group commit. */
  readonly #queue: QueuedTransaction[] = [];
  /** True while this connection drains its queue: its own statements then join the queue. */
  #draining = false;
  readonly #executor: SqlExecutor = {
    dialect: this.dialect,
    lockSuffix: this.lockSuffix,
    all: async <R>(sql: string, values: readonly SqlValue[] = []) => this.#prepare(sql).all(...values) as R[],
    get: async <R>(sql: string, values: readonly SqlValue[] = []) => this.#prepare(sql).get(...values) as R | undefined,
    run: async (sql, values = []) => this.#prepare(sql).run(...values).changes,
  };

  /** @param file path of the database file (its directory is created) or `:memory:`. */
  constructor(readonly file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.#gateKey = file === ':memory:' ? `:memory:${randomUUID()}` : resolve(file);
    this.#gate = gates.get(this.#gateKey) ?? { busy: undefined, connections: 0 };
    this.#gate.connections++;
    gates.set(this.#gateKey, this.#gate);
    this.db = new BetterSqlite3(file);
    try {
      // WAL lets several app instances on one host share the file (cluster mode) and keeps readers unblocked.
      if (file !== ':memory:') this.db.pragma('journal_mode = WAL');
      this.db.pragma('foreign_keys = ON');
      // Migrations (below) may wait for another process synchronously: nothing else runs yet.
      this.db.pragma('busy_timeout = 5000');
      this.db.pragma('synchronous = NORMAL');
      this.migration = migrateSqlite(this.db);
      // Prepared once: exec() would parse these five statements again for every transaction.
      this.#begin = this.db.prepare('BEGIN IMMEDIATE');
      this.#commit = this.db.prepare('COMMIT');
      this.#savepoint = this.db.prepare('SAVEPOINT work');
      this.#releaseSavepoint = this.db.prepare('RELEASE work');
      this.#rollbackToSavepoint = this.db.prepare('ROLLBACK TO work');
      // From here on a lock held by another process is waited for on a timer (see #beginImmediate), never
      // with SQLite's own busy handler, which sleeps on the event loop (up to 100 ms at a time) and stalls
      // every charger of this node while another node commits.
      this.db.pragma('busy_timeout = 0');
    } catch (err) {
      this.db.close();
      this.#release();
      throw err;
    }
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  async all<R>(sql: string, values: readonly SqlValue[] = []): Promise<R[]> {
    if (this.#draining) return this.transaction((tx) => tx.all<R>(sql, values));
    while (this.#gate.busy !== undefined) await this.#gate.busy;
    try {
      return this.#prepare(sql).all(...values) as R[];
    } catch (err) {
      // WAL readers are not blocked by writers; a checkpoint or recovery in another process can still say BUSY.
      if (!isBusy(err)) throw err;
      return this.transaction((tx) => tx.all<R>(sql, values));
    }
  }

  async get<R>(sql: string, values: readonly SqlValue[] = []): Promise<R | undefined> {
    if (this.#draining) return this.transaction((tx) => tx.get<R>(sql, values));
    while (this.#gate.busy !== undefined) await this.#gate.busy;
    try {
      return this.#prepare(sql).get(...values) as R | undefined;
    } catch (err) {
      // WAL readers are not blocked by writers; a checkpoint or recovery in another process can still say BUSY.
      if (!isBusy(err)) throw err;
      return this.transaction((tx) => tx.get<R>(sql, values));
    }
  }

  /** A write takes the file's write lock: it goes through a transaction, whose wait for that lock never blocks. */
  run(sql: string, values: readonly SqlValue[] = []): Promise<number> {
    return this.transaction((tx) => tx.run(sql, values));
  }

  /**
   * Group commit: transactions asked for while this connection has one open wait, then run together in
   * its next database transaction, each inside a savepoint of its own (a failing one is rolled back
   * alone). One BEGIN/COMMIT — one write-lock round and one WAL sync — then serves a whole burst (a second
   * of meter values from hundreds of chargers) instead of one each, and the file's lock is fought over
   * once per burst by the processes sharing it. A transaction asked for on an idle connection starts at once.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (this.#draining) return;
      this.#draining = true;
      // One turn of the event loop: every call read from the sockets in this turn joins the first batch.
      setImmediate(() => void this.#drain());
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        // The check and the claim below run in one synchronous step: no other caller can slip in between.
        // (Several waiters wake together; the first to run may open the next transaction, so check again.)
        while (this.#gate.busy !== undefined) await this.#gate.busy;
        let release!: () => void;
        this.#gate.busy = new Promise<void>((done) => (release = done));
        let settle: () => void = () => undefined;
        try {
          settle = await this.#openBatch();
        } finally {
          this.#gate.busy = undefined;
          release();
        }
        // Settled once the gate is free: a caller's next statement must not wait for the batch it was in.
        settle();
        // Let what waited on the gate (other connections, statements) run before this connection's next batch.
        if (this.#queue.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.#draining = false;
    }
  }

  /**
   * BEGIN IMMEDIATE, waiting on a timer (1 ms, doubling to 16 ms) while another process holds the write
   * lock, for at most BUSY_WAIT_MS as the busy_timeout did before.
   */
  async #beginImmediate(): Promise<void> {
    const deadline = Date.now() + BUSY_WAIT_MS;
    for (let delayMs = 1; ; delayMs = Math.min(delayMs * 2, 16)) {
      try {
        this.#begin.run();
        return;
      } catch (err) {
        if (!isBusy(err) || Date.now() >= deadline) throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }

  /** Runs the queued transactions (up to the limit) in one database transaction; what to settle after it. */
  async #openBatch(): Promise<() => void> {
    const batch = this.#queue.splice(0, GROUP_COMMIT_LIMIT);
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      await this.#beginImmediate();
      // A batch of one needs no savepoint: its failure rolls the whole transaction back.
      const alone = batch.length === 1;
      for (const item of batch) {
        if (!alone) this.#savepoint.run();
        try {
          outcomes.push({ ok: true, value: await item.fn(this.#executor) });
          if (!alone) this.#releaseSavepoint.run();
        } catch (error) {
          if (alone) throw error;
          this.#rollbackToSavepoint.run();
          this.#releaseSavepoint.run();
          outcomes.push({ ok: false, error });
        }
      }
      this.#commit.run();
    } catch (error) {
      // The batch itself failed (lock not granted, COMMIT refused, connection closed, or its only
      // transaction failed): nothing of it was kept.
      if (this.db.open && this.db.inTransaction) this.db.exec('ROLLBACK');
      return () => batch.forEach((item) => item.reject(error));
    }
    return () =>
      batch.forEach((item, i) => {
        const outcome = outcomes[i]!;
        if (outcome.ok) item.resolve(outcome.value);
        else item.reject(outcome.error);
      });
  }

  /** Checkpoints the WAL into the main file and closes; safe to call twice. */
  async close(): Promise<void> {
    if (this.#draining) await this.transaction(async () => undefined);
    while (this.#gate.busy !== undefined) await this.#gate.busy;
    if (!this.db.open) return;
    if (this.file !== ':memory:') this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
    this.#release();
  }

  #release(): void {
    if (--this.#gate.connections === 0) gates.delete(this.#gateKey);
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
