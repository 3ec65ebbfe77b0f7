import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The server the PostgreSQL tests use: TEST_DATABASE_URL (CI exports the throw-away database of its run),
 * else the local default. Tests only connect to it to create and drop their own databases.
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A database of one test file or suite: `url` to open it, `drop()` when done. */
export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a uniquely named, empty database on the test server, so test files running in parallel never
 * share one. Its name starts with the server database's name, so CI can drop whatever a killed run left.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const base = new URL(TEST_DATABASE_URL);
  const parent = decodeURIComponent(base.pathname.slice(1)) || 'postgres';
  const prefix = parent === 'postgres' ? 'chargewire_test' : parent;
  const name = `${prefix}_${randomBytes(6).toString('hex')}`.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 63);
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    // FORCE ends the connections a failed test left open (PostgreSQL 13+).
    drop: () => withAdmin(async (client) => void (await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))),
  };
}
