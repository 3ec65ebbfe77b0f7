import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../testing/postgresDatabase.fixture.js';
import { storeSuite, type StoreFactory } from '../testing/storeSuite.fixture.js';
import { twoNodeWritesSuite } from '../testing/twoNodeWrites.fixture.js';
import { MIGRATIONS } from './migrations.js';
import { openStore, redactDatabaseUrl } from './openStore.js';

// Each test gets a database of its own, dropped afterwards, so parallel runs never meet.
const postgresDatabase: StoreFactory = async () => {
  const database = await createTestDatabase();
  return {
    open: () => openStore({ databaseUrl: database.url, databaseFile: '', databasePoolSize: 4 }),
    markNewerSchema: async (store) =>
      void (await store.db.run('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', [MIGRATIONS.length + 1, new Date().toISOString()])),
    drop: () => database.drop(),
  };
};
storeSuite('PostgreSQL', postgresDatabase);
twoNodeWritesSuite('PostgreSQL', postgresDatabase, 40);

describe('PostgreSQL connection settings', () => {
  it('refuses a URL that is not PostgreSQL and never shows a password', async () => {
    await expect(openStore({ databaseUrl: 'mysql://db/csms', databaseFile: '' })).rejects.toThrow(/postgres:\/\//);
    expect(redactDatabaseUrl('postgres://csms:s3cret@db:5432/csms')).toBe('postgres://csms:***@db:5432/csms');
  });
});
