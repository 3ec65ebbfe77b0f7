import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { OCPPClient } from '@chargewire/client';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Starts `src/main.ts` like `npm start` does, on a free port, and waits for its banner. */
async function startApp(env: Record<string, string>): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@chargewire/source', 'src/main.ts'], {
    cwd: appDir,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app did not start:\n${output}`)), 30_000);
    const onData = (): void => {
      const m = /listening on [^\s]+:(\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve(Number(m[1]));
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`app exited with ${code}:\n${output}`));
    });
  });
  return { child, port, output: () => output };
}

describe('npm start and graceful shutdown', { timeout: 60_000 }, () => {
  let dir: string | undefined;
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('creates the database on first start, prints how to connect, and on SIGTERM closes chargers with 1001 and exits 0', async () => {
    dir = mkdtempSync(join(tmpdir(), 'csms-main-'));
    const databaseFile = join(dir, 'nested', 'csms.sqlite');
    const app = await startApp({ DATABASE_FILE: databaseFile });
    child = app.child;
    expect(existsSync(databaseFile)).toBe(true);
    expect(app.output()).toContain(`npx chargewire simulate --endpoint ws://127.0.0.1:${app.port}/api/v1/chargers/CP-1 --protocol ocpp1.6`);
    expect(app.output()).toContain(`http://127.0.0.1:${app.port}/`);

    const client = new OCPPClient({ endpoint: `ws://127.0.0.1:${app.port}/api/v1/chargers`, identity: 'CP-SIG', protocols: ['ocpp1.6'], reconnect: false, pingIntervalMs: 0 });
    await client.connect();
    await client.call('ocpp1.6', 'BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'One' });
    const closed = new Promise<{ code: number }>((resolve) => client.once('disconnect', resolve));
    const exited = new Promise<number | null>((resolve) => app.child.once('exit', (code) => resolve(code)));
    app.child.kill('SIGTERM');
    expect((await closed).code).toBe(1001);
    expect(await exited).toBe(0);
    expect(app.output()).toContain('shutdown complete');
    await client.close().catch(() => undefined);

    // The database was closed cleanly: no WAL left behind, and the charger row is marked disconnected.
    const wal = `${databaseFile}-wal`;
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
    const db = new BetterSqlite3(databaseFile, { readonly: true });
    try {
      const row = db.prepare('SELECT connection_id, vendor FROM chargers WHERE id = ?').get('CP-SIG') as { connection_id: string | null; vendor: string };
      expect(row).toEqual({ connection_id: null, vendor: 'Acme' });
    } finally {
      db.close();
    }
  });

  it('refuses a bad configuration with a clear message and exit code 1', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@chargewire/source', 'src/main.ts'], {
      cwd: appDir,
      env: { ...process.env, PORT: '0', UNKNOWN_CHARGERS: 'maybe' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('UNKNOWN_CHARGERS must be one of reject, pending, accept');
  });
});
