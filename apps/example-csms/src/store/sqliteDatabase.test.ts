import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteDatabase } from './sqliteDatabase.js';

describe('SqliteDatabase group commit', () => {
  const dirs: string[] = [];
  const open = (): SqliteDatabase => {
    const dir = mkdtempSync(join(tmpdir(), 'csms-group-commit-'));
    dirs.push(dir);
    const db = new SqliteDatabase(join(dir, 'csms.sqlite'));
    db.db.exec('CREATE TABLE counter (name TEXT PRIMARY KEY, n INTEGER NOT NULL)');
    return db;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('runs a burst of transactions together, each seeing the ones before it, and rolls back only the one that fails', async () => {
    const db = open();
    const increments = Array.from({ length: 300 }, (_, i) =>
      db.transaction(async (tx) => {
        const row = await tx.get<{ n: number }>('SELECT n FROM counter WHERE name = ?', ['a']);
        await tx.run('INSERT INTO counter (name, n) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET n = excluded.n', ['a', (row?.n ?? 0) + 1]);
        if (i % 10 === 0) {
          await tx.run('INSERT INTO counter (name, n) VALUES (?, ?)', [`failed-${i}`, 1]);
          throw new Error(`refused ${i}`);
        }
        return i;
      }),
    );
    const outcomes = await Promise.allSettled(increments);
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(30);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : -1)).filter((v) => v >= 0)).toHaveLength(270);
    // Every successful read-modify-write counted, the failed ones left nothing behind.
    expect(await db.get<{ n: number }>('SELECT n FROM counter WHERE name = ?', ['a'])).toEqual({ n: 270 });
    expect(await db.all('SELECT name FROM counter WHERE name LIKE ?', ['failed-%'])).toEqual([]);
    await db.close();
  });

  it('queues a statement issued while transactions are open behind them, never inside them', async () => {
    const db = open();
    let release!: () => void;
    const held = db.transaction(async (tx) => {
      await tx.run('INSERT INTO counter (name, n) VALUES (?, ?)', ['held', 1]);
      await new Promise<void>((resolve) => (release = resolve));
      throw new Error('rolled back');
    });
    await new Promise((resolve) => setImmediate(resolve));
    const outside = db.run('INSERT INTO counter (name, n) VALUES (?, ?)', ['outside', 1]);
    release();
    await expect(held).rejects.toThrow('rolled back');
    await expect(outside).resolves.toBe(1);
    expect(await db.all<{ name: string }>('SELECT name FROM counter ORDER BY name')).toEqual([{ name: 'outside' }]);
    await db.close();
  });

  it('commits a burst in far fewer database transactions than it has units of work', async () => {
    const db = open();
    // Every commit appends at least one frame to the write-ahead log: count them from an empty log.
    db.db.pragma('wal_checkpoint(TRUNCATE)');
    await Promise.all(Array.from({ length: 200 }, (_, i) => db.transaction((tx) => tx.run('INSERT INTO counter (name, n) VALUES (?, ?)', [`c-${i}`, i]))));
    const [{ log }] = db.db.pragma('wal_checkpoint(PASSIVE)') as [{ log: number }];
    expect(await db.get<{ count: number }>('SELECT count(*) AS count FROM counter')).toEqual({ count: 200 });
    expect(log).toBeGreaterThan(0);
    expect(log).toBeLessThan(20);
    await db.close();
  });

  it("waits for another connection's write lock on timers, so the event loop goes on meanwhile", async () => {
    const db = open();
    // A connection SqliteDatabase does not know of, as another process's would be.
    const other = new BetterSqlite3(db.file);
    other.exec('BEGIN IMMEDIATE');
    other.prepare('INSERT INTO counter (name, n) VALUES (?, ?)').run('other', 1);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    const write = db.transaction((tx) => tx.run('INSERT INTO counter (name, n) VALUES (?, ?)', ['mine', 1]));
    await new Promise((resolve) => setTimeout(resolve, 150));
    other.exec('COMMIT');
    await expect(write).resolves.toBe(1);
    clearInterval(ticker);
    other.close();
    expect(ticks).toBeGreaterThan(5);
    expect(await db.all<{ name: string }>('SELECT name FROM counter ORDER BY name')).toEqual([{ name: 'mine' }, { name: 'other' }]);
    await db.close();
  });
});
