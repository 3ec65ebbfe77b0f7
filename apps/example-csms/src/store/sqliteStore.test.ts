import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from './migrations.js';
import { REMOTE_START_TTL_MS } from './remoteStartRepository.js';
import { SqliteStore } from './sqliteStore.js';
import { energyOf } from './transactionRepository.js';

describe('SqliteStore', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('creates and migrates a fresh file (and its directory), and does not re-run migrations on reopen', () => {
    dir = mkdtempSync(join(tmpdir(), 'csms-store-'));
    const file = join(dir, 'a', 'b', 'csms.sqlite');
    const first = new SqliteStore(file);
    expect(first.migration).toEqual({ from: 0, to: MIGRATIONS.length });
    first.chargers.insert({ id: 'CP-1', passwordHash: null, registrationStatus: 'Accepted' }, '2030-01-01T00:00:00.000Z');
    first.close();
    first.close(); // idempotent
    const second = new SqliteStore(file);
    expect(second.migration).toEqual({ from: MIGRATIONS.length, to: MIGRATIONS.length });
    expect(second.chargers.get('CP-1')?.registrationStatus).toBe('Accepted');
    second.close();
  });

  it('refuses a database written by a newer schema version', () => {
    dir = mkdtempSync(join(tmpdir(), 'csms-store-'));
    const file = join(dir, 'csms.sqlite');
    const store = new SqliteStore(file);
    store.db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    store.close();
    expect(() => new SqliteStore(file)).toThrow(/newer than this app knows/);
  });

  it('keeps the newest connector status when an older one arrives late', () => {
    const store = new SqliteStore(':memory:');
    store.chargers.insert({ id: 'CP', passwordHash: null, registrationStatus: 'Accepted' }, '2030-01-01T00:00:00.000Z');
    store.connectors.setStatus({ chargerId: 'CP', connectorId: 1, status: 'Charging', errorCode: null, info: null, statusAt: '2030-01-01T00:00:02.000Z' });
    store.connectors.setStatus({ chargerId: 'CP', connectorId: 1, status: 'Available', errorCode: null, info: null, statusAt: '2030-01-01T00:00:01.000Z' });
    expect(store.connectors.listByCharger('CP')[0]?.status).toBe('Charging');
    store.close();
  });

  it('keeps a remote start\'s id token for 24 hours, then forgets it (the table stays bounded)', () => {
    const store = new SqliteStore(':memory:');
    const t0 = new Date('2030-01-01T00:00:00.000Z');
    store.remoteStarts.record('CS', 7, 'TAG-A', t0);
    store.remoteStarts.record('CS', 8, 'TAG-B', new Date(t0.getTime() + 3_600_000));
    expect(store.remoteStarts.idTagOf('CS', 7)).toBe('TAG-A');
    expect(store.remoteStarts.idTagOf('OTHER', 7)).toBeUndefined();
    store.remoteStarts.record('CS', 9, 'TAG-C', new Date(t0.getTime() + REMOTE_START_TTL_MS + 1));
    expect(store.remoteStarts.idTagOf('CS', 7)).toBeUndefined();
    expect(store.remoteStarts.idTagOf('CS', 8)).toBe('TAG-B');
    expect((store.db.prepare('SELECT COUNT(*) AS n FROM remote_starts').get() as { n: number }).n).toBe(2);
    store.close();
  });

  it('assigns 1.6 transaction ids from the row id and stops a transaction only once', () => {
    const store = new SqliteStore(':memory:');
    const now = '2030-01-01T00:00:00.000Z';
    store.chargers.insert({ id: 'CP', passwordHash: null, registrationStatus: 'Accepted' }, now);
    const base = { chargerId: 'CP', protocol: 'ocpp1.6', connectorId: 1, idTag: 'T', authStatus: 'Accepted', remoteStartId: null, startedAt: now, meterStartWh: 100, chargingState: null };
    const a = store.transactions.insert(base, undefined, now);
    const b = store.transactions.insert(base, undefined, now);
    expect(a.ocppTransactionId).toBe(String(a.id));
    expect(b.id).toBe(a.id + 1);
    expect(store.transactions.stop(a.id, now, 600, 'Local', 'charger', now)).toBe(true);
    expect(store.transactions.stop(a.id, now, 900, 'Remote', 'charger', now)).toBe(false);
    expect(store.transactions.get(a.id)).toMatchObject({ active: false, energyWh: 500, stopReason: 'Local', closedBy: 'charger' });
    // A stop the CSMS inferred is replaced by the charger's own report, but not the other way round.
    expect(store.transactions.stop(b.id, now, null, 'charger rebooted', 'csms', now)).toBe(true);
    expect(store.transactions.get(b.id)).toMatchObject({ energyWh: 0, closedBy: 'csms' });
    expect(store.transactions.stop(b.id, now, 400, 'PowerLoss', 'charger', now)).toBe(true);
    expect(store.transactions.stop(b.id, now, null, 'connector available', 'csms', now)).toBe(false);
    expect(store.transactions.get(b.id)).toMatchObject({ energyWh: 300, stopReason: 'PowerLoss', closedBy: 'charger' });
    store.close();
  });

  it('energy is never negative and is the difference of the readings otherwise', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e9, noNaN: true }), fc.double({ min: 0, max: 1e9, noNaN: true }), (start, end) => {
        const energy = energyOf(start, end);
        expect(energy).toBeGreaterThanOrEqual(0);
        if (end >= start) expect(Math.abs(energy - (end - start))).toBeLessThan(0.001 + 1e-9 * end);
      }),
    );
    expect(energyOf(null, 5)).toBe(0);
  });
});
