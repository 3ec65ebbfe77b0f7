import pg from 'pg';
import type { PoolClient, QueryResult } from 'pg';
import type { SqlDatabase, SqlExecutor, SqlValue } from './sqlDatabase.js';

/** Options of {@link PostgresDatabase}. */
export interface PostgresOptions {
  /** `postgres://user:password@host:port/database` (libpq-style parameters such as `?sslmode=` work). */
  connectionString: string;
  /** Most connections this instance opens. @default 10 */
  poolSize?: number;
  /** A query (or a wait for a pooled connection) that takes longer fails. @default 30000 */
  statementTimeoutMs?: number;
}

/** SQLSTATEs after which a transaction is simply run again: deadlock_detected, serialization_failure. */
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 5;

/** COUNT(*) and BIGINT ids come back as strings by default; every integer the store keeps fits a double. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === (pg.types.builtins.INT8 as number) ? (value: string) => Number(value) : (pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown)) as typeof pg.types.getTypeParser,
};

/**
 * PostgreSQL through a bounded `pg` pool. Statements are written with `?` placeholders; each distinct text
 * is renumbered (`$1`, `$2`, …) once and sent as a named prepared statement, so a connection parses and
 * plans it once.
 */
export class PostgresDatabase implements SqlDatabase {
  readonly dialect = 'postgres';
  readonly lockSuffix = ' FOR UPDATE';
  readonly pool: pg.Pool;
  /** By SQL text; bounded because the repositories build a fixed, finite set of texts. */
  readonly #statements = new Map<string, { name: string; text: string }>();
  #closed = false;

  constructor(options: PostgresOptions) {
    const timeout = options.statementTimeoutMs ?? 30_000;
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: timeout,
      statement_timeout: timeout,
      types,
    });
    // An idle pooled connection that breaks (database restart) is dropped by the pool; without a
    // listener the 'error' event would end the process.
    this.pool.on('error', () => undefined);
  }

  get isOpen(): boolean {
    return !this.#closed;
  }

  async all<R>(sql: string, values: readonly SqlValue[] = []): Promise<R[]> {
    return (await this.#query(this.pool, sql, values)).rows as R[];
  }

  async get<R>(sql: string, values: readonly SqlValue[] = []): Promise<R | undefined> {
    return (await this.#query(this.pool, sql, values)).rows[0] as R | undefined;
  }

  async run(sql: string, values: readonly SqlValue[] = []): Promise<number> {
    return (await this.#query(this.pool, sql, values)).rowCount ?? 0;
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const result = await fn(this.#executorOn(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        if (attempt < MAX_ATTEMPTS && RETRYABLE.has((err as { code?: string }).code ?? '')) continue;
        throw err;
      } finally {
        client.release(broken);
      }
    }
  }

  /** Ends the pool after the queries in flight; safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.pool.end();
  }

  /** Lends `fn` one pooled connection (the migrations hold a session-level lock on it). */
  async withClient<T>(fn: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      return await fn(client);
    } finally {
      client.release();
    }
  }

  #executorOn(client: PoolClient): SqlExecutor {
    return {
      dialect: this.dialect,
      lockSuffix: this.lockSuffix,
      all: async <R>(sql: string, values: readonly SqlValue[] = []) => (await this.#query(client, sql, values)).rows as R[],
      get: async <R>(sql: string, values: readonly SqlValue[] = []) => (await this.#query(client, sql, values)).rows[0] as R | undefined,
      run: async (sql, values = []) => (await this.#query(client, sql, values)).rowCount ?? 0,
    };
  }

  #query(on: pg.Pool | PoolClient, sql: string, values: readonly SqlValue[]): Promise<QueryResult> {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      let n = 0;
      // The store's SQL has no `?` inside literals, so every `?` is a parameter.
      statement = { name: `chargewire_${this.#statements.size + 1}`, text: sql.replace(/\?/g, () => `$${++n}`) };
      this.#statements.set(sql, statement);
    }
    return on.query({ name: statement.name, text: statement.text, values: values as SqlValue[] });
  }
}
