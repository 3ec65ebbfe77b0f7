import { migratePostgres } from './migratePostgres.js';
import { PostgresDatabase } from './postgresDatabase.js';
import { SqliteDatabase } from './sqliteDatabase.js';
import { Store } from './store.js';

/** Where the data lives. */
export interface StoreOptions {
  /** `postgres://…` (or `postgresql://…`): PostgreSQL, shared by instances on several hosts. Wins over `databaseFile`. */
  databaseUrl?: string | undefined;
  /** SQLite file (created and migrated on first open) or `:memory:`, used when `databaseUrl` is unset. */
  databaseFile: string;
  /** Connections of the PostgreSQL pool. @default 10 */
  databasePoolSize?: number | undefined;
}

/** Whether a URL names a PostgreSQL database (the schemes libpq accepts). */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/**
 * Opens (creating and migrating) the store: PostgreSQL when `databaseUrl` is set, else the SQLite file.
 * @example
 * const store = await openStore({ databaseUrl: process.env.DATABASE_URL, databaseFile: 'data/csms.sqlite' });
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.databaseUrl === undefined) {
    const db = new SqliteDatabase(options.databaseFile);
    return new Store(db, db.migration);
  }
  if (!isPostgresUrl(options.databaseUrl)) throw new Error('databaseUrl must start with postgres:// or postgresql://');
  const db = new PostgresDatabase({
    connectionString: options.databaseUrl,
    ...(options.databasePoolSize === undefined ? {} : { poolSize: options.databasePoolSize }),
  });
  try {
    return new Store(db, await migratePostgres(db));
  } catch (err) {
    await db.close();
    throw err;
  }
}

/** The URL without its password, for banners and logs (secrets never reach logs). */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}
