import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** The databases a CSMS scenario runs on: the embedded default, and PostgreSQL shared by every node. */
export type ScenarioDatabaseKind = 'SQLite' | 'PostgreSQL';

/** One throw-away database of a scenario: the environment that points the CSMS processes at it. */
export interface ScenarioDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

/** The PostgreSQL server of the tests (CI exports the throw-away database of its run). */
const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * SQLite: a file in a fresh temp dir that every node opens. PostgreSQL: a uniquely named database on the
 * test server (named after the server's database, so CI can drop leftovers), dropped afterwards.
 */
export async function createScenarioDatabase(kind: ScenarioDatabaseKind): Promise<ScenarioDatabase> {
  if (kind === 'SQLite') {
    const dir = mkdtempSync(join(tmpdir(), 'chargewire-scenario-'));
    return { env: { DATABASE_FILE: join(dir, 'csms.sqlite') }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const parent = decodeURIComponent(new URL(serverUrl).pathname.slice(1)) || 'postgres';
  const name = `${parent === 'postgres' ? 'chargewire_test' : parent}_e2e_${randomBytes(5).toString('hex')}`.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 63);
  await admin(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString(), DATABASE_POOL_SIZE: '5' },
    drop: () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}
