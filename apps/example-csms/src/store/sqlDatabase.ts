/** A value a statement can bind: the store keeps timestamps as ISO-8601 text, so no Date or boolean. */
export type SqlValue = string | number | null;

/** Which SQL dialect a database speaks; repositories pick the few statements that differ by it. */
export type SqlDialect = 'sqlite' | 'postgres';

/**
 * Runs statements written with `?` placeholders (the driver renumbers them for PostgreSQL). The
 * repositories are written once against this, so SQLite and PostgreSQL share every query that is
 * standard SQL.
 */
export interface SqlExecutor {
  readonly dialect: SqlDialect;
  /** ` FOR UPDATE` on PostgreSQL; empty on SQLite, where a transaction already holds the write lock. */
  readonly lockSuffix: string;
  /** All rows of a query. */
  all<R>(sql: string, values?: readonly SqlValue[]): Promise<R[]>;
  /** The first row of a query, or undefined. */
  get<R>(sql: string, values?: readonly SqlValue[]): Promise<R | undefined>;
  /** Runs a statement; resolves to the number of rows it changed. */
  run(sql: string, values?: readonly SqlValue[]): Promise<number>;
}

/** A database connection (SQLite) or pool (PostgreSQL) with transactions. */
export interface SqlDatabase extends SqlExecutor {
  readonly isOpen: boolean;
  /**
   * Runs `fn` in one database transaction: committed when it resolves, rolled back when it rejects. On
   * SQLite it is an IMMEDIATE transaction (the write lock is taken at once, so everything inside is
   * serialised with every other writer, in this process and others). On PostgreSQL it is READ COMMITTED:
   * code that reads before it writes takes row locks (`lockSuffix`). A deadlock or serialisation failure
   * runs `fn` again, so it must not have effects outside the database.
   */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
