import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from './migrations.js';
import { createTestDatabase } from '../testing/postgresDatabase.fixture.js';
import { openStore } from './openStore.js';

const fixture = join(dirname(fileURLToPath(import.meta.url)), '..', 'testing', 'openStore.fixture.ts');

function openInChild(file: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@chargewire/source', fixture, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Three processes open the same fresh database at once: one migrates, the others find it current. */
async function raceThree(target: string): Promise<void> {
  const results = await Promise.all([openInChild(target), openInChild(target), openInChild(target)]);
  for (const r of results) expect(r, r.stderr).toMatchObject({ code: 0 });
  const migrations = results.map((r) => JSON.parse(r.stdout) as { from: number; to: number });
  for (const m of migrations) expect(m.to).toBe(MIGRATIONS.length);
  expect(migrations.filter((m) => m.from === 0)).toHaveLength(1);
  const store = await openStore(target.startsWith('postgres') ? { databaseUrl: target, databaseFile: '' } : { databaseFile: target });
  expect(store.migration.from).toBe(MIGRATIONS.length);
  await store.close();
}

describe('migrations shared by several processes (cluster mode)', { timeout: 60_000 }, () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('SQLite: three instances opening a fresh file at once migrate it exactly once', async () => {
    dir = mkdtempSync(join(tmpdir(), 'csms-race-'));
    await raceThree(join(dir, 'shared.sqlite'));
  });

  it('PostgreSQL: three instances opening a fresh database at once migrate it exactly once (advisory lock)', async () => {
    const database = await createTestDatabase();
    try {
      await raceThree(database.url);
    } finally {
      await database.drop();
    }
  });
});
