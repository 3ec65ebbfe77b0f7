import { MIGRATIONS } from './migrations.js';
import type { PostgresDatabase } from './postgresDatabase.js';

/**
 * Key of the session-level advisory lock held while migrating: any 64-bit number the app does not use
 * elsewhere ("chargewire" in ASCII, truncated). Every instance starting at once waits here, so exactly one
 * runs each step and the others find the schema already current.
 */
const MIGRATION_LOCK_KEY = '7163384863226770286';

/**
 * Brings a PostgreSQL database to the newest schema version. `schema_migrations` holds one row per step
 * applied; each step and its row are committed together, under the advisory lock.
 */
export async function migratePostgres(db: PostgresDatabase): Promise<{ from: number; to: number }> {
  return db.withClient(async (client) => {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)`);
      const result = await client.query<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations');
      const from = result.rows[0]?.version ?? 0;
      if (from > MIGRATIONS.length) {
        throw new Error(`database schema version ${from} is newer than this app knows (${MIGRATIONS.length}); refusing to downgrade`);
      }
      for (let version = from; version < MIGRATIONS.length; version++) {
        await client.query('BEGIN');
        try {
          await client.query((MIGRATIONS[version] as { postgres: string }).postgres);
          await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [version + 1, new Date().toISOString()]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK');
          throw err;
        }
      }
      return { from, to: MIGRATIONS.length };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  });
}
