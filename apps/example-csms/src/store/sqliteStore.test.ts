import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { storeSuite, type StoreFactory } from '../testing/storeSuite.fixture.js';
import { twoNodeWritesSuite } from '../testing/twoNodeWrites.fixture.js';
import { MIGRATIONS } from './migrations.js';
import { openStore } from './openStore.js';
import { SqliteDatabase } from './sqliteDatabase.js';

// Each test gets a file of its own (two instances of the store share a file, as cluster nodes on one host do).
const sqliteFile: StoreFactory = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'csms-store-'));
  const file = join(dir, 'csms.sqlite');
  return {
    open: () => openStore({ databaseFile: file }),
    markNewerSchema: async (store) => void (store.db as SqliteDatabase).db.pragma(`user_version = ${MIGRATIONS.length + 1}`),
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
};
storeSuite('SQLite', sqliteFile);
twoNodeWritesSuite('SQLite', sqliteFile, 40);

describe('SQLite store files', () => {
  it('creates the directory of a fresh file, and works in memory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'csms-store-'));
    try {
      const store = await openStore({ databaseFile: join(dir, 'a', 'b', 'csms.sqlite') });
      expect(store.migration).toEqual({ from: 0, to: MIGRATIONS.length });
      await store.close();
      const memory = await openStore({ databaseFile: ':memory:' });
      expect(memory.dialect).toBe('sqlite');
      await memory.close();
      expect(memory.isOpen).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
