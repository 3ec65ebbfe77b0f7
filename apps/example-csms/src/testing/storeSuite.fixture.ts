import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../store/migrations.js';
import { REMOTE_START_TTL_MS } from '../store/remoteStartRepository.js';
import type { Store } from '../store/store.js';

/** One empty database of one test, of one dialect. */
export interface StoreTarget {
  /** Opens (and migrates) an instance on this database; called twice it gives two "nodes" sharing it. */
  open(): Promise<Store>;
  /** Records a schema version newer than the app knows. */
  markNewerSchema(store: Store): Promise<void>;
  /** Removes the database (and closes nothing: the suite closes what it opened). */
  drop(): Promise<void>;
}

/** Creates a fresh database per test. */
export type StoreFactory = () => Promise<StoreTarget>;

const NOW = '2030-01-01T00:00:00.000Z';

/**
 * The behaviour every store implementation shares: run by the SQLite and the PostgreSQL test files, so the
 * two dialects cannot drift apart.
 */
export function storeSuite(name: string, factory: StoreFactory): void {
  describe(`store on ${name}`, { timeout: 60_000 }, () => {
    let target: StoreTarget;
    const opened: Store[] = [];
    const open = async (): Promise<Store> => {
      const store = await target.open();
      opened.push(store);
      return store;
    };
    beforeEach(async () => {
      target = await factory();
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
      await target.drop();
    });

    it('migrates a fresh database once; reopening runs nothing, and data survives', async () => {
      const first = await open();
      expect(first.migration).toEqual({ from: 0, to: MIGRATIONS.length });
      await first.chargers.insert({ id: 'CP-1', passwordHash: null, registrationStatus: 'Accepted' }, NOW);
      await first.close();
      await first.close(); // idempotent
      const second = await open();
      expect(second.migration).toEqual({ from: MIGRATIONS.length, to: MIGRATIONS.length });
      expect((await second.chargers.get('CP-1'))?.registrationStatus).toBe('Accepted');
    });

    it('several instances opening a fresh database at once migrate it exactly once', async () => {
      const stores = await Promise.all([open(), open(), open()]);
      for (const s of stores) expect(s.migration.to).toBe(MIGRATIONS.length);
      expect(stores.filter((s) => s.migration.from === 0)).toHaveLength(1);
    });

    it('refuses a database written by a newer schema version', async () => {
      const store = await open();
      await target.markNewerSchema(store);
      await expect(open()).rejects.toThrow(/newer than this app knows/);
    });

    it('keeps the newest connector status when an older one arrives late', async () => {
      const store = await open();
      await store.chargers.insert({ id: 'CP', passwordHash: null, registrationStatus: 'Accepted' }, NOW);
      await store.connectors.setStatus({ chargerId: 'CP', connectorId: 1, status: 'Charging', errorCode: null, info: null, statusAt: '2030-01-01T00:00:02.000Z' });
      await store.connectors.setStatus({ chargerId: 'CP', connectorId: 1, status: 'Available', errorCode: null, info: null, statusAt: '2030-01-01T00:00:01.000Z' });
      expect((await store.connectors.listByCharger('CP'))[0]?.status).toBe('Charging');
      expect((await store.connectors.listAll()).get('CP')).toHaveLength(1);
    });

    it("keeps a remote start's id token for 24 hours, then forgets it (the table stays bounded)", async () => {
      const store = await open();
      const t0 = new Date(NOW);
      await store.remoteStarts.record('CS', 7, 'TAG-A', t0);
      await store.remoteStarts.record('CS', 8, 'TAG-B', new Date(t0.getTime() + 3_600_000));
      await store.remoteStarts.record('CS', 8, 'TAG-B2', new Date(t0.getTime() + 3_600_000));
      expect(await store.remoteStarts.idTagOf('CS', 7)).toBe('TAG-A');
      expect(await store.remoteStarts.idTagOf('CS', 8)).toBe('TAG-B2');
      expect(await store.remoteStarts.idTagOf('OTHER', 7)).toBeUndefined();
      await store.remoteStarts.record('CS', 9, 'TAG-C', new Date(t0.getTime() + REMOTE_START_TTL_MS + 1));
      expect(await store.remoteStarts.idTagOf('CS', 7)).toBeUndefined();
      expect(await store.remoteStarts.idTagOf('CS', 8)).toBe('TAG-B2');
      expect(await store.remoteStarts.count()).toBe(2);
    });

    it('assigns 1.6 transaction ids from the row id and stops a transaction only once', async () => {
      const store = await open();
      await store.chargers.insert({ id: 'CP', passwordHash: null, registrationStatus: 'Accepted' }, NOW);
      const base = { chargerId: 'CP', protocol: 'ocpp1.6', connectorId: 1, idTag: 'T', authStatus: 'Accepted', remoteStartId: null, startedAt: NOW, meterStartWh: 100, chargingState: null };
      const a = await store.transaction((tx) => tx.transactions.insert(base, undefined, NOW));
      const b = await store.transaction((tx) => tx.transactions.insert(base, undefined, NOW));
      expect(a.ocppTransactionId).toBe(String(a.id));
      expect(b.id).toBe(a.id + 1);
      expect(await store.transactions.stop(a.id, NOW, 600, 'Local', 'charger', NOW)).toMatchObject({ id: a.id, active: false, meterStopWh: 600, closedBy: 'charger' });
      expect(await store.transactions.stop(a.id, NOW, 900, 'Remote', 'charger', NOW)).toBeUndefined();
      expect(await store.transactions.get(a.id)).toMatchObject({ active: false, energyWh: 500, stopReason: 'Local', closedBy: 'charger' });
      // A stop the CSMS inferred is replaced by the charger's own report, but not the other way round.
      expect(await store.transactions.stop(b.id, NOW, null, 'charger rebooted', 'csms', NOW)).toMatchObject({ closedBy: 'csms', stopReason: 'charger rebooted' });
      expect(await store.transactions.get(b.id)).toMatchObject({ energyWh: 0, closedBy: 'csms' });
      expect(await store.transactions.stop(b.id, NOW, 400, 'PowerLoss', 'charger', NOW)).toMatchObject({ closedBy: 'charger', meterStopWh: 400 });
      expect(await store.transactions.stop(b.id, NOW, null, 'connector available', 'csms', NOW)).toBeUndefined();
      expect(await store.transactions.get(b.id)).toMatchObject({ energyWh: 300, stopReason: 'PowerLoss', closedBy: 'charger' });
      expect(await store.transactions.list({ chargerId: 'CP', active: false, limit: 1, offset: 0 })).toMatchObject({ total: 2, items: [{ id: b.id }] });
    });

    it('keeps the newest meter reading, stores a re-sent sample once, and rolls a failed transaction back', async () => {
      const store = await open();
      await store.chargers.insert({ id: 'CP', passwordHash: null, registrationStatus: 'Accepted' }, NOW);
      const base = { chargerId: 'CP', protocol: 'ocpp2.0.1', connectorId: 1, idTag: null, authStatus: null, remoteStartId: null, startedAt: NOW, meterStartWh: 0, chargingState: null };
      const tx = await store.transaction((t) => t.transactions.insert(base, 'T-1', NOW));
      await store.transactions.update(tx.id, { reading: { wh: 500, at: '2030-01-01T00:05:00.000Z' } }, NOW);
      await store.transactions.update(tx.id, { reading: { wh: 300, at: '2030-01-01T00:03:00.000Z' } }, NOW); // late, older
      expect(await store.transactions.get(tx.id)).toMatchObject({ meterStartWh: 0, lastMeterWh: 500, energyWh: 500 });
      // Without a start value, the earliest reading is the start, whatever order they are stored in.
      const unstarted = await store.transaction((t) => t.transactions.insert({ ...base, meterStartWh: null }, 'T-2', NOW));
      await store.transactions.update(unstarted.id, { reading: { wh: 500, at: '2030-01-01T00:05:00.000Z' } }, NOW);
      await store.transactions.update(unstarted.id, { reading: { wh: 100, at: '2030-01-01T00:01:00.000Z' } }, NOW);
      expect(await store.transactions.get(unstarted.id)).toMatchObject({ meterStartWh: 100, lastMeterWh: 500, energyWh: 400 });
      // The stop reading is the newest: an earlier sample stored after it changes nothing.
      expect(await store.transactions.stop(unstarted.id, '2030-01-01T00:10:00.000Z', 900, 'Local', 'charger', NOW)).toMatchObject({ meterStopWh: 900 });
      await store.transactions.update(unstarted.id, { reading: { wh: 700, at: '2030-01-01T00:07:00.000Z' } }, NOW);
      expect(await store.transactions.get(unstarted.id)).toMatchObject({ meterStopWh: 900, lastMeterWh: 900, energyWh: 800 });
      const sample = { timestamp: NOW, measurand: 'Energy.Active.Import.Register', unit: 'Wh', value: 10 };
      expect(await store.meterValues.insertMany('CP', 1, tx.id, [sample, { ...sample, phase: 'L1' }])).toBe(2);
      expect(await store.meterValues.insertMany('CP', 1, tx.id, [sample])).toBe(0);
      expect(await store.meterValues.listByTransaction(tx.id)).toHaveLength(2);
      await expect(
        store.transaction(async (t) => {
          await t.meterValues.insertMany('CP', 1, tx.id, [{ ...sample, value: 11 }]);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await store.meterValues.listByTransaction(tx.id)).toHaveLength(2);
    });

    it('inserts an id tag once, reports "created" once, and keeps operator tokens and sessions', async () => {
      const store = await open();
      const tag = { idTag: 'T', status: 'Accepted' as const, expiryDate: null, parentIdTag: null, description: null };
      expect(await store.idTags.upsert(tag, NOW)).toBe(true);
      expect(await store.idTags.upsert({ ...tag, status: 'Blocked' }, NOW)).toBe(false);
      expect(await store.idTags.insert(tag, NOW)).toBe(false);
      expect(await store.idTags.get('T')).toMatchObject({ status: 'Blocked' });
      expect(await store.idTags.count()).toBe(1);
      expect(await store.operators.insertFirstToken('admin', 'h1', NOW)).toBe(true);
      expect(await store.operators.insertFirstToken('admin', 'h2', NOW)).toBe(false);
      await store.operators.createSession('s1', 'h1', NOW, '2030-01-02T00:00:00.000Z');
      expect(await store.operators.findSession('s1', NOW)).toBe('h1');
      await store.transaction((tx) => tx.operators.putToken('admin', 'h3', NOW));
      expect(await store.operators.findSession('s1', NOW)).toBeUndefined();
      expect(await store.operators.findToken('h3')).toMatchObject({ name: 'admin' });
      expect(await store.operators.tokenCount()).toBe(1);
    });
  });
}
